"""``mark`` and ``progress`` on two real vaults through ``trustvault-cli``: the crossing of
:meth:`Actions.mark_occurrence` for the face ``cli``. What Sam's device says afterwards is the
test: Alex's mark, who made it, and the milestone's count."""

from pathlib import Path

import pytest

from tests.crossing.cli_couple import make_couple
from tests.helpers import ManualClock


@pytest.mark.crossing("mark_occurrence", face="cli")
def test_a_mark_reaches_the_partner_and_the_milestone_counts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    couple = make_couple(tmp_path, monkeypatch, clock=ManualClock())  # 1 November 2026
    alex, sam = couple.alex, couple.sam
    weekly = ("--start", "2026-10-04T19:00", "--tz", "Europe/London", "--rrule", "FREQ=WEEKLY")
    event = alex.add("event", "--title", "Weekly check-in", *weekly, "--kind", "check-in")
    goal = alex.add("milestone", "--title", "Four check-ins", "--due", "2026-11-15",
                    "--counts", "4:check-in")  # fmt: skip
    assert alex.show(goal)["rule"] == {"count": 4, "event_kind": "check_in"}
    couple.sync_all(1)

    said = alex.ok("mark", event, "held", "--on", "2026-10-04")
    assert "Weekly check-in, Sun 04 Oct 2026 19:00: held." in said
    assert "Your partner's device shows it at its next sync." in said
    ahead = alex.run("mark", event, "held", "--on", "2026-11-08")
    assert ahead.code != 0 and "has not happened yet" in ahead.err
    missing = alex.run("mark", event, "held", "--on", "2026-10-05")
    assert missing.code != 0 and "no occurrence on 2026-10-05" in missing.err
    couple.sync_all()

    assert "Sun 04 Oct 2026 19:00  held  (marked by Alex)" in sam.ok("mark", event)
    sam.ok("mark", event, "held", "--on", "2026-10-11")
    sam.ok("mark", event, "skipped", "--on", "2026-10-04")  # a later mark by either replaces
    couple.sync_all()
    listed = alex.ok("mark", event)
    assert "Sun 04 Oct 2026 19:00  skipped  (marked by Sam)" in listed
    assert "Sun 11 Oct 2026 19:00  held  (marked by Sam)" in listed
    for person in (alex, sam):
        (progress,) = person.json("progress")
        assert (progress["held"], progress["target"], progress["planned"]) == (1, 4, 3)
        assert progress["pace"] == "on track"
        assert "Four check-ins: 1 of 4 held by 15 November 2026: on track (3 more planned)" in (
            person.ok("progress")
        )
    bad = sam.run("add", "milestone", "--title", "x", "--counts", "4:check-in")
    assert bad.code != 0 and "needs a deadline" in bad.err
