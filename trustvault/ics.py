"""iCalendar (RFC 5545) export and import of events, through the ``icalendar`` library.

Export writes one VEVENT per event with ``UID = <entry id>@trustvault``, its zone as TZID with
the VTIMEZONE it needs, EXDATE, RDATE, a VEVENT with RECURRENCE-ID per moved occurrence and a
VALARM per reminder, so another program computes the same occurrences. With ``neutral_titles``
every SUMMARY is "Appointment" and nothing else that describes the event leaves the vault (no
description, location, notes, kind or reminder text): only when it happens and how it repeats.

Import (:func:`prepare` then :func:`store`) reads the file with :mod:`trustvault.ics_read`,
validates every event before writing anything, then stores them in batches. Re-importing the
same file adds nothing twice: each imported UID is remembered in the vault's settings (``meta``
key ``ics.uid.<UID>``, inside the encrypted database), and a UID this vault exported itself
(``<id>@trustvault`` of an existing entry) is recognised too.
"""

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from typing import Any, Final

import icalendar

from trustvault.entries.event_fields import parse_duration, zone_of
from trustvault.entries.kinds import validate
from trustvault.entries.model import Entry
from trustvault.entries.parsing import to_datetime
from trustvault.errors import InvalidField
from trustvault.ics_read import KIND_PROP, read_calendar
from trustvault.results import NEUTRAL_TITLE
from trustvault.storage import meta_store
from trustvault.storage.transaction import transaction
from trustvault.vault import Vault

__all__ = [
    "BATCH",
    "NEUTRAL_TITLE",
    "Prepared",
    "export_ics",
    "import_ics",
    "parse_ics",
    "prepare",
    "store",
]

PRODID: Final = "-//TrustVault//TrustVault//EN"
_UID_DOMAIN: Final = "@trustvault"
_OWN_UID = re.compile(r"^([0-9a-f]{32})@trustvault$")
_REMINDER: Final = "Reminder"
_ZONE_RULES: Final = (date(1970, 1, 1), date(2100, 1, 1))


# -- export ------------------------------------------------------------------------------------


def export_ics(events: Iterable[Entry], *, neutral_titles: bool) -> bytes:
    """An iCalendar file holding ``events`` (other kinds are skipped)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    for entry in events:
        if entry.kind == "event" and entry.fields:
            for component in _vevents(entry, neutral_titles):
                cal.add_component(component)
    # A VTIMEZONE's rules cover 1970 to 2038 unless told otherwise; a weekly evening goes on.
    cal.add_missing_timezones(first_date=_ZONE_RULES[0], last_date=_ZONE_RULES[1])
    data: bytes = cal.to_ical()
    return data


def _vevents(entry: Entry, neutral: bool) -> list[icalendar.Event]:
    f = entry.fields
    when = _Times(f)
    event = _base(entry, neutral, f["title"], f.get("location", ""))
    event.add("dtstart", when.start(f["start"]))
    event.add("dtend", when.end(f["end"]))
    if f.get("rrule"):
        event.add("rrule", icalendar.vRecur.from_ical(f["rrule"]))
    if f.get("exdates"):
        event.add("exdate", [when.start(t) for t in f["exdates"]])
    if f.get("rdates"):
        event.add("rdate", [when.start(t) for t in f["rdates"]])
    if not neutral:
        if f.get("notes"):
            event.add("description", f["notes"])
        event.add(KIND_PROP, f.get("event_kind") or "other")
    for offset in f.get("alarms", ()):
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _REMINDER if neutral else f["title"])
        alarm.add("trigger", parse_duration("alarms", offset))
        event.add_component(alarm)
    out = [event]
    for moved in f.get("overrides", ()):
        one = _base(entry, neutral, moved.get("title", f["title"]), f.get("location", ""))
        one.add("recurrence-id", when.start(moved["of"]))
        one.add("dtstart", when.start(moved["start"]))
        one.add("dtend", when.end(moved["end"]))
        out.append(one)
    return out


def _base(entry: Entry, neutral: bool, title: str, location: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", entry.id + _UID_DOMAIN)
    event.add("dtstamp", to_datetime(entry.updated).astimezone(UTC))
    event.add("summary", NEUTRAL_TITLE if neutral else title)
    if location and not neutral:
        event.add("location", location)
    return event


class _Times:
    """Stored times as iCalendar values: in the event's zone (TZID), UTC, floating or a day."""

    def __init__(self, fields: dict[str, Any]) -> None:
        self.all_day = bool(fields["all_day"])
        self.zone = zone_of(fields["tz"]) if fields.get("tz") else None

    def start(self, text: str) -> date:
        if self.all_day:
            return date.fromisoformat(text[:10])
        moment = to_datetime(text)
        if self.zone is not None:
            return moment.replace(tzinfo=self.zone)
        return moment if moment.tzinfo is None else moment.astimezone(UTC)

    def end(self, text: str) -> date:
        """An all-day event's stored end is its last day; DTEND is the day after."""
        if self.all_day:
            return date.fromisoformat(text[:10]) + timedelta(days=1)
        return self.start(text)


