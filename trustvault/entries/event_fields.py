"""The optional fields of an event that calendars carry: its zone, exceptions, extra dates,
moved occurrences and reminders.

Each is left out of the stored fields when empty, so an ordinary event is stored exactly as
before these existed, an older vault's events need no upgrade, and a partner's device that does
not know a field drops it while validating (it keeps the event, without the extra).

- ``tz``: an IANA zone name (``Europe/Paris``). With a zone, ``start`` and ``end`` (and every
  time below) are wall-clock times in that zone, so a weekly 19:00 stays 19:00 across a
  daylight-saving change. Without one, times are floating, UTC or a fixed offset, as stored.
- ``exdates``: occurrences (by their start) the rule does not produce after all.
- ``rdates``: extra occurrences' starts, each with the event's length.
- ``overrides``: moved or renamed single occurrences (iCalendar's ``RECURRENCE-ID``): ``of`` is
  the start the rule gives, ``start``/``end`` where it went, an optional ``title``.
- ``alarms``: reminders, as ISO 8601 durations before (``-PT15M``) or after the start.

Every time is turned into the start's own form (wall-clock in ``tz``, floating, or aware), so
expansion compares like with like.
"""

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trustvault.entries.parsing import parse_date_or_datetime, to_datetime
from trustvault.errors import InvalidField

__all__ = [
    "MAX_ALARMS",
    "MAX_DATES",
    "MAX_OVERRIDES",
    "duration_text",
    "moment_form",
    "parse_alarms",
    "parse_duration",
    "parse_moment_list",
    "parse_overrides",
    "parse_zone",
    "zone_of",
]

MAX_DATES: Final = 500
MAX_OVERRIDES: Final = 100
MAX_ALARMS: Final = 10
"""Bounds that keep the largest event (notes of 100,000 control characters, escaped twice, and
every list full) sealing under a relay's default 1 MiB: tests/sync/test_event_size.py."""
_MAX_ALARM_OFFSET: Final = timedelta(weeks=4)
_ZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}$")
_DURATION = re.compile(
    r"^(?P<sign>[+-])?P(?:(?P<w>\d{1,3})W|(?:(?P<d>\d{1,3})D)?"
    r"(?:T(?:(?P<h>\d{1,4})H)?(?:(?P<m>\d{1,5})M)?(?:(?P<s>\d{1,6})S)?)?)$"
)


@lru_cache(maxsize=256)
def zone_of(name: str) -> tzinfo:
    """The zone for a stored ``tz`` (already validated, so it loads)."""
    return ZoneInfo(name)


def parse_zone(value: Any) -> str:
    """An IANA zone name that this machine's zone database knows, or "" for none."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or len(value) > 64 or not _ZONE_NAME.match(value.strip()):
        raise InvalidField("tz", f"{value!r} is not a time zone name (like Europe/Paris)")
    name = value.strip()
    try:
        zone_of(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidField("tz", f"{name!r} is not a time zone this computer knows") from None
    return name


Moment = Callable[[Any, str], str]
"""Turns one given time into the start's own form; the second argument names the field."""


def moment_form(start: str, zone: str) -> Moment:
    """How every other time of an event is stored, given its canonical ``start`` and ``tz``."""
    all_day = len(start) == 10
    first = to_datetime(start)
    start_zone = zone_of(zone) if zone else first.tzinfo

    def convert(value: Any, field: str) -> str:
        try:
            return _convert(value, field)
        except OverflowError:  # a time at the edge of year 1 or 9999, moved to another zone
            raise InvalidField(field, f"{value!r} is out of range") from None

    def _convert(value: Any, field: str) -> str:
        text = parse_date_or_datetime(field, value)
        if all_day:
            return text[:10]
        moment = to_datetime(text)
        if len(text) == 10:  # a day for a timed event: that day at the start's time
            moment = datetime.combine(moment.date(), first.time())
        if zone:
            if moment.tzinfo is not None:
                moment = moment.astimezone(start_zone).replace(tzinfo=None)
            return _canonical(moment)
        if first.tzinfo is None:
            return _canonical(moment.replace(tzinfo=None))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=first.tzinfo)
        return _canonical(moment.astimezone(first.tzinfo))

    return convert


