"""Reading an iCalendar file into raw event fields (validated later by ``validate("event")``).

One event per UID: the VEVENT without RECURRENCE-ID is the event, the others with its UID are
its moved occurrences (``overrides``), or exceptions when cancelled. A moved occurrence whose
event is not in the file is an event of its own. Times keep their zone
(:mod:`trustvault.ics_zones`), UTC stays UTC, floating stays floating, a date is all-day. What
cannot be carried over is said in one line per event in :attr:`ReadCalendar.notes`.
"""

import warnings
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any, Final

import icalendar

from trustvault.entries.event_fields import MAX_ALARMS, duration_text, zone_of
from trustvault.entries.kinds import EVENT_KINDS
from trustvault.errors import InvalidField
from trustvault.ics_zones import zone_name

__all__ = ["KIND_PROP", "ReadCalendar", "read_calendar"]

KIND_PROP: Final = "X-TRUSTVAULT-KIND"
_TITLE_MAX = 200
_LOCATION_MAX = 300
_ALARM_LIMIT = timedelta(weeks=4)
_PARSE_ERRORS = (
    ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError,
    OSError,  # a TZID too long for a file name, looked up in the zone database by icalendar
)  # fmt: skip


@dataclass
class ReadCalendar:
    """The file's events as raw fields (each with ``ics_uid``) and what was not carried over."""

    events: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_calendar(data: bytes, source: str) -> ReadCalendar:
    """Raises :class:`InvalidField` (field ``calendar file``) when ``data`` is not iCalendar or
    an event cannot be read, naming ``source`` and the event."""
    with warnings.catch_warnings():
        # icalendar warns about what it guessed (vendor-prefixed TZIDs); the zones are checked
        # against their offsets here, and a warning must never reach the person as an error.
        warnings.simplefilter("ignore")
        try:
            cal = icalendar.Calendar.from_ical(data)
        except _PARSE_ERRORS as exc:
            raise bad(source, f"it is not an iCalendar file ({short(exc)})") from None
        if getattr(cal, "name", "") != "VCALENDAR":
            raise bad(source, "it does not start with BEGIN:VCALENDAR")
        return _Reader(source).read(cal.walk("VEVENT"))


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.out = ReadCalendar()
        self.zones: dict[str | None, str | None] = {}
        self.periods: list[tuple[date, date]] = []

    def read(self, components: list[Any]) -> ReadCalendar:
        masters: dict[str, dict[str, Any]] = {}
        moved: list[tuple[int, Any]] = []
        for number, component in enumerate(components, start=1):
            if component.get("RECURRENCE-ID") is not None:
                moved.append((number, component))
                continue
            fields = self._guarded(number, component, self._event)
            if fields is None:
                continue
            self.out.events.append(fields)
            if fields["ics_uid"]:
                masters.setdefault(fields["ics_uid"], fields)
        for number, component in moved:
            uid = str(component.get("UID", "")).strip()
            master = masters.get(uid)
            if master is None:  # only the moved occurrence was exported: one single event
                fields = self._guarded(number, component, self._event)
                if fields is None:
                    continue
                fields.update(rrule="", rdates=[], exdates=[], overrides=[])
                fields["ics_uid"] = f"{uid}#{self._time(component, 'RECURRENCE-ID', '')}"
                self.out.events.append(fields)
            else:
                self._guarded(number, component, partial(self._override, master))
        return self.out

    def _guarded(self, number: int, component: Any, read: Any) -> Any:
        where = f"event {number} of {self.source}"
        try:
            return read(component, where)
        except InvalidField:
            raise
        except _PARSE_ERRORS as exc:
            # icalendar's errors for a broken property are ValueErrors; a date past the year
            # 9999 (a huge DURATION) is an OverflowError. The person's own file: say where.
            raise bad(where, f"it cannot be read ({short(exc)})") from None

    # -- one event -------------------------------------------------------------------------

    def _event(self, component: Any, where: str) -> dict[str, Any] | None:
        title = _text(component, "SUMMARY", _TITLE_MAX) or "Untitled event"
        start = self._dt(component, "DTSTART", where)
        if start is None:  # a task-like entry or a bare reference: nothing to place on a day
            self.out.notes.append(f"{where} ({title!r}) was not imported: it has no start.")
            return None
        zone, start = self._zone_of(start, component, title)
        all_day = not isinstance(start, datetime)
        end = self._end(component, start, zone, where)
        fields: dict[str, Any] = {
            "title": title,
            "start": _stored(start, zone),
            "end": _stored(end, zone),
            "all_day": all_day,
            "location": _text(component, "LOCATION", _LOCATION_MAX),
            "notes": _text(component, "DESCRIPTION", None),
            "event_kind": _kind(component),
            "rrule": self._rule(component, title),
            "tz": zone,
            "exdates": self._dates(component, "EXDATE", zone, title),
            "rdates": self._dates(component, "RDATE", zone, title),
            "alarms": self._alarms(component, start, end, title),
            "ics_uid": str(component.get("UID", "")).strip(),
        }
        if all_day:
            fields["end"] = _last_day(start, end).isoformat()
        length = _since(end, start)
        for begin, finish in self.periods:  # an extra date with a length of its own
            if _since(finish, begin) != length:
                moved = {"of": _stored(begin, zone), "start": _stored(begin, zone)}
                fields.setdefault("overrides", []).append({**moved, "end": _stored(finish, zone)})
        self.periods.clear()
        return fields

    def _override(self, master: dict[str, Any], component: Any, where: str) -> None:
        original = self._dt(component, "RECURRENCE-ID", where)
        assert original is not None
        zone = master["tz"]
        recurrence = component.get("RECURRENCE-ID")
        if str(getattr(recurrence, "params", {}).get("RANGE", "")).upper() == "THISANDFUTURE":
            self._note(master["title"], "a change to this and all later occurrences was kept "
                       "for one occurrence only")  # fmt: skip
        if str(component.get("STATUS", "")).upper() == "CANCELLED":
            master["exdates"].append(_stored(_in_zone(original, zone), zone))
            return
        start = self._dt(component, "DTSTART", where) or original
        start = _in_zone(start, zone)
        end = self._end(component, start, zone, where)
        moved: dict[str, Any] = {
            "of": _stored(_in_zone(original, zone), zone),
            "start": _stored(start, zone),
            "end": _stored(end, zone),
        }
        if master["all_day"] and not isinstance(start, datetime):
            moved["end"] = _last_day(start, end).isoformat()
        title = _text(component, "SUMMARY", _TITLE_MAX)
        if title and title != master["title"]:
            moved["title"] = title
        master.setdefault("overrides", []).append(moved)

    # -- parts -----------------------------------------------------------------------------

    def _zone_of(self, start: date, component: Any, title: str) -> tuple[str, date]:
        if not isinstance(start, datetime):
            return "", start
        tzid = component.get("DTSTART").params.get("TZID")
        if start.tzinfo is None:
            if tzid:
                self._note(title, f"its time zone {tzid!r} is not defined in the file; its "
                           "times were kept as local times")  # fmt: skip
            return "", start
        if start.utcoffset() == timedelta(0) and (not tzid or tzid.upper() in ("UTC", "Z")):
            return "", start.astimezone(UTC)
        if tzid not in self.zones:
            self.zones[tzid] = zone_name(start, tzid)
        zone = self.zones[tzid]
        if zone is None:
            self._note(
                title,
                f"its time zone {tzid!r} matches no known zone; its times were kept in UTC "
                "(a repeat may move an hour at daylight saving)",
            )
            return "", start.astimezone(UTC)
        return zone, start

    def _end(self, component: Any, start: date, zone: str, where: str) -> date:
        end = self._dt(component, "DTEND", where)
        if end is None and component.get("DURATION") is not None:
            length = getattr(component.get("DURATION"), "dt", None)
            if isinstance(length, timedelta):
                end = start + length
        if end is None:
            end = start + timedelta(days=1) if not isinstance(start, datetime) else start
        if not isinstance(start, datetime):
            return end.date() if isinstance(end, datetime) else end
        if not isinstance(end, datetime):
            end = datetime.combine(end, datetime.min.time(), tzinfo=start.tzinfo)
        if end.tzinfo is None or start.tzinfo is None:
            return end.replace(tzinfo=start.tzinfo)
        return _in_zone(end, zone) if zone else end.astimezone(start.tzinfo)

    def _rule(self, component: Any, title: str) -> str:
        rule = component.get("RRULE")
        if isinstance(rule, list):
            if len(rule) > 1:
                self._note(title, "only the first of its several repeat rules was kept")
            rule = rule[0] if rule else None
        if component.get("EXRULE") is not None:
            self._note(title, "its exception rule (EXRULE, obsolete) was not kept")
        return rule.to_ical().decode("ascii", "replace") if rule is not None else ""

    def _dates(self, component: Any, name: str, zone: str, title: str) -> list[Any]:
        """EXDATE or RDATE values; an RDATE period's start, its end in :attr:`periods`."""
        found = []
        props = component.get(name)
        for prop in props if isinstance(props, list) else [props] if props is not None else []:
            for value in getattr(prop, "dts", []):
                moment, end = value.dt, None
                if isinstance(moment, tuple):  # an RDATE period: (start, end or duration)
                    moment, end = moment
                    end = moment + end if isinstance(end, timedelta) else end
                if not isinstance(moment, date):  # VALUE=TIME: not a time RFC 5545 allows
                    self._note(title, f"a {name} that is only a time of day was not kept")
                    continue
                if isinstance(moment, datetime) and moment.tzinfo is not None and not zone:
                    moment = moment.astimezone(UTC)
                moment = _in_zone(moment, zone) if zone else moment
                found.append(moment)
                if isinstance(end, date):
                    self.periods.append((moment, _in_zone(end, zone) if zone else end))
        return found

    def _alarms(self, component: Any, start: date, end: date, title: str) -> list[str]:
        out: list[str] = []
        for alarm in component.subcomponents:
            if getattr(alarm, "name", "") != "VALARM" or alarm.get("TRIGGER") is None:
                continue
            trigger = alarm.get("TRIGGER")
            when = trigger.dt
            if isinstance(when, timedelta):
                related_end = str(trigger.params.get("RELATED", "")).upper() == "END"
                offset = when + (_since(end, start) if related_end else timedelta(0))
            else:
                offset = _since(when, start)
            if abs(offset) > _ALARM_LIMIT:
                self._note(title, "a reminder more than four weeks from the event was not kept")
            elif len(out) < MAX_ALARMS:
                out.append(duration_text(offset))
        return out

    def _dt(self, component: Any, name: str, where: str) -> date | None:
        prop = component.get(name)
        if prop is None:
            return None
        value = getattr(prop, "dt", None)
        if not isinstance(value, date):
            raise bad(where, f"its {name} is not a date or date-time")
        return value

    def _time(self, component: Any, name: str, where: str) -> str:
        value = self._dt(component, name, where)
        return value.isoformat() if value is not None else ""

    def _note(self, title: str, problem: str) -> None:
        line = f"{title!r}: {problem}."
        if line not in self.out.notes:
            self.out.notes.append(line)


