"""When a disclosure was told, through ``trustvault-cli`` on two real vaults: the figure both
devices print is counted to the day it reached Sam's device, whatever Alex's dates say; a later
change of its facts reads "added N days after first telling"; a full account gathers what is
told after it about the days it covers."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.crossing.cli_couple import make_couple
from tests.helpers import ManualClock


def test_kept_private_60_days_reads_61_and_later_additions_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = ManualClock(datetime(2026, 10, 2, 9, 0, tzinfo=UTC))
    couple = make_couple(tmp_path, monkeypatch, clock=clock)
    alex, sam = couple.alex, couple.sam
    # Alex dates it the day after the event, then keeps it private for 60 days.
    lunch = alex.add("disclosure", "--title", "The lunch", "--occurred", "2026-10-01", "--private")
    assert alex.show(lunch)["latency_days"] == 1  # only Alex's own dating so far
    clock.advance(days=60)
    alex.ok("share", lunch)
    couple.sync_all()

    for person in (alex, sam):
        shown = person.show(lunch)
        assert shown["latency_days"] == 61, person.name
        told = shown["telling"]
        assert (told["verified"], told["dated_days"], told["kept_private_days"]) == (True, 1, 60)
        assert told["received_on"] == "2026-12-01"
        stats = person.json("stats")["disclosure_latency"]
        assert [d["days"] for d in stats["per_disclosure"]] == [61]
    text = sam.ok("show", lunch)
    assert "told 61 days later" in text and "kept private 60 days before sharing" in text
    assert "Alex dated it 2 Oct 2026" in text
    assert "you dated it 2 Oct 2026" in alex.ok("show", lunch)
    assert "told 61 days later" in sam.ok("list")

    # Alex adds to what was told, writes a full account, then tells one more thing after it;
    # Sam's device takes all three in on 9 December.
    clock.advance(days=5)
    alex.ok("edit", lunch, "--body", "It was more than lunch.")
    alex.add(
        "disclosure", "--title", "Everything", "--occurred", "2026-09-01",
        "--complete-as-of", "2026-12-06",
    )  # fmt: skip
    clock.advance(days=3)
    late = alex.add("disclosure", "--title", "The texts", "--occurred", "2026-11-20")
    couple.sync_all()
    for person in (alex, sam):
        history = person.ok("show", lunch, "--history")
        assert "revision 2" in history and "(added 8 days after first telling)" in history
        assert person.show(lunch)["telling"]["amendments"][0]["days_after"] == 8
        assert "an amendment to the account of 2026-12-06" in person.ok("show", late)
        stats = person.json("stats")["disclosure_latency"]
        assert (stats["amendments"], stats["account_amendments"]) == (1, 1)
    assert "Added later: 1 change after a first telling" in sam.ok("stats")

    refused = alex.run(
        "add", "disclosure", "--title", "x", "--occurred", "2026-12-01", "--disclosed",
        "2026-11-30",
    )  # fmt: skip
    assert refused.code != 0 and "before the event it tells of" in refused.err
