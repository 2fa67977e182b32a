"""Recurring events expanded over a range of days."""

import time
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from trustvault.calendar import MAX_STEPS, Occurrence, expand
from trustvault.entries.kinds import validate
from trustvault.entries.model import Entry
from trustvault.errors import InvalidField
from trustvault.ids import new_id

NOV = (date(2026, 11, 1), date(2026, 11, 30))


def event(**raw: Any) -> Entry:
    raw.setdefault("title", "Date night")
    return _entry("event", raw)


def _entry(kind: str, raw: Mapping[str, Any]) -> Entry:
    now = "2026-10-01T09:00:00Z"
    return Entry(new_id(), kind, "dev", now, now, "shared", validate(kind, raw), 1, "dev")


def starts(occurrences: list[Occurrence]) -> list[str]:
    return [o.start.isoformat() for o in occurrences]


def test_single_event_inside_and_outside_the_range() -> None:
    inside = event(start="2026-11-06T19:00", end="2026-11-06T22:00")
    before = event(start="2026-10-31T19:00", end="2026-10-31T22:00")
    after = event(start="2026-12-01T00:00", end="2026-12-01T01:00")
    found = expand([before, inside, after], *NOV)
    assert [o.entry for o in found] == [inside]
    assert found[0].start == datetime(2026, 11, 6, 19, 0)
    assert found[0].end == datetime(2026, 11, 6, 22, 0)


def test_event_overlapping_the_range_start_is_included() -> None:
    overnight = event(start="2026-10-31T22:00", end="2026-11-01T02:00")
    assert len(expand([overnight], *NOV)) == 1
    ends_at_midnight = event(start="2026-10-31T22:00", end="2026-11-01T00:00")
    assert expand([ends_at_midnight], *NOV) == []


def test_zero_length_event_counts_when_it_starts_in_range() -> None:
    instant = event(start="2026-11-01T00:00")
    assert len(expand([instant], *NOV)) == 1
    last_day = event(start="2026-11-30T23:59")
    assert len(expand([last_day], *NOV)) == 1


def test_weekly_with_count() -> None:
    weekly = event(start="2026-11-06T19:00", end="2026-11-06T22:00", rrule="FREQ=WEEKLY;COUNT=3")
    found = expand([weekly], date(2026, 10, 1), date(2027, 1, 31))
    assert starts(found) == ["2026-11-06T19:00:00", "2026-11-13T19:00:00", "2026-11-20T19:00:00"]
    assert all(o.end - o.start == timedelta(hours=3) for o in found)


def test_until_in_utc_as_calendar_apps_write_it() -> None:
    weekly = event(
        start="2026-11-06T19:00Z",
        end="2026-11-06T20:00Z",
        rrule="RRULE:FREQ=WEEKLY;UNTIL=20261120T190000Z",
    )
    found = expand([weekly], *NOV)
    assert [o.start for o in found] == [
        datetime(2026, 11, d, 19, 0, tzinfo=UTC) for d in (6, 13, 20)
    ]


def test_fixed_offset_keeps_wall_clock_time() -> None:
    plus_two = timezone(timedelta(hours=2))
    weekly = event(
        start="2026-11-06T19:00+02:00",
        end="2026-11-06T21:00+02:00",
        rrule="FREQ=WEEKLY;UNTIL=20261113T170000Z",
    )
    found = expand([weekly], *NOV)
    assert [o.start for o in found] == [
        datetime(2026, 11, 6, 19, 0, tzinfo=plus_two),
        datetime(2026, 11, 13, 19, 0, tzinfo=plus_two),
    ]


def test_range_cuts_an_endless_rule() -> None:
    daily = event(start="2020-01-01T08:00", end="2020-01-01T08:30", rrule="FREQ=DAILY")
    found = expand([daily], *NOV)
    assert len(found) == 30
    assert found[0].start == datetime(2026, 11, 1, 8, 0)
    assert found[-1].start == datetime(2026, 11, 30, 8, 0)


def test_expansion_is_bounded() -> None:
    """Even a rule with more steps than any view needs (here a daily one over decades)."""
    minutely = event(start="1990-01-01T00:00", end="1990-01-01T00:00", rrule="FREQ=DAILY")
    found = expand([minutely], date(1990, 1, 1), date(2099, 12, 31))
    assert len(found) == MAX_STEPS