def _in_zone(moment: date, zone: str) -> date:
    """An aware time as wall-clock time in ``zone`` (kept aware); others as they are."""
    if zone and isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment.astimezone(zone_of(zone))
    return moment


def _stored(moment: date, zone: str) -> str:
    """The text the validator canonicalises: wall-clock with a zone, else as given."""
    if not isinstance(moment, datetime):
        return moment.isoformat()
    if zone:
        return moment.replace(tzinfo=None).isoformat(timespec="seconds")
    if moment.tzinfo is not None and moment.utcoffset() == timedelta(0):
        return moment.astimezone(UTC).isoformat(timespec="seconds")
    return moment.isoformat(timespec="seconds")


def _since(when: date, start: date) -> timedelta:
    """How long after ``start`` the moment ``when`` is; floating and dates mean wall-clock."""
    begin = start if isinstance(start, datetime) else datetime.combine(start, datetime.min.time())
    moment = when if isinstance(when, datetime) else datetime.combine(when, datetime.min.time())
    if begin.tzinfo is None or moment.tzinfo is None:
        return moment.replace(tzinfo=None) - begin.replace(tzinfo=None)
    return moment - begin


def _last_day(start: date, end: date) -> date:
    """An all-day event's last day: DTEND is the day after it."""
    first = start if not isinstance(start, datetime) else start.date()
    after = end if not isinstance(end, datetime) else end.date()
    return after - timedelta(days=1) if after > first else first


def _kind(component: Any) -> str:
    kind = str(component.get(KIND_PROP, "other"))
    return kind if kind in EVENT_KINDS else "other"


def _text(component: Any, name: str, limit: int | None) -> str:
    value = component.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    text = str(value).replace("\x00", "").strip() if value is not None else ""
    return text[:limit] if limit else text


def bad(where: str, problem: str) -> InvalidField:
    return InvalidField("calendar file", f"{where}: {problem}; nothing was imported")


def short(exc: Exception) -> str:
    """icalendar's own words for what it could not parse (its ValueErrors say which line);
    anything else is a slip inside the library on a malformed file, whose text names Python's
    internals, not the file's problem."""
    if type(exc) is not ValueError or not str(exc):
        return "a part of it is malformed"
    return str(exc).splitlines()[0][:120]
