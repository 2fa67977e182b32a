"""Routines that count, between two real vaults through a real folder: either partner marks an
occurrence held, skipped or moved, the later mark wins on both devices, a milestone counts the
held ones, and a modified client cannot mark in this person's name or mark the future held.
"""

from pathlib import Path

import pytest

from tests.sync.sync_helpers import paired_couple, record_as_sam
from trustvault.actions import Actions
from trustvault.errors import InvalidField
from trustvault.occurrence_ref import OccurrenceRef
from trustvault.results import MarkState, RoutinePace

WEEKLY = {
    "title": "Weekly check-in",
    "start": "2026-10-04T19:00",
    "end": "2026-10-04T19:45",
    "tz": "Europe/London",
    "event_kind": "check_in",
    "rrule": "FREQ=WEEKLY",
}


def test_both_partners_mark_occurrences_and_the_milestone_counts_them(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)  # the clock: 1 November 2026
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    event = alex.add("event", {**WEEKLY, "overrides": [
        {"of": "2026-10-18T19:00", "start": "2026-10-20T20:00", "end": "2026-10-20T20:45"}
    ]}, "shared")  # fmt: skip
    goal = alex.add(
        "milestone",
        {"title": "Six check-ins", "due_on": "2026-11-15",
         "rule": {"count": 6, "event_kind": "check_in"}},
        "shared",
    )  # fmt: skip
    c.settle()

    held = alex.mark_occurrence(event.id, "2026-10-04", "held")
    assert held.ref == OccurrenceRef(event.id, "2026-10-04T19:00")
    moved = sam.mark_occurrence(event.id, "2026-10-20", "held")  # where it moved to
    assert moved.ref.original == "2026-10-18T19:00"  # named by where it was
    sam.mark_occurrence(event.id, "2026-10-11T19:00", "skipped")
    with pytest.raises(InvalidField, match="has not happened yet"):
        sam.mark_occurrence(event.id, "2026-11-08", "held")
    with pytest.raises(InvalidField, match="no occurrence on 2026-10-05"):
        sam.mark_occurrence(event.id, "2026-10-05", "held")
    with pytest.raises(InvalidField, match="not one of"):
        sam.mark_occurrence(event.id, "2026-10-04", "kept")
    assert sam.mark_occurrence(event.id, "2026-11-08", "moved").state is MarkState.MOVED
    results = c.settle()
    assert all(r.refused_ops == 0 for r in results), [r.problems for r in results]

    for side in (alex, sam):
        marks = side.queries.marks()
        assert {r.original: (m.state, m.marked_by) for r, m in marks.items()} == {
            "2026-10-04T19:00": (MarkState.HELD, c.a.device_id),
            "2026-10-18T19:00": (MarkState.HELD, c.b.device_id),
            "2026-10-11T19:00": (MarkState.SKIPPED, c.b.device_id),
            "2026-11-08T19:00": (MarkState.MOVED, c.b.device_id),
        }
        (progress,) = side.queries.routine_progress()
        assert progress.milestone.id == goal.id
        # 2 held; 1 and 15 November still planned (8 November is marked moved): 4 < 6
        assert (progress.held, progress.target, progress.planned) == (2, 6, 2)
        assert progress.pace is RoutinePace.BEHIND

    # Sam's later word replaces Alex's on both devices, whoever's clock is ahead.
    c.clock.advance(days=1)
    alex.mark_occurrence(event.id, "2026-10-11", "held")
    sam.mark_occurrence(event.id, "2026-10-04", "skipped")
    c.settle()
    for side in (alex, sam):
        states = {r.original: m.state for r, m in side.queries.marks().items()}
        assert states["2026-10-11T19:00"] is MarkState.HELD
        assert states["2026-10-04T19:00"] is MarkState.SKIPPED
        assert side.queries.routine_progress()[0].held == 2

    # Sam's clock three hours ahead of Alex's: Alex's mark still replaces Sam's, on both.
    c.clock.advance(hours=3)
    sam.mark_occurrence(event.id, "2026-10-25", "skipped")
    c.settle()
    c.clock.advance(hours=-3)
    alex.mark_occurrence(event.id, "2026-10-25", "held")
    c.settle()
    for side in (alex, sam):
        late = side.queries.mark_of(OccurrenceRef(event.id, "2026-10-25T19:00"))
        assert late is not None and (late.state, late.marked_by) == ("held", c.a.device_id)
    c.close()


def test_a_private_events_marks_stay_on_the_device(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    mine = alex.add("event", WEEKLY, "private")
    before = alex.queries.sync_marks()
    alex.mark_occurrence(mine.id, "2026-10-25", "held")
    assert alex.queries.sync_marks() == before  # nothing recorded for the partner
    c.settle()
    assert len(alex.queries.marks()) == 1 and sam.queries.marks() == {}
    c.close()


def test_a_modified_client_cannot_bend_a_mark(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    event = alex.add("event", WEEKLY, "shared")
    private = alex.add("event", WEEKLY, "private")
    note = alex.add("milestone", {"title": "Not an event"}, "shared")
    c.settle()
    ok = {"id": event.id, "of": "2026-10-25T19:00", "state": "held", "by": c.b.device_id,
          "at": "2026-11-01T09:00:00Z"}  # fmt: skip
    bad = [
        {**ok, "by": c.a.device_id},  # in Alex's name
        {**ok, "of": "2026-12-06T19:00"},  # held, weeks ahead
        {**ok, "state": "kept"},
        {**ok, "of": "2026-10-25T18:00Z"},  # not in the event's own form
        {**ok, "id": private.id},  # never shared with Sam
        {**ok, "id": note.id},  # not an event
        {k: v for k, v in ok.items() if k != "at"},
    ]
    for body in bad:
        record_as_sam(c, "mark", body)
    record_as_sam(c, "mark", ok)
    sam.sync()
    result = alex.sync()
    assert result.refused_ops == len(bad), result.problems
    assert [(r.original, m.marked_by) for r, m in alex.queries.marks().items()] == [
        ("2026-10-25T19:00", c.b.device_id)
    ]
    c.close()


def test_an_occurrence_at_the_edge_of_time_is_refused_in_words(vault) -> None:  # type: ignore[no-untyped-def]
    actions = Actions(vault)
    event = actions.add("event", {"title": "Far", "start": "9999-12-31T10:00"}, "private")
    with pytest.raises(InvalidField, match="no occurrence"):
        actions.mark_occurrence(event.id, "9999-12-30", "skipped")
    with pytest.raises(InvalidField, match="no occurrence"):  # the calendar cannot reach it
        actions.mark_occurrence(event.id, "9999-12-31", "held")
