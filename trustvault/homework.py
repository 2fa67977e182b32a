"""Homework from a therapy session ("each write a letter", "read chapter 3"), for the next one.

An item is an entry of kind ``homework`` written by either partner; it names the therapy
occurrence it is for by its event's id and the occurrence's start (``event_id``,
``original_start``), fixed when it is written: the next therapy occurrence on the calendar
that has not started yet (:func:`next_session`). Whom it is for is said from its author's side
(``author``, ``partner`` or ``both``), so both devices read the same people from it.

Done is each person's own word, not a field of the entry: both may mark their part at the same
moment, and of two concurrent edits of one entry only one would stay. A mark is kept in the
``homework_done`` table and told to the partner with a ``done`` op (:func:`apply_done`), which
only the person an item is for may send.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from trustvault.calendar import Occurrence, expand
from trustvault.entries.model import Entry
from trustvault.entries.parsing import parse_date_or_datetime
from trustvault.errors import InvalidField
from trustvault.results import Homework, SessionMoment
from trustvault.storage import homework_store
from trustvault.storage.connection import Connection

__all__ = [
    "LOOK_AHEAD",
    "homework_of",
    "last_session",
    "moment_of",
    "next_session",
    "people_for",
    "session_at",
]

LOOK_AHEAD = timedelta(days=366)
"""How far ahead the next therapy session is looked for (and back, for the last one)."""


def moment_of(occurrence: Occurrence) -> SessionMoment:
    """The occurrence as homework names it: its ORIGINAL start in canonical ISO (a day when
    all-day), so homework stays with its session when the session is moved."""
    start = occurrence.start
    named = occurrence.original or start
    key = named.date().isoformat() if occurrence.all_day else parse_date_or_datetime("start", named)
    aware = start if start.tzinfo is not None else start.astimezone()
    return SessionMoment(occurrence.entry.id, key, aware, occurrence.title)


def _therapy(events: Iterable[Entry], now: datetime, back: bool) -> list[Occurrence]:
    today = now.astimezone().date()
    first, last = (today - LOOK_AHEAD, today) if back else (today, today + LOOK_AHEAD)
    therapy = [e for e in events if e.fields and e.fields.get("event_kind") == "therapy"]
    return expand(therapy, first - timedelta(days=1), last + timedelta(days=1))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.astimezone()


def next_session(events: Iterable[Entry], now: datetime) -> SessionMoment | None:
    """The first therapy occurrence that starts after ``now``: what new homework is for."""
    upcoming = [o for o in _therapy(events, now, back=False) if _aware(o.start) > now]
    return moment_of(min(upcoming, key=lambda o: _aware(o.start))) if upcoming else None


def session_at(events: Iterable[Entry], now: datetime) -> SessionMoment | None:
    """The session going on at ``now``, else the next: what the session view is about."""
    current = [o for o in _therapy(events, now, back=False) if _aware(o.end) > now]
    return moment_of(min(current, key=lambda o: _aware(o.start))) if current else None


def last_session(events: Iterable[Entry], now: datetime) -> SessionMoment | None:
    """The last therapy occurrence that ended by ``now``."""
    past = [o for o in _therapy(events, now, back=True) if _aware(o.end) <= now]
    return moment_of(max(past, key=lambda o: _aware(o.start))) if past else None


def people_for(entry: Entry, people: tuple[str, ...]) -> tuple[str, ...]:
    """The device ids the item is for; ``people`` is (this device, the partner if paired)."""
    partner = next((p for p in people if p != entry.author), "")
    for_whom = entry.fields.get("for", "both")
    chosen = {"author": (entry.author,), "partner": (partner,)}.get(
        for_whom, (entry.author, partner)
    )
    return tuple(p for p in chosen if p)


def homework_of(
    conn: Connection, entries: Iterable[Entry], people: tuple[str, ...]
) -> list[Homework]:
    """Every item (with its text) and its done marks, oldest first."""
    marks = homework_store.done_marks(conn)
    out = [
        Homework(
            entry,
            str(entry.fields["event_id"]),
            str(entry.fields["original_start"]),
            people_for(entry, people),
            marks.get(entry.id, {}),
        )
        for entry in entries
        if entry.kind == "homework" and entry.fields
    ]
    return sorted(out, key=lambda h: (h.entry.created, h.entry.id))


def check_mark(entry: Entry, person: str, people: tuple[str, ...]) -> None:
    """Refuse a done mark by anyone the item is not for (raises :class:`InvalidField`)."""
    if entry.kind != "homework":
        raise InvalidField("entry", "only homework can be marked done")
    if not entry.fields:
        raise InvalidField("entry", "that homework was withdrawn by its author")
    if person not in people_for(entry, people):
        raise InvalidField("entry", "only the person homework is for can mark it done")


def done_body(entry_id: str, done: bool, at: str) -> dict[str, Any]:
    """The ``done`` op's body: the item, done or not any more, and when this was said."""
    return {"id": entry_id, "done": done, "at": at}