def parse_moment_list(field: str, value: Any, form: Moment) -> list[str]:
    """A sorted list of distinct times in the start's form."""
    if value in (None, "", []):
        return []
    if not isinstance(value, list | tuple):
        raise InvalidField(field, "must be a list of dates or date-times")
    if len(value) > MAX_DATES:
        raise InvalidField(field, f"has more than {MAX_DATES} dates")
    return sorted({form(item, field) for item in value}, key=_order)


def parse_overrides(
    value: Any, form: Moment, text: Callable[[str, Any, int], str]
) -> list[dict[str, str]]:
    """Moved occurrences, one per original start (the last given wins), sorted by it."""
    if value in (None, "", []):
        return []
    if not isinstance(value, list | tuple):
        raise InvalidField("overrides", "must be a list of moved occurrences")
    if len(value) > MAX_OVERRIDES:
        raise InvalidField("overrides", f"has more than {MAX_OVERRIDES} moved occurrences")
    by_original: dict[str, dict[str, str]] = {}
    for item in value:
        if not isinstance(item, dict):
            raise InvalidField("overrides", "each moved occurrence must be an object")
        start = form(item.get("start"), "overrides start")
        end = form(item.get("end") or start, "overrides end")
        if _order(end) < _order(start):
            raise InvalidField("overrides", f"a moved occurrence ends ({end}) before {start}")
        moved = {"of": form(item.get("of"), "overrides of"), "start": start, "end": end}
        title = text("overrides title", item.get("title"), 200)
        if title:
            moved["title"] = title
        by_original[moved["of"]] = moved
    return [by_original[k] for k in sorted(by_original, key=_order)]


def parse_alarms(value: Any) -> list[str]:
    """Reminders as ISO 8601 durations from the start, at most four weeks either way."""
    if value in (None, "", []):
        return []
    if not isinstance(value, list | tuple):
        raise InvalidField("alarms", "must be a list of durations (like -PT15M)")
    if len(value) > MAX_ALARMS:
        raise InvalidField("alarms", f"has more than {MAX_ALARMS} reminders")
    offsets = {parse_duration("alarms", item) for item in value}
    if any(abs(o) > _MAX_ALARM_OFFSET for o in offsets):
        raise InvalidField("alarms", "a reminder is more than four weeks from the event")
    return [duration_text(o) for o in sorted(offsets)]


def parse_duration(field: str, value: Any) -> timedelta:
    match = _DURATION.match(value.strip().upper()) if isinstance(value, str) else None
    if match is None or value.strip().upper() in ("P", "-P", "+P", "PT", "-PT", "+PT"):
        raise InvalidField(field, f"{value!r} is not a duration (like -PT15M or P1D)")
    parts = {k: int(v) for k, v in match.groupdict().items() if k != "sign" and v}
    length = timedelta(
        weeks=parts.get("w", 0),
        days=parts.get("d", 0),
        hours=parts.get("h", 0),
        minutes=parts.get("m", 0),
        seconds=parts.get("s", 0),
    )
    return -length if match.group("sign") == "-" else length


def duration_text(offset: timedelta) -> str:
    """The canonical ISO 8601 form: ``-PT15M``, ``P1D``, ``-P1DT2H``, ``PT0S``."""
    sign = "-" if offset < timedelta(0) else ""
    seconds = int(abs(offset).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if n)
    text = (f"{days}D" if days else "") + (f"T{clock}" if clock else "")
    return f"{sign}P{text or 'T0S'}"


def _order(text: str) -> datetime:
    """A sort key across the forms one event uses (they are all the same form)."""
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), datetime.min.time())
    moment = datetime.fromisoformat(text)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _canonical(moment: datetime) -> str:
    spec = "seconds" if moment.second else "minutes"
    return moment.replace(microsecond=0).isoformat(timespec=spec).replace("+00:00", "Z")
