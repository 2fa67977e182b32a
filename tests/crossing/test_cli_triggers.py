"""Triggers and anniversaries through ``trustvault-cli`` on two real vaults: a private trigger
leaves nothing anywhere Sam's device can read; a shared one reaches Sam with the reassurance
question, and Sam's reply comes back to Alex; a shared anniversary is on Sam's list, flagged."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.crossing.cli_couple import make_couple
from tests.helpers import ManualClock


@pytest.mark.crossing("add", "share", "comment", face="cli")
def test_a_shared_trigger_asks_sam_for_reassurance_and_the_reply_comes_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = make_couple(tmp_path, monkeypatch, clock=ManualClock(datetime(2026, 11, 1, 9, tzinfo=UTC)))
    c.never = [b"that summer", b"The car park"]  # never in the folder, not even sealed
    said = c.alex.ok("trigger", "add", "A song from that summer", "--where", "car",
                     "--strength", "7")  # fmt: skip
    assert "Added trigger " in said and "(private)" in said and "trustvault-cli breathe" in said
    c.alex.ok("anniversary", "add", "2025-11-20", "The car park", "--lead-days", "3")
    c.alex.ok("trigger", "add", "Phone face down", "--where", "kitchen", "--strength", "4",
              "--shared")  # fmt: skip
    c.alex.ok("anniversary", "add", "2025-11-08", "The day of discovery", "--shared")
    c.sync_all()
    assert [e["what"] for e in c.sam.json("list", "--kind", "trigger")] == ["Phone face down"]
    asked = c.sam.ok("triggers")
    assert "No triggers logged yet." in asked  # Sam's own log: Alex's trigger is not in it
    assert "Alex shared a trigger " in asked and "Phone face down (strength 4). What would " \
        "help Alex feel safe right now?" in asked  # fmt: skip
    (told,) = c.sam.json("triggers")["shared_with_you"]
    assert c.sam.ok("trigger", "reply", told["id"], "I am here; ask me anything.").startswith(
        "Reply sent to Alex"
    )
    c.sync_all()
    mine = c.alex.ok("triggers")
    assert "2 triggers logged." in mine and "By place: car 1, kitchen 1" in mine
    assert "Sam replied to “Phone face down”: I am here; ask me anything." in mine
    refused = c.alex.run("trigger", "reply", told["id"], "me")
    assert refused.code != 0 and "not a trigger your partner shared" in refused.err
    days = c.sam.json("anniversary", "list")
    assert [(d["title"], d["next"], d["in_days"], d["flagged"], d["author"]) for d in days] == [
        ("The day of discovery", "2026-11-08", 7, True, "Alex")
    ]
    assert "2026-11-20  The car park: in 19 days, private" in c.alex.ok("anniversary", "list")


def test_breathe_prints_a_minute_of_steps_without_a_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = make_couple(tmp_path, monkeypatch, paired=False)
    box = c.alex.ok("breathe").splitlines()
    assert box[0] == "Box breathing" and len(box) == 2 + 16 + 1
    assert box[2] == " 1. Breathe in slowly through your nose (4 s)"
    assert "Name five things you can see" in c.alex.ok("breathe", "--senses")
