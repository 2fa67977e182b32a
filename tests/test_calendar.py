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


# -- zones, exceptions, extra dates, moved occurrences -----------------------------------------


def test_a_zoned_weekly_event_keeps_its_wall_clock_time_across_daylight_saving() -> None:
    """Paris leaves summer time on 25 Oct 2026: the 19:00 date night stays 19:00 there, so its
    UTC instant moves from 17:00 to 18:00 (a fixed offset would have drifted to 20:00)."""
    night = event(start="2026-10-16T19:00", end="2026-10-16T21:00", tz="Europe/Paris",
                  rrule="FREQ=WEEKLY;COUNT=3")  # fmt: skip
    found = expand([night], date(2026, 10, 1), date(2026, 11, 30))
    assert [f"{o.start:%H:%M}" for o in found] == ["19:00", "19:00", "19:00"]
    assert [o.start.astimezone(UTC).hour for o in found] == [17, 17, 18]


def test_an_offset_given_with_a_zone_becomes_wall_clock_time_there() -> None:
    fields = event(start="2026-10-16T17:00Z", end="2026-10-16T19:00Z", tz="Europe/Paris").fields
    assert (fields["start"], fields["end"], fields["tz"]) == (
        "2026-10-16T19:00", "2026-10-16T21:00", "Europe/Paris")  # fmt: skip


def test_an_older_event_without_a_zone_is_stored_and_expanded_as_before() -> None:
    """Fields are only added when set: an event from before zones existed (or from a partner's
    older device) validates to exactly what it was, and keeps its fixed offset."""
    raw = {"title": "Walk", "start": "2026-11-02T08:00+01:00", "end": "2026-11-02T09:00+01:00",
           "all_day": False, "location": "", "notes": "", "event_kind": "other",
           "rrule": "FREQ=WEEKLY;COUNT=2"}  # fmt: skip
    assert validate("event", raw) == raw
    assert starts(expand([event(**raw)], *NOV)) == [
        "2026-11-02T08:00:00+01:00", "2026-11-09T08:00:00+01:00"]  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"tz": "Mars/Olympus"}, "not a time zone this computer knows"),
        ({"tz": "../../etc/passwd"}, "not a time zone name"),
        ({"exdates": "2026-11-09"}, "must be a list"),
        ({"exdates": ["not a date"]}, "not a date"),
        ({"overrides": [{"of": "2026-11-09T19:00"}]}, "overrides start: is required"),
        ({"alarms": ["15 minutes"]}, "not a duration"),
        ({"alarms": ["-P60D"]}, "more than four weeks"),
    ],
)
def test_bad_calendar_fields_are_refused_naming_them(raw: dict[str, Any], words: str) -> None:
    with pytest.raises(InvalidField) as refused:
        event(start="2026-11-02T19:00", **raw)
    assert words in str(refused.value)


def test_exceptions_extra_dates_and_moved_occurrences() -> None:
    weekly = event(
        title="Date night", start="2026-11-02T19:00", end="2026-11-02T21:00", tz="Europe/Paris",
        rrule="FREQ=WEEKLY;COUNT=4", exdates=["2026-11-09T19:00"], rdates=["2026-11-12T18:00"],
        overrides=[{"of": "2026-11-16T19:00", "start": "2026-11-17T20:00",
                    "end": "2026-11-17T23:00", "title": "Date night (Tuesday)"}],
    )  # fmt: skip
    found = expand([weekly], *NOV)
    assert [(f"{o.start:%d %H:%M}", f"{o.end:%H:%M}", o.title) for o in found] == [
        ("02 19:00", "21:00", "Date night"),
        ("12 18:00", "20:00", "Date night"),
        ("17 20:00", "23:00", "Date night (Tuesday)"),
        ("23 19:00", "21:00", "Date night"),
    ]
    assert [o.moved is not None for o in found] == [False, False, True, False]


def test_all_day_exceptions_are_days() -> None:
    monthly = event(start="2026-11-01", all_day=True, rrule="FREQ=DAILY;COUNT=5",
                    exdates=["2026-11-03", "2026-11-04T10:00"])  # fmt: skip
    assert monthly.fields["exdates"] == ["2026-11-03", "2026-11-04"]
    assert [o.start.day for o in expand([monthly], *NOV)] == [1, 2, 5]


def test_times_at_the_edge_of_the_calendar_are_refused_or_shown_without_overflow() -> None:
    """Moving a time of the year 9999 (or 1) into a zone, or a day past the last one, must not
    escape as an OverflowError (a traceback in the CLI, a stopped sync)."""
    with pytest.raises(InvalidField, match="exdates: '9999-12-31T23:59Z' is out of range"):
        event(start="2026-01-01T10:00", tz="Asia/Tokyo", exdates=["9999-12-31T23:59Z"])
    with pytest.raises(InvalidField, match="start: 0001-01-01T00:00"):
        event(start="0001-01-01T00:00+05:00", tz="America/New_York")
    last = event(start="9999-12-30", end="9999-12-31", all_day=True,
                 overrides=[{"of": "9999-12-30", "start": "9999-12-31"}])  # fmt: skip
    assert expand([last], date(9999, 12, 1), date(9999, 12, 30)) == []
    nightly = event(start="9999-12-20T20:00", end="9999-12-20T23:00", rrule="FREQ=DAILY")
    assert len(expand([nightly], date(9999, 12, 1), date(9999, 12, 30))) == 8
