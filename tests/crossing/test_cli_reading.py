"""Reading safety through ``trustvault-cli`` on two real vaults: Alex gives a disclosure a
content note and a level of detail; Sam holds it for a session and puts another entry away.
Sam's CLI shows it closed, then open; Alex's device learns nothing of either."""

from pathlib import Path

import pytest

from tests.crossing.cli_couple import make_couple


@pytest.mark.crossing("hold_for_session", "open_held", "put_away", "bring_back", face="cli")
def test_holding_and_putting_away_tell_the_author_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = make_couple(tmp_path, monkeypatch)
    hard = c.alex.add("disclosure", "--title", "The hotel in June", "--occurred", "2026-06-02",
                      "--body", "What happened there", "--content-note", "Physical details",
                      "--detail", "full")  # fmt: skip
    other = c.alex.add("milestone", "--title", "Ten sessions")
    c.sync_all()
    alex_sees = [c.alex.show(hard), c.alex.show(other)]

    said = c.sam.ok("hold-for-session", hard[:12])
    assert "stays closed" in said and "Your partner's device is not told." in said
    closed = c.sam.ok("show", hard)
    assert "Physical details" in closed and "full" in closed
    assert "The hotel in June" not in closed and "What happened there" not in closed
    listed = c.sam.ok("list")
    assert "Held for your session" in listed and "The hotel in June" not in listed
    (shown,) = [e for e in c.sam.json("list") if e["id"] == hard]
    assert shown["held"] and shown["title"] == "Held for your session" and "body" not in shown

    c.sam.ok("put-away", other[:12])
    assert "Ten sessions" not in c.sam.ok("list")
    assert "(1 put away on this device: list --put-away)" in c.sam.ok("list")
    assert [e["title"] for e in c.sam.json("list", "--put-away")] == ["Ten sessions"]

    c.sync_all()
    assert [c.alex.show(hard), c.alex.show(other)] == alex_sees  # the author's device: no change
    assert all(r["received"] == 0 for r in c.results[-4::2])  # Alex's rounds took in nothing

    opened = c.sam.ok("open", hard[:12])
    assert "What happened there" in opened and "Physical details" in opened
    assert "The hotel in June" in c.sam.ok("list")
    c.sam.ok("bring-back", other[:12])
    assert "Ten sessions" in c.sam.ok("list")
    c.sync_all()
    assert [c.alex.show(hard), c.alex.show(other)] == alex_sees
