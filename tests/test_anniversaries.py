"""Anniversaries: a yearly day flagged ahead on the calendar and in the reminders, private
unless shared; and the one-minute grounding exercise's arithmetic."""

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from tests.sync.sync_helpers import paired_couple
from trustvault.actions import Actions
from trustvault.anniversaries import calendar_moments, coming
from trustvault.entries.kinds import validate
from trustvault.entries.model import Entry
from trustvault.errors import InvalidField
from trustvault.grounding import BOX, SENSES
from trustvault.reminders import REVIEW_HOUR, reminders


def _day(on: str, lead: int = 7, title: str = "The day of discovery") -> Entry:
    fields = validate("anniversary", {"title": title, "on": on, "lead_days": lead})
    return Entry("n1", "anniversary", "d", "2026-01-01T00:00:00Z", "", "private", fields, 1, "d")


def test_a_shared_anniversary_is_flagged_ahead_on_both_devices_a_private_one_on_one(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)  # its clock: 1 November 2026
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    found = alex.add("anniversary", {"title": "The day of discovery", "on": "2025-11-08"})
    alex.add("anniversary", {"title": "My father's birthday", "on": "1960-11-20", "lead_days": 3})
    assert found.visibility == "private" and found.fields["lead_days"] == 7
    c.settle()
    assert sam.queries.anniversaries() == []  # private: nothing of it on Sam's device
    alex.share(found.id)
    c.settle()
    for q in (alex.queries, sam.queries):
        first = q.anniversaries()[0]
        assert (first.entry.title, first.day, first.in_days, first.flagged) == (
            "The day of discovery", date(2026, 11, 8), 7, True
        )  # fmt: skip
        moments = q.anniversary_moments(date(2026, 11, 1), date(2026, 11, 30))
        shown = [(m.start.date(), m.title) for m in moments if m.entry.id == found.id]
        assert shown == [(date(2026, 11, 1), "In 7 days: The day of discovery"),
                         (date(2026, 11, 8), "The day of discovery")]  # fmt: skip
        assert all(m.virtual and m.all_day for m in moments)
        keys = [r.key for r in q.reminders(None)]
        assert f"anniversary:{found.id}:2026-11-08" in keys
    assert len(alex.queries.anniversaries()) == 2 and len(sam.queries.anniversaries()) == 1
    c.close()


def test_the_reminder_comes_at_nine_on_the_flag_day_and_lasts_until_the_day_ends() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    (said,) = reminders([], [], now, None, [_day("2024-03-14")])
    assert said.key == "anniversary:n1:2026-03-14"
    assert said.at == datetime.combine(date(2026, 3, 7), REVIEW_HOUR).astimezone()
    assert said.until == datetime.combine(date(2026, 3, 15), time()).astimezone()
    later = datetime.combine(date(2026, 3, 15), time(1)).astimezone()
    (next_year,) = reminders([], [], later, None, [_day("2024-03-14")])
    assert next_year.key.endswith(":2027-03-14")  # the day over: next year's


def test_29_february_comes_back_on_the_28th_and_never_before_its_first_year() -> None:
    leap = _day("2024-02-29", lead=0)
    assert [c.day for c in coming([leap], date(2025, 1, 10))] == [date(2025, 2, 28)]
    assert [m.start.date() for m in calendar_moments([leap], date(2023, 1, 1),
                                                     date(2025, 12, 31))] == [
        date(2024, 2, 29), date(2025, 2, 28)
    ]  # fmt: skip
    december = calendar_moments([_day("2020-01-03")], date(2026, 12, 1), date(2026, 12, 31))
    assert [(m.start.date(), m.title) for m in december] == [
        (date(2026, 12, 27), "In 7 days: The day of discovery")
    ]


def test_an_anniversary_needs_a_day_and_a_lead_within_sixty_days() -> None:
    with pytest.raises(InvalidField) as no_day:
        validate("anniversary", {"title": "The day"})
    assert no_day.value.field == "on"
    with pytest.raises(InvalidField) as far:
        validate("anniversary", {"title": "The day", "on": "2025-03-14", "lead_days": 61})
    assert far.value.field == "lead_days"


def test_box_breathing_takes_a_minute_in_four_even_sides() -> None:
    assert BOX.seconds == 64 and {s.seconds for s in BOX.steps} == {4}
    assert BOX.at(0) == (0, 0.0) and BOX.at(6) == (1, 0.5) and BOX.at(64) == (16, 1.0)
    assert [s.size for s in BOX.steps[:4]] == [1.0, 1.0, 0.0, 0.0]
    assert SENSES.seconds == 60 and SENSES.steps[0].words == "Name five things you can see"
    assert BOX.lines()[2] == " 1. Breathe in slowly through your nose (4 s)"
    assert timedelta(seconds=BOX.seconds) <= timedelta(minutes=1, seconds=5)
