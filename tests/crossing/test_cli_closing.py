"""Closing the shared space through ``trustvault-cli`` on two real vaults and a real folder.

Alex closes and asks Sam's device to delete what Alex wrote; Sam's CLI says so, in words that
say where the promise stops, and refuses to send anything new; a week later (the clock is a
:class:`ManualClock` the test moves) Sam's list shows only a tombstone for Alex's entry and
both devices have stopped. In a second couple both agree to keep everything, and nothing goes.
"""

from pathlib import Path

import pytest

from tests.crossing.cli_couple import Couple, make_couple
from tests.helpers import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def couple(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> Couple:
    return make_couple(tmp_path, monkeypatch, clock=clock)


def _write_both(couple: Couple) -> str:
    entry = couple.alex.add("disclosure", "--title", "Lunch with Jo", "--occurred", "2024-05-03")
    couple.sam.add("disclosure", "--title", "Called my sister", "--occurred", "2024-05-04")
    couple.sync_all()
    return entry


def _sync_until_stopped(couple: Couple) -> None:
    for _ in range(2):
        for person in (couple.alex, couple.sam):
            if person.run("partner").code == 0:
                person.ok("sync")


@pytest.mark.crossing("close_shared_space", face="cli")
def test_closing_asks_then_deletes_after_a_week_and_stops_both(
    couple: Couple, clock: ManualClock
) -> None:
    entry = _write_both(couple)
    asked = couple.alex.run("close", "--ask-delete")
    assert asked.code == 1 and "Nothing was closed" in asked.out
    assert couple.sam.partner()["closing"] is None

    closed = couple.alex.json("close", "--ask-delete", "--yes")
    assert (closed["closed_by_me"], closed["i_ask"], closed["ended"]) == (True, True, False)
    couple.sync_all()
    told = couple.sam.ok("partner")
    assert "Alex closed your shared space" in told
    assert "Alex asked that this device delete what Alex wrote" in told
    refused = couple.sam.run("comment", entry, "one more thing")
    assert refused.code != 0 and "closed" in refused.err and "\n" not in refused.err.strip()

    clock.advance(days=8)
    _sync_until_stopped(couple)
    assert couple.sam.titles() == {"", "Called my sister"}
    tomb = couple.sam.show(entry)
    assert (tomb["title"], tomb["deleted"]["reason"]) == ("", "closed")
    assert "deleted at Alex's request when the shared space closed" in couple.sam.ok("list")
    assert couple.alex.titles() == {"Lunch with Jo", "Called my sister"}
    for person in (couple.alex, couple.sam):
        stopped = person.run("sync")
        assert stopped.code != 0 and "closed your shared space" in stopped.err
    assert list(couple.folder.iterdir()) == []


@pytest.mark.crossing("agree_to_keep", face="cli")
def test_both_agreeing_to_keep_means_nothing_is_deleted(couple: Couple, clock: ManualClock) -> None:
    _write_both(couple)
    couple.alex.ok("close", "--ask-delete", "--yes")
    couple.sync_all()
    assert "Alex asked" in couple.sam.ok("keep")
    couple.sync_all()
    assert "Sam would like you both to keep everything" in couple.alex.ok("partner")
    assert "You both agreed to keep everything" in couple.alex.ok("keep")
    couple.sync_all()
    clock.advance(days=8)
    _sync_until_stopped(couple)
    assert couple.sam.titles() == couple.alex.titles() == {"Lunch with Jo", "Called my sister"}
