"""Calendar: the occurrences of events, recurring ones expanded, over a range of days.

Times are handled in each event's own wall-clock time (in its zone ``tz``, floating, UTC or a
fixed offset, as stored), so a weekly 19:00 date night stays at 19:00, across daylight-saving
changes too: an occurrence of an event with a zone carries that zone, so its instant is exact.
Exceptions (``exdates``), extra dates (``rdates``) and moved occurrences (``overrides``) are
applied to the rule's occurrences, as iCalendar's EXDATE, RDATE and RECURRENCE-ID do.

An all-day event's stored ``end`` is its last day (inclusive); its :class:`Occurrence` ends at
the midnight after it, like ``DTEND`` in iCalendar.

Expansion is bounded: at most :data:`MAX_STEPS` steps of a rule are walked per event, so a rule
such as ``FREQ=MINUTELY`` over decades cannot hang the app.
"""

import heapq
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from trustvault.entries.budget import OutOfSteps, within_budget
from trustvault.entries.event_fields import moment_form, zone_of
from trustvault.entries.model import Entry
from trustvault.entries.parsing import RRULE_STEPS, rrule_of, to_datetime
from trustvault.occurrence_ref import OccurrenceRef

__all__ = ["MAX_STEPS", "Occurrence", "event_span", "expand"]

MAX_STEPS = 20_000
_LAST_START = datetime(9999, 12, 28)  # later starts plus a length (at most days) would overflow


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of an event; ``end`` is exclusive (all-day: the following midnight).

    ``moved`` holds what a moved occurrence changes (its ``title``), else None. ``virtual``:
    not an event in the vault but a moment derived from one (a pause's return,
    :mod:`trustvault.pause_return`), which nobody edits. ``original``: where a moved
    occurrence was before it moved (None: it is where the rule puts it).
    """

    entry: Entry
    start: datetime
    end: datetime
    moved: dict[str, str] | None = None
    virtual: bool = False
    original: datetime | None = None

    @property
    def ref(self) -> OccurrenceRef:
        """This occurrence's name: the event and its original start in the event's form."""
        fields = self.entry.fields
        form = moment_form(fields["start"], fields.get("tz", ""))
        return OccurrenceRef(self.entry.id, form((self.original or self.start).isoformat(), "of"))

    @property
    def all_day(self) -> bool:
        return bool(self.entry.fields.get("all_day"))

    @property
    def title(self) -> str:
        return (self.moved or {}).get("title") or self.entry.title

    @property
    def location(self) -> str:
        return str(self.entry.fields.get("location", ""))


def event_span(entry: Entry) -> tuple[datetime, datetime]:
    """The first occurrence's start and (exclusive) end: aware in the event's zone, or as stored."""
    start = to_datetime(entry.fields["start"])
    end = to_datetime(entry.fields["end"])
    if entry.fields.get("all_day"):
        end = _after_day(end)
    zone = _zone(entry.fields)
    if zone is not None:
        start, end = start.replace(tzinfo=zone), end.replace(tzinfo=zone)
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
    fields = entry.fields
    first_start, first_end = event_span(entry)
    duration = first_end - first_start
    tz = first_start.tzinfo
    overrides = {_wall_of(o["of"]): o for o in fields.get("overrides", ())}
    skipped = {_wall_of(t) for t in fields.get("exdates", ())} | set(overrides)
    try:
        starts = _starts(fields, _wall(first_start))
    except OutOfSteps:
        return []
    found = []
    for wall_start in starts:
        if wall_start >= window_end or wall_start > _LAST_START:
            break
        if wall_start in skipped:
            continue
        wall_end = wall_start + duration
        if _touches(wall_start, wall_end, window_start, window_end):
            found.append(
                Occurrence(entry, wall_start.replace(tzinfo=tz), wall_end.replace(tzinfo=tz))
            )
    for moved in overrides.values():
        moved_start, moved_end = _wall_of(moved["start"]), _wall_of(moved["end"])
        if fields.get("all_day"):
            moved_end = _after_day(moved_end)
        if moved_start < window_end and _touches(moved_start, moved_end, window_start, window_end):
            extra = {"title": moved["title"]} if "title" in moved else {}
            shifted = extra or moved["start"] != moved["of"]  # else an extra date's own length
            found.append(
                Occurrence(
                    entry,
                    moved_start.replace(tzinfo=tz),
                    moved_end.replace(tzinfo=tz),
                    extra if shifted else None,
                    original=_wall_of(moved["of"]).replace(tzinfo=tz),
                )
            )
    return found


def _starts(fields: dict[str, Any], first: datetime) -> Iterator[datetime]:
    """The rule's starts (at most :data:`MAX_STEPS`) merged with the extra dates, in order."""
    extra = sorted({_wall_of(t) for t in fields.get("rdates", ())} - {first})
    rule_text = fields.get("rrule") or ""
    if not rule_text:
        return heapq.merge([first], extra)
    rule = iter(
        itertools.islice(rrule_of(rule_text, fields["start"], fields.get("tz", "")), MAX_STEPS)
    )
    # Rules are checked when stored (a first occurrence must exist within a budget), so later
    # steps come quickly; a rule stored before that check, which may never match, is shown
    # without occurrences instead of holding the worker for seconds.
    head = within_budget(lambda: next(rule, None), RRULE_STEPS)
    ruled: Iterator[datetime] = itertools.chain([head] if head is not None else [], rule)
    if head != first:
        ruled = heapq.merge([first], ruled)  # DTSTART counts even when the rule skips it
    return _distinct(heapq.merge(ruled, extra))


def _distinct(starts: Iterable[datetime]) -> Iterator[datetime]:
    last = None
    for moment in starts:
        if moment != last:
            yield moment
        last = moment


def _after_day(last: datetime) -> datetime:
    """The midnight after an all-day event's last day (the last moment of the year 9999)."""
    if last.date() == date.max:
        return datetime.combine(date.max, datetime.max.time())
    return datetime.combine(last.date() + timedelta(days=1), datetime.min.time())


def _touches(start: datetime, end: datetime, window_start: datetime, window_end: datetime) -> bool:
    zero = end == start
    return start < window_end and (end > window_start or (zero and start >= window_start))


def _zone(fields: dict[str, Any]) -> tzinfo | None:
    name = fields.get("tz")
    return zone_of(name) if name else None


def _wall_of(text: str) -> datetime:
    return _wall(to_datetime(text))


def _wall(moment: datetime) -> datetime:
    """The wall-clock time in the moment's own zone, comparable with the naive range bounds."""
    return moment.replace(tzinfo=None)
