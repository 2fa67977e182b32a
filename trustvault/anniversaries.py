"""Anniversaries: days that come back each year (the day of discovery, others a person marks),
flagged ahead so they do not arrive unannounced.

An anniversary is an entry (kind ``anniversary``: a title, the day ``on`` and ``lead_days``),
private unless its author shares it. Nothing is written for its yearly return: the calendar
derives two moments per year from it (the day itself, and the flag ``lead_days`` before) and
the reminders one, at :data:`~trustvault.reminders.REVIEW_HOUR` on the flag's day, worth saying
until the day itself ends. A 29 February comes back on 28 February in other years.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from trustvault.calendar import Occurrence
from trustvault.entries.model import Entry

__all__ = ["Coming", "ahead_words", "calendar_moments", "coming", "next_day", "on_year"]


@dataclass(frozen=True)
class Coming:
    """An anniversary's next return: ``day`` (today or later), ``in_days`` from today."""

    entry: Entry
    day: date
    in_days: int

    @property
    def flagged(self) -> bool:
        """Within its lead: the calendar and the reminders say it is coming."""
        return self.in_days <= int(self.entry.fields.get("lead_days", 0))


def on_year(entry: Entry, year: int) -> date:
    """The anniversary's day in ``year``."""
    first = date.fromisoformat(str(entry.fields["on"]))
    try:
        return first.replace(year=year)
    except ValueError:  # 29 February in a year that has none
        return date(year, 2, 28)


def next_day(entry: Entry, today: date) -> date:
    """Its next return on or after ``today`` (the first day itself counts as one)."""
    this_year = on_year(entry, today.year)
    return this_year if this_year >= today else on_year(entry, today.year + 1)


def coming(entries: Iterable[Entry], today: date) -> list[Coming]:
    """Every anniversary (not tombstones) with its next return, soonest first."""
    out = []
    for entry in entries:
        if entry.kind == "anniversary" and entry.fields:
            day = next_day(entry, today)
            out.append(Coming(entry, day, (day - today).days))
    return sorted(out, key=lambda c: (c.day, c.entry.title))


def ahead_words(in_days: int) -> str:
    if in_days == 0:
        return "today"
    return "tomorrow" if in_days == 1 else f"in {in_days} days"


def calendar_moments(entries: Iterable[Entry], first: date, last: date) -> list[Occurrence]:
    """The days ``first`` to ``last`` hold of each anniversary: its day ("The day of
    discovery") and its flag ahead ("In 7 days: The day of discovery", field ``ahead``), all
    day, ``virtual`` (edited as the entry, never as an event)."""
    out = []
    for entry in entries:
        if entry.kind != "anniversary" or not entry.fields:
            continue
        lead = int(entry.fields.get("lead_days", 0))
        for year in range(first.year, last.year + 2):  # a flag in December for January
            day = on_year(entry, year)
            if date.fromisoformat(str(entry.fields["on"])) > day:
                continue  # before the first one
            if first <= day <= last:
                out.append(_moment(entry, day, entry.title, ahead=False))
            flag = day - timedelta(days=lead)
            if lead and first <= flag <= last:
                words = f"{ahead_words(lead).capitalize()}: {entry.title}"
                out.append(_moment(entry, flag, words, ahead=True))
    return sorted(out, key=lambda o: (o.start, o.title))


def _moment(entry: Entry, day: date, title: str, *, ahead: bool) -> Occurrence:
    shown = Entry(
        id=entry.id,
        kind="anniversary",
        author=entry.author,
        created=entry.created,
        updated=entry.updated,
        visibility=entry.visibility,
        fields={"title": title, "all_day": True, "event_kind": "anniversary", "ahead": ahead},
        revision=entry.revision,
        editor=entry.editor,
    )
    start = datetime.combine(day, time())
    return Occurrence(shown, start, start + timedelta(days=1), virtual=True)
