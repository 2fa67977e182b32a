"""``rename``: Sam changes the name Alex's device shows for Sam, through ``trustvault-cli`` on two
real vaults paired through a real folder (the crossing of ``Actions.rename`` for the CLI).
"""

from pathlib import Path

import pytest

from tests.crossing.cli_couple import Couple, make_couple


def sam_then_alex(c: Couple) -> None:
    """Sam's device sends, then Alex's reads: the least that brings Sam's change across."""
    for person in (c.sam, c.alex):
        result = person.json("sync")
        assert result["rejected"] == 0 and result["problems"] == [], result


@pytest.mark.crossing("rename", face="cli")
def test_a_new_name_reaches_the_partner_and_stops_at_a_closing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = make_couple(tmp_path, monkeypatch)
    c.sam.add("disclosure", "--title", "Called my sister", "--occurred", "2024-05-03")

    said = c.sam.ok("rename", "  Samira  ")
    assert "Your name is now Samira." in said and "after the next sync" in said
    assert c.alex.partner()["name"] == "Sam"  # nothing crossed yet
    sam_then_alex(c)
    assert c.alex.partner()["name"] == "Samira"
    assert [e["author"] for e in c.alex.json("list")] == ["Samira"]
    assert [e["author"] for e in c.sam.json("list")] == ["Samira"]  # Sam's own device too

    for bad, why in (("   ", "must not be empty"), ("Sam\nGone", "one line"), ("x" * 101, "100")):
        refused = c.sam.run("rename", bad)
        assert refused.code != 0 and why in refused.err and len(refused.err.splitlines()) == 1
        assert "Traceback" not in refused.err
    assert c.sam.json("rename", "Samira")["sent"] is True  # the same name, told again: harmless

    c.sam.ok("close", "--yes")
    said = c.sam.ok("rename", "S.")
    assert "keeps your old name" in said
    sam_then_alex(c)
    assert c.alex.partner()["name"] == "Samira"  # after a closing, a new name is not sent
    assert c.alex.json("list")[0]["author"] == "Samira"
    assert c.sam.json("list")[0]["author"] == "S."