def test_all_day_events_span_whole_days() -> None:
    trip = event(start="2026-11-27", end="2026-11-29", all_day=True)
    found = expand([trip], date(2026, 11, 29), date(2026, 11, 29))
    assert len(found) == 1
    occurrence = found[0]
    assert occurrence.all_day
    assert occurrence.start == datetime(2026, 11, 27)
    assert occurrence.end == datetime(2026, 11, 30)
    assert expand([trip], date(2026, 11, 30), date(2026, 12, 5)) == []


def test_all_day_recurring_monthly() -> None:
    ritual = event(
        start="2026-01-15", end="2026-01-15", all_day=True, rrule="FREQ=MONTHLY;COUNT=12"
    )
    found = expand([ritual], date(2026, 1, 1), date(2026, 12, 31))
    assert [o.start.date() for o in found] == [date(2026, m, 15) for m in range(1, 13)]


def test_results_are_sorted_and_skip_other_kinds() -> None:
    late = event(start="2026-11-10T20:00", end="2026-11-10T21:00")
    early = event(start="2026-11-03T08:00", end="2026-11-03T09:00", rrule="FREQ=WEEKLY;COUNT=2")
    utc = event(start="2026-11-05T12:00Z", end="2026-11-05T13:00Z")
    milestone = _entry("milestone", {"title": "Ten sessions", "due_on": "2026-11-04"})
    found = expand([late, milestone, early, utc], *NOV)
    assert starts(found) == [
        "2026-11-03T08:00:00",
        "2026-11-05T12:00:00+00:00",
        "2026-11-10T08:00:00",
        "2026-11-10T20:00:00",
    ]


@pytest.mark.parametrize("rule", ["FREQ=WEEKLY;BYDAY=FR;COUNT=4", "FREQ=WEEKLY;INTERVAL=2"])
def test_occurrences_keep_duration_and_entry(rule: str) -> None:
    ev = event(start="2026-11-06T19:00", end="2026-11-06T23:30", rrule=rule)
    found = expand([ev], *NOV)
    assert found
    assert all(o.entry is ev and o.end - o.start == timedelta(hours=4, minutes=30) for o in found)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31;BYDAY=MO,TU,WE,TH,FR,SA,SU",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4",
    ],
)
def test_a_rule_that_never_happens_is_refused_quickly(rule: str) -> None:
    """dateutil would walk to the year 9999 (5-20 s each) before saying there is nothing."""
    started = time.process_time()
    with pytest.raises(InvalidField, match="never happens"):
        event(start="2026-01-01T10:00", end="2026-01-01T11:00", rrule=rule)
    assert time.process_time() - started < 2.0


@pytest.mark.parametrize("freq", ["SECONDLY", "MINUTELY", "HOURLY"])
def test_events_repeat_at_most_daily(freq: str) -> None:
    with pytest.raises(InvalidField, match="at most daily"):
        event(start="2026-01-01T10:00", end="2026-01-01T10:00", rrule=f"FREQ={freq}")


def test_a_rare_but_real_rule_is_kept() -> None:
    """A leap day on a Monday: the next one after 2026 is in 2044, found within the budget."""
    rare = event(
        start="2026-01-01T10:00", end="2026-01-01T11:00",
        rrule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
    )  # fmt: skip
    assert starts(expand([rare], date(2044, 2, 1), date(2044, 2, 29))) == ["2044-02-29T10:00:00"]


def test_a_stored_rule_that_never_happens_shows_nothing_quickly() -> None:
    """Written before rules were checked: the calendar page still opens at once."""
    fields = validate("event", {"title": "Old", "start": "2026-01-01T10:00"})
    fields["rrule"] = "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"
    old = Entry(new_id(), "event", "dev", "2026-01-01T09:00:00Z", "2026-01-01T09:00:00Z",
                "shared", fields, 1, "dev")  # fmt: skip
    started = time.process_time()
    assert expand([old], date(2026, 1, 1), date(2026, 12, 31)) == []
    assert time.process_time() - started < 2.0