# -- import ------------------------------------------------------------------------------------


def parse_ics(data: bytes, source: str = "the calendar file") -> list[dict[str, Any]]:
    """Raw event fields, one dict per event, each with its UID under ``"ics_uid"``.

    Raises :class:`InvalidField` (field ``calendar file``) naming ``source`` and the problem when
    the data is not iCalendar or an event cannot be read.
    """
    return read_calendar(data, source).events


@dataclass(frozen=True)
class Prepared:
    """A file checked and ready to store: nothing is written until :func:`store` runs."""

    fresh: list[dict[str, Any]]  # validated fields, each with "ics_uid"
    known: int  # events this vault already holds (same UID)
    notes: list[str]  # one line per thing not carried over, or event refused


def prepare(vault: Vault, data: bytes, source: str = "the calendar file") -> Prepared:
    """Read and validate every event, outside any write transaction (a rule's check may take
    0.2 s). An event the vault refuses by design (a rule repeating more than daily, a rule that
    never happens) is left out with a line in ``notes``; an event that cannot be read refuses
    the whole file, naming it."""
    calendar = read_calendar(data, source)
    fresh: list[dict[str, Any]] = []
    notes = list(calendar.notes)
    seen: set[str] = set()
    known = 0
    for raw in calendar.events:
        uid = raw["ics_uid"]
        if uid and (uid in seen or _known_uid(vault, uid)):
            known += 1
            continue
        try:
            fields = validate("event", raw)
        except InvalidField as exc:
            if exc.field in _REFUSED_BY_DESIGN:
                label = _REFUSED_BY_DESIGN[exc.field]
                notes.append(f"{raw['title']!r} was not imported ({label}: {_problem(exc)}).")
                continue
            where = f"the event {raw['title']!r} in {source}"
            raise InvalidField(
                exc.field, f"{_problem(exc)} ({where}); nothing was imported"
            ) from None
        if uid:
            seen.add(uid)
        fresh.append({**fields, "ics_uid": uid})
    return Prepared(fresh, known, notes)


_REFUSED_BY_DESIGN: Final = {
    "rrule": "its repeat rule",
    "exdates": "its exceptions",
    "rdates": "its extra dates",
    "overrides": "its moved occurrences",
    "alarms": "its reminders",
}
"""Fields whose refusal leaves the one event out (said in a note), not the whole file: a rule
TrustVault does not repeat, lists longer than it keeps."""

BATCH: Final = 200
"""Events stored per transaction: each holds the write lock for under 0.1 s, so another program
writing to the vault (the app while the CLI imports) waits briefly, well inside its busy timeout,
instead of for the whole file (a 50 MB file takes a minute)."""


_PAUSE: Final = 0.05
"""The rest between two batches. SQLite gives a waiting writer no turn: its busy handler polls,
sleeping up to 100 ms between tries, and would miss a gap of microseconds between one COMMIT
and the next BEGIN. Resting 50 ms lets a waiting writer in after a batch or two (measured: the
longest wait of a writer adding entries in a loop during a 2,000-event import fell from the
whole import, 0.6 s, to 0.14 s), for 50 ms per 200 events."""


def store(vault: Vault, prepared: Prepared, visibility: str | None) -> list[Entry]:
    """Add the prepared events in batches of :data:`BATCH`, each one transaction with its sync
    ops. Killed half-way, the batches committed stay and are remembered by UID, so importing the
    same file again adds only the rest."""
    added: list[Entry] = []
    for first in range(0, len(prepared.fresh), BATCH):
        batch = prepared.fresh[first : first + BATCH]
        with transaction(vault.conn):
            batch = [
                raw for raw in batch if not raw["ics_uid"] or not _known_uid(vault, raw["ics_uid"])
            ]
            stored = vault.entries.add_many(
                ("event", {k: v for k, v in raw.items() if k != "ics_uid"}, visibility)
                for raw in batch
            )
            for raw, entry in zip(batch, stored, strict=True):
                if raw["ics_uid"]:
                    meta_store.remember_imported_event(vault.conn, raw["ics_uid"], entry.id)
        added.extend(stored)
        if first + BATCH < len(prepared.fresh):
            time.sleep(_PAUSE)
    return added


def import_ics(
    vault: Vault, data: bytes, *, source: str = "the calendar file", visibility: str | None = None
) -> tuple[list[Entry], int]:
    """Add the file's events to ``vault``; returns (added, skipped as known). See :func:`prepare`
    and :func:`store`."""
    prepared = prepare(vault, data, source)
    return store(vault, prepared, visibility), prepared.known


def _known_uid(vault: Vault, uid: str) -> bool:
    if meta_store.imported_event(vault.conn, uid):
        return True
    own = _OWN_UID.match(uid)
    return own is not None and vault.entries.exists(own.group(1))


def _problem(exc: InvalidField) -> str:
    prefix = f"Invalid {exc.field}: "
    return exc.message[len(prefix) :] if exc.message.startswith(prefix) else exc.message
