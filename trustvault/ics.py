"""iCalendar (RFC 5545) export and import of events, through the ``icalendar`` library.

Export writes one VEVENT per event with ``UID = <entry id>@trustvault``. With ``neutral_titles``
every SUMMARY is "Appointment" and nothing else that describes the event leaves the vault (no
description, location, notes or kind): only when it happens and how it repeats.

Import reads VEVENTs into raw event fields for :meth:`EntryStore.add_many`, all in one
transaction. Re-importing the same file adds nothing twice: each imported UID is remembered in the
vault's settings (``meta`` key ``ics.uid.<UID>``, inside the encrypted database), and a UID this
vault exported itself (``<id>@trustvault`` of an existing entry) is recognised too.

Time zones: UTC times stay UTC; times with a TZID become floating wall-clock times (a weekly 19:00
stays 19:00 across daylight-saving changes); a stored fixed offset is exported as UTC.
Not carried over: EXDATE/RDATE and moved single occurrences (RECURRENCE-ID overrides are skipped).
"""

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

import icalendar

from trustvault.entries.kinds import EVENT_KINDS, validate
from trustvault.entries.model import Entry
from trustvault.entries.parsing import to_datetime
from trustvault.errors import InvalidField
from trustvault.results import NEUTRAL_TITLE
from trustvault.storage import meta_store
from trustvault.storage.transaction import transaction
from trustvault.vault import Vault

__all__ = ["NEUTRAL_TITLE", "export_ics", "import_ics", "parse_ics"]

PRODID: Final = "-//TrustVault//TrustVault//EN"
_UID_DOMAIN: Final = "@trustvault"
_OWN_UID = re.compile(r"^([0-9a-f]{32})@trustvault$")
_KIND_PROP: Final = "X-TRUSTVAULT-KIND"
_TITLE_MAX = 200
_LOCATION_MAX = 300


# -- export ------------------------------------------------------------------------------------


