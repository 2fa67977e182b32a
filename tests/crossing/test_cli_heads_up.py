"""A heads-up through ``trustvault-cli``: Alex tells a small thing in two short fields; Sam's
CLI lists it, and both ``stats`` count it apart from full disclosures."""

from pathlib import Path

import pytest

from tests.crossing.cli_couple import make_couple


@pytest.mark.crossing("add", face="cli")
def test_a_heads_up_is_counted_apart_on_both_devices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = make_couple(tmp_path, monkeypatch)
    said = c.alex.ok("heads-up", "Jordan messaged me", "--response", "I did not reply")
    assert (
        said.startswith("Added heads-up ")
        and "Jordan messaged me (shared; I did not reply)" in said
    )
    c.alex.add("headsup", "--what", "A call from an unknown number")
    c.sync_all()
    listed = c.sam.json("list", "--kind", "headsup")
    assert {(e["what"], e["response"], e["author"]) for e in listed} == {
        ("Jordan messaged me", "I did not reply", "Alex"),
        ("A call from an unknown number", "", "Alex"),
    }
    for person in (c.alex, c.sam):
        counts = person.json("stats")["counts"]
        assert (counts["headsup"], counts["disclosure"]) == (2, 0)
        assert "Heads-ups: 2 small things told as they happened" in person.ok("stats")
