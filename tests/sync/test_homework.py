"""Homework and the session agenda between two real vaults through a real folder.

Homework attaches to the next therapy occurrence, reaches the partner, and only the person it
is for may mark it done, on both devices (a modified client's mark for the other is refused);
the agenda of a session reads the same on both devices.
"""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.sync.sync_helpers import paired_couple, record_as_sam
from trustvault.actions import Actions
from trustvault.errors import InvalidField

_THERAPY = {
    "title": "Couples therapy",
    "start": "2026-11-03T17:00:00Z",
    "end": "2026-11-03T18:00:00Z",
    "event_kind": "therapy",
    "rrule": "FREQ=WEEKLY",
}
_FIRST, _SECOND = "2026-11-03T17:00Z", "2026-11-10T17:00Z"


def test_homework_crosses_and_only_its_person_marks_it_done(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    with pytest.raises(InvalidField, match="no therapy session"):
        sam.add_homework("Each write a letter")
    therapy = alex.add("event", _THERAPY)
    c.settle()
    letter = sam.add_homework("Each write a letter")
    chapter = alex.add_homework("Read chapter 3", "partner")  # for Sam
    assert (letter.event_id, letter.original_start) == (therapy.id, _FIRST)
    assert chapter.people == (c.b.device_id,)
    with pytest.raises(InvalidField, match="is not one of"):
        alex.add_homework("Breathe", "everyone")
    c.settle()
    seen = {h.text: h for h in alex.queries.homework()}
    assert set(seen) == {"Each write a letter", "Read chapter 3"}
    assert seen["Each write a letter"].people == (c.b.device_id, c.a.device_id)

    with pytest.raises(InvalidField, match="only the person"):
        alex.mark_homework_done(chapter.entry.id)
    assert sam.mark_homework_done(chapter.entry.id).all_done
    alex.mark_homework_done(letter.entry.id)
    c.settle()
    on_alex = {h.text: h for h in alex.queries.homework()}
    assert set(on_alex["Read chapter 3"].done) == {c.b.device_id}  # Sam's word reached Alex
    on_sam = {h.text: h for h in sam.queries.homework()}
    assert set(on_sam["Each write a letter"].done) == {c.a.device_id}  # and Alex's reached Sam
    assert not on_sam["Each write a letter"].all_done

    sam.mark_homework_done(chapter.entry.id, done=False)  # not done after all
    record_as_sam(
        c, "homework_done", {"id": letter.entry.id, "done": "yes", "at": "2026-11-01T10:00:00Z"}
    )
    only_alex = alex.add_homework("Write my timeline", "author")
    results = c.settle()
    record_as_sam(
        c, "homework_done", {"id": only_alex.entry.id, "done": True, "at": "2026-11-01T10:00:00Z"}
    )
    results += c.settle()
    assert sum(r.refused_ops for r in results) == 2, [r.problems for r in results]
    on_alex = {h.text: h for h in alex.queries.homework()}
    assert on_alex["Read chapter 3"].done == {}
    assert on_alex["Write my timeline"].done == {}

    # The agenda during the first session holds its homework, the same on both devices.
    during = datetime(2026, 11, 3, 17, 30, tzinfo=UTC)
    for q in (alex.queries, sam.queries):
        agenda = q.session_agenda(during)
        assert agenda.session is not None and agenda.session.original_start == _FIRST
        assert agenda.last_session is None
        assert [h.text for h in agenda.homework] == [
            "Each write a letter", "Read chapter 3", "Write my timeline"]  # fmt: skip
    after = alex.queries.session_agenda(datetime(2026, 11, 4, 9, 0, tzinfo=UTC))
    assert after.session is not None and after.session.original_start == _SECOND
    assert after.last_session is not None and after.last_session.original_start == _FIRST
    assert after.homework == ()  # that homework was for the first session
    c.close()


def test_the_agenda_gathers_reviews_questions_trends_and_disclosures(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    alex.add("event", _THERAPY)
    due = alex.add(
        "agreement", {"title": "Phones open", "text": "Daily", "review_on": "2026-11-05"}
    )
    alex.add("agreement", {"title": "Later", "text": "Not yet", "review_on": "2027-01-01"})
    alex.add("disclosure", {"title": "Before the first session", "occurred_on": "2026-10-01"})
    c.settle()
    alex.accept(due.id)
    sam.accept(due.id)
    c.clock.now = datetime(2026, 11, 6, 9, 0, tzinfo=UTC)  # after the first session
    sam.add("question", {"text": "What did you feel that night?", "setting": "for_session"})
    sam.add("question", {"text": "At home, in writing", "setting": "at_home"})
    sam.add("disclosure", {"title": "Since the session", "occurred_on": "2026-10-20"})
    alex.add("checkin", {"mood": 4, "safety": 5}, "shared")
    c.clock.advance(days=1)
    alex.add("checkin", {"mood": 6, "safety": 7}, "shared")
    sam.add("checkin", {"mood": 5, "safety": 5})  # private: Alex's device never sees it
    c.settle()

    at = datetime(2026, 11, 10, 17, 0, tzinfo=UTC)
    mine, theirs = alex.queries.session_agenda(at), sam.queries.session_agenda(at)
    for agenda in (mine, theirs):
        assert [e.title for e in agenda.due_for_review] == ["Phones open"]
        assert [q.entry.title for q in agenda.questions] == ["What did you feel that night?"]
        assert [e.title for e in agenda.disclosures] == ["Since the session"]
    alex_trend = mine.trends[0]
    assert len(mine.trends) == 1 and alex_trend.person == c.a.device_id
    assert (alex_trend.count, alex_trend.mood_first, alex_trend.mood_last) == (2, 4, 6)
    assert alex_trend.safety_average == 6.0
    assert [t.person for t in theirs.trends] == [c.b.device_id, c.a.device_id]  # own first
    c.close()
