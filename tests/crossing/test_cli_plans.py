"""``plan propose|change|accept|step-down|needs|list`` on two real vaults through
``trustvault-cli``: the crossings of :meth:`Actions.propose_plan`, :meth:`Actions.change_plan`,
:meth:`Actions.step_down` and :meth:`Actions.write_plan_needs` for the face ``cli``. What the
partner's ``plan list`` says afterwards is the test; a :class:`ManualClock` moves the days."""

from pathlib import Path

import pytest

from tests.crossing.cli_couple import make_couple
from tests.helpers import ManualClock


@pytest.mark.crossing(
    "propose_plan", "change_plan", "step_down", "write_plan_needs", "delete", face="cli"
)
def test_a_plan_is_proposed_accepted_stepped_down_and_changed_across_devices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = ManualClock()  # 1 November 2026
    couple = make_couple(tmp_path, monkeypatch, clock=clock)
    alex, sam = couple.alex, couple.sam
    phones = alex.add("agreement", "--title", "Phones open", "--text", "Our phones stay open.")
    said = alex.ok(
        "plan", "propose", "--title", "Phones, winding down", "--starts", "2026-11-01",
        "--ends", "2027-03-31", "--step", "Phones open daily @ 4w", "--step",
        "Weekly @ 2027-01-31", "--step", "On request", "--agreement", phones[:16],
    )  # fmt: skip
    assert "Proposed plan" in said and "once you both accept it" in said
    bad = alex.run(
        "plan", "propose", "--title", "x", "--starts", "2026-11-01", "--ends", "2027-01-01",
        "--step", "Daily", "--step", "Never",
    )  # fmt: skip
    assert bad.code != 0 and "step 1 needs a date or a duration" in bad.err
    couple.sync_all()

    [seen] = sam.json("plan", "list")
    plan_id = seen["id"]
    assert (seen["title"], seen["status"]) == ("Phones, winding down", "proposed")
    assert [s["label"] for s in seen["steps"]] == ["Phones open daily", "Weekly", "On request"]
    assert "Status: proposed (waiting for your partner)" in sam.ok("plan", "accept", plan_id)
    sam.ok("plan", "needs", plan_id, "--text", "-", stdin="To know I can ask\n")
    couple.sync_all()
    assert "Status: in force" in alex.ok("plan", "accept", plan_id[:16])
    again = alex.ok("plan", "accept", plan_id)
    assert "(you had already accepted them)" in again
    not_one = alex.run("plan", "accept", phones)
    assert not_one.code != 0 and "that is not a plan" in not_one.err
    couple.sync_all()

    [seen] = alex.json("plan", "list")
    assert seen["status"] == "in force" and seen["next_due"] == "2026-11-29"
    assert seen["needs"] == {"Sam": "To know I can ask"}
    assert [p["kind"] for p in seen["prompts"]] == ["needs one-sided"]
    listed = alex.ok("plan", "list")
    assert "Sam has written what they need from this plan." in listed
    assert "now   1. Phones open daily" in listed

    early = sam.run("plan", "step-down", plan_id)
    assert early.code != 0 and "planned from 2026-11-29" in early.err
    clock.advance(days=30)  # 1 December
    assert "Stepped down to “Weekly”" in sam.ok(
        "plan", "step-down", plan_id, "--note", "It feels right"
    )
    alex.ok("plan", "needs", plan_id, "--text", "Patience")
    couple.sync_all()
    [seen] = alex.json("plan", "list")
    assert seen["current_step"] == 1 and seen["next_due"] == "2027-01-31"
    assert seen["step_downs"] == [
        {"by": "Sam", "step": 1, "on": "2026-12-01", "note": "It feels right"}
    ]
    assert "Sam stepped down to step 2 on 2026-12-01: It feels right" in alex.ok("plan", "list")
    [seen] = sam.json("plan", "list")
    assert seen["needs"] == {"Alex": "Patience", "Sam": "To know I can ask"}
    assert seen["prompts"] == []

    assert "Proposed a change" in alex.ok(
        "plan", "change", plan_id, "--step", "Phones open daily @ 4w", "--step",
        "Weekly @ 2027-01-15", "--step", "On request",
    )  # fmt: skip
    couple.sync_all()
    [seen] = sam.json("plan", "list")
    assert seen["proposal_pending"] and seen["next_due"] == "2027-01-31"  # the old one holds
    sam.ok("plan", "accept", plan_id)
    couple.sync_all()
    alex.ok("plan", "accept", plan_id)
    couple.sync_all()
    for person in (alex, sam):
        [seen] = person.json("plan", "list")
        assert not seen["proposal_pending"] and seen["next_due"] == "2027-01-15"

    # Alex deletes the plan for good: its needs and step-down go with it on Sam's device too.
    needs = {e["text"]: e["id"] for e in sam.json("list") if e["kind"] == "plan_need"}
    said = alex.ok("delete", plan_id, "--yes")
    assert "Deleted" in said
    couple.sync_all()
    assert sam.json("plan", "list") == [] and alex.json("plan", "list") == []
    gone = sam.show(needs["Patience"])
    assert (gone["visibility"], gone["deleted"]["by"]) == ("withdrawn", "Alex")
    own = sam.show(needs["To know I can ask"])
    assert (own["visibility"], own["text"]) == ("private", "To know I can ask")
    assert alex.run("show", needs["Patience"]).code != 0  # Alex's own need is deleted with it
    theirs = alex.show(needs["To know I can ask"])  # and Sam's is a tombstone on Alex's device
    assert (theirs["visibility"], theirs["deleted"]["by"]) == ("withdrawn", "Alex")
