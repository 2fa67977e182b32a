"""Calendar: the occurrences of events, recurring ones expanded, over a range of days.

Times are handled in each event's own wall-clock time (floating, UTC or a fixed offset, as stored),
so a weekly 19:00 date night stays at 19:00. An all-day event's stored ``end`` is its last day
(inclusive); its :class:`Occurrence` ends at the midnight after it, like ``DTEND`` in iCalendar.

Expansion is bounded: at most :data:`MAX_STEPS` steps of a rule are walked per event, so a rule
such as ``FREQ=MINUTELY`` over decades cannot hang the app.
"""

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from trustvault.entries.budget import OutOfSteps, within_budget
from trustvault.entries.model import Entry
from trustvault.entries.parsing import RRULE_STEPS, rrule_of, to_datetime

__all__ = ["MAX_STEPS", "Occurrence", "event_span", "expand"]

MAX_STEPS = 20_000


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of an event; ``end`` is exclusive (all-day: the following midnight)."""

    entry: Entry
    start: datetime
    end: datetime

    @property
    def all_day(self) -> bool:
        return bool(self.entry.fields.get("all_day"))


def event_span(entry: Entry) -> tuple[datetime, datetime]:
    """The first occurrence's start and (exclusive) end, as stored (aware or floating)."""
    start = to_datetime(entry.fields["start"])
    end = to_datetime(entry.fields["end"])
    if entry.fields.get("all_day"):
        end = datetime.combine(end.date() + timedelta(days=1), datetime.min.time())
    return start, end


def expand(events: Iterable[Entry], start: date, end: date) -> list[Occurrence]:
    """Every occurrence touching the days ``start`` to ``end`` (both included), sorted by start.

    A zero-length event counts when it starts inside the range. Entries of other kinds are skipped.
    """
    window_start = datetime.combine(start, datetime.min.time())
    window_end = datetime.combine(end + timedelta(days=1), datetime.min.time())
    out: list[Occurrence] = []
    for entry in events:
        if entry.kind != "event" or not entry.fields:
            continue
        out.extend(_occurrences(entry, window_start, window_end))
    out.sort(key=lambda o: (_wall(o.start), _wall(o.end), o.entry.id))
    return out


def _occurrences(entry: Entry, window_start: datetime, window_end: datetime) -> list[Occurrence]:
    first_start, first_end = event_span(entry)
    duration = first_end - first_start
    tz = first_start.tzinfo
    rule_text = entry.fields.get("rrule") or ""
    starts: Iterable[datetime] = [_wall(first_start)]
    if rule_text:
        rule = iter(itertools.islice(rrule_of(rule_text, entry.fields["start"]), MAX_STEPS))
        try:
            # Rules are checked when stored (a first occurrence must exist within a budget), so
            # later steps come quickly; a rule stored before that check, which may never match,
            # is shown without occurrences instead of holding the worker for seconds.
            first = within_budget(lambda: next(rule, None), RRULE_STEPS)
        except OutOfSteps:
            return []
        starts = itertools.chain([first] if first is not None else [], rule)
    found = []
    for wall_start in starts:
        if wall_start >= window_end:
            break
        wall_end = wall_start + duration
        if wall_end > window_start or (duration == timedelta(0) and wall_start >= window_start):
            found.append(
                Occurrence(entry, wall_start.replace(tzinfo=tz), wall_end.replace(tzinfo=tz))
            )
    return found


def _wall(moment: datetime) -> datetime:
    """The wall-clock time in the moment's own zone, comparable with the naive range bounds."""
    return moment.replace(tzinfo=None)
