"""``homework add|done|list`` and ``session`` on two real vaults through ``trustvault-cli``: the
crossings of :meth:`Actions.add_homework` and :meth:`Actions.mark_homework_done` for the face
``cli``. What the partner's device says afterwards is the test."""

from pathlib import Path

import pytest

from tests.crossing.cli_couple import make_couple
from tests.helpers import ManualClock


@pytest.mark.crossing("add_homework", "mark_homework_done", face="cli")
def test_homework_reaches_the_partner_who_marks_their_part_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    couple = make_couple(tmp_path, monkeypatch, clock=ManualClock())  # 1 November 2026
    alex, sam = couple.alex, couple.sam
    none_yet = sam.run("homework", "add", "Each write a letter")
    assert none_yet.code != 0 and "no therapy session" in none_yet.err
    alex.add("event", "--title", "Couples therapy", "--kind", "therapy",
             "--start", "2026-11-03T17:00Z", "--end", "2026-11-03T18:00Z",
             "--rrule", "FREQ=WEEKLY")  # fmt: skip
    couple.sync_all()
    said = sam.ok("homework", "add", "Each write a letter")
    assert "Homework for Couples therapy on 2026-11-03: Each write a letter" in said
    alex.ok("homework", "add", "Read chapter 3", "--for", "partner")
    couple.sync_all()
    (letter, chapter) = alex.json("homework", "list")
    assert (letter["text"], letter["by"], letter["for"]) == ("Each write a letter", "Sam",
                                                            ["Sam", "Alex"])  # fmt: skip
    assert (chapter["for"], chapter["original_start"]) == (["Sam"], "2026-11-03T17:00Z")

    refused = alex.run("homework", "done", chapter["id"])
    assert refused.code != 0 and "only the person homework is for" in refused.err
    assert "Done: Read chapter 3" in sam.ok("homework", "done", chapter["id"])
    alex.ok("homework", "done", letter["id"])
    couple.sync_all()
    assert "Read chapter 3 (Sam done)" in alex.ok("homework", "list")
    assert "Each write a letter (you to do, Alex done)" in sam.ok("homework", "list")

    agenda = sam.ok("session", "--at", "2026-11-03T17:30+00:00")
    assert "Session: Couples therapy" in agenda
    assert "Each write a letter (you to do, Alex done)" in agenda
    shown = alex.json("session", "--at", "2026-11-03T17:30+00:00")
    assert [h["text"] for h in shown["homework"]] == ["Each write a letter", "Read chapter 3"]
    assert shown["session"]["original_start"] == "2026-11-03T17:00Z"
    later = alex.json("session", "--at", "2026-11-04T09:00+00:00")
    assert later["homework"] == [] and later["last_session"]["original_start"] == (
        "2026-11-03T17:00Z")  # fmt: skip
    bad = alex.run("session", "--at", "soon")
    assert bad.code != 0 and "'soon' is not a time" in bad.err