def export_ics(events: Iterable[Entry], *, neutral_titles: bool) -> bytes:
    """An iCalendar file holding ``events`` (other kinds are skipped)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    for entry in events:
        if entry.kind == "event" and entry.fields:
            cal.add_component(_vevent(entry, neutral_titles))
    data: bytes = cal.to_ical()
    return data


def _vevent(entry: Entry, neutral: bool) -> icalendar.Event:
    f = entry.fields
    event = icalendar.Event()
    event.add("uid", entry.id + _UID_DOMAIN)
    event.add("dtstamp", to_datetime(entry.updated).astimezone(UTC))
    if f["all_day"]:
        first = date.fromisoformat(f["start"][:10])
        last = date.fromisoformat(f["end"][:10])
        event.add("dtstart", first)
        event.add("dtend", last + timedelta(days=1))
    else:
        event.add("dtstart", _export_time(f["start"]))
        event.add("dtend", _export_time(f["end"]))
    if f.get("rrule"):
        event.add("rrule", icalendar.vRecur.from_ical(f["rrule"]))
    if neutral:
        event.add("summary", NEUTRAL_TITLE)
        return event
    event.add("summary", f["title"])
    if f.get("location"):
        event.add("location", f["location"])
    if f.get("notes"):
        event.add("description", f["notes"])
    event.add(_KIND_PROP, f.get("event_kind") or "other")
    return event


def _export_time(value: str) -> datetime:
    moment = to_datetime(value)
    return moment if moment.tzinfo is None else moment.astimezone(UTC)


# -- import ------------------------------------------------------------------------------------


def parse_ics(data: bytes, source: str = "the calendar file") -> list[dict[str, Any]]:
    """Raw event fields, one dict per VEVENT, each with its UID under ``"ics_uid"``.

    Raises :class:`InvalidField` (field ``calendar file``) naming ``source`` and the problem when
    the data is not iCalendar or an event lacks a usable start.
    """
    try:
        cal = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        raise _bad(source, f"it is not an iCalendar file ({_short(exc)})") from None
    if getattr(cal, "name", "") != "VCALENDAR":
        raise _bad(source, "it does not start with BEGIN:VCALENDAR")
    out = []
    for number, component in enumerate(cal.walk("VEVENT"), start=1):
        if component.get("RECURRENCE-ID") is not None:
            continue
        where = f"event {number} of {source}"
        try:
            out.append(_event_fields(component, where))
        except InvalidField:
            raise
        except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
            # icalendar's errors for a broken property are ValueErrors; a date past the year
            # 9999 (a huge DURATION) is an OverflowError. The person's own file: say where.
            raise _bad(where, f"it cannot be read ({_short(exc)})") from None
    return out


def _event_fields(component: Any, where: str) -> dict[str, Any]:
    start = _time(component, "DTSTART", where)
    if start is None:
        raise _bad(where, "it has no DTSTART")
    all_day = not isinstance(start, datetime)
    end = _time(component, "DTEND", where)
    if end is None and component.get("DURATION") is not None:
        duration = getattr(component.get("DURATION"), "dt", None)
        if isinstance(duration, timedelta):
            end = start + duration
    if end is None:
        end = start
    if all_day and isinstance(end, datetime):
        end = end.date()
    elif not all_day and not isinstance(end, datetime):
        end = datetime.combine(end, datetime.min.time(), tzinfo=getattr(start, "tzinfo", None))
    if all_day:
        last = end - timedelta(days=1) if end > start else start
        start_text, end_text = start.isoformat(), last.isoformat()
    else:
        start_text, end_text = _stored_time(start), _stored_time(end)
    rule = component.get("RRULE")
    if isinstance(rule, list):
        rule = rule[0] if rule else None
    kind = str(component.get(_KIND_PROP, "other"))
    uid = str(component.get("UID", "")).strip()
    return {
        "title": _text(component, "SUMMARY", _TITLE_MAX) or "Untitled event",
        "start": start_text,
        "end": end_text,
        "all_day": all_day,
        "location": _text(component, "LOCATION", _LOCATION_MAX),
        "notes": _text(component, "DESCRIPTION", None),
        "event_kind": kind if kind in EVENT_KINDS else "other",
        "rrule": rule.to_ical().decode("ascii", "replace") if rule is not None else "",
        "ics_uid": uid,
    }


def _time(component: Any, name: str, where: str) -> date | None:
    prop = component.get(name)
    if prop is None:
        return None
    value = getattr(prop, "dt", None)
    if not isinstance(value, date):
        raise _bad(where, f"its {name} is not a date or date-time")
    return value


def _stored_time(moment: date) -> str:
    """UTC stays UTC (``Z``); a TZID time becomes floating wall-clock time."""
    assert isinstance(moment, datetime)
    if moment.tzinfo is None:
        return moment.isoformat(timespec="seconds")
    zone = getattr(moment.tzinfo, "key", "UTC")
    if moment.utcoffset() == timedelta(0) and zone in ("UTC", "Etc/UTC"):
        return moment.astimezone(UTC).isoformat(timespec="seconds")
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


def _text(component: Any, name: str, limit: int | None) -> str:
    value = component.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    text = str(value).replace("\x00", "").strip() if value is not None else ""
    return text[:limit] if limit else text


def import_ics(
    vault: Vault, data: bytes, *, source: str = "the calendar file", visibility: str | None = None
) -> tuple[list[Entry], int]:
    """Add the file's events to ``vault`` in one transaction; returns (added, skipped as known).

    An invalid event stops the whole import (nothing stored) with an error naming the event.
    """
    fresh: list[dict[str, Any]] = []
    seen: set[str] = set()
    skipped = 0
    for raw in parse_ics(data, source):
        uid = raw["ics_uid"]
        if uid and (uid in seen or _known_uid(vault, uid)):
            skipped += 1
            continue
        if uid:
            seen.add(uid)
        fresh.append(raw)
    for raw in fresh:
        try:
            validate("event", raw)
        except InvalidField as exc:
            where = f"the event {raw['title']!r} in {source}"
            raise InvalidField(
                exc.field, f"{_problem(exc)} ({where}); nothing was imported"
            ) from None
    with transaction(vault.conn):
        added = vault.entries.add_many(("event", raw, visibility) for raw in fresh)
        for raw, entry in zip(fresh, added, strict=True):
            if raw["ics_uid"]:
                meta_store.remember_imported_event(vault.conn, raw["ics_uid"], entry.id)
    return added, skipped


def _known_uid(vault: Vault, uid: str) -> bool:
    if meta_store.imported_event(vault.conn, uid):
        return True
    own = _OWN_UID.match(uid)
    return own is not None and vault.entries.exists(own.group(1))


def _problem(exc: InvalidField) -> str:
    prefix = f"Invalid {exc.field}: "
    return exc.message[len(prefix) :] if exc.message.startswith(prefix) else exc.message


def _bad(where: str, problem: str) -> InvalidField:
    return InvalidField("calendar file", f"{where}: {problem}; nothing was imported")


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]
