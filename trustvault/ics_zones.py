"""Which IANA zone a calendar file's time zone is, so an event keeps its wall-clock time.

Programs name zones in their own ways: Google and Apple write IANA names (``Europe/Zurich``),
Outlook and Exchange write Windows names (``W. Europe Standard Time``) with a VTIMEZONE of their
own, Thunderbird and Evolution globally unique ones (``/mozilla.org/.../America/New_York``), and
some only a VTIMEZONE with a made-up name (``(UTC-03:00) Brasília``). The zone is kept as an
IANA name whose offsets agree with the file's own VTIMEZONE around the event, so expansion
follows the file's daylight-saving rules; a zone no IANA zone matches is not kept (the caller
stores UTC times and says so).
"""

import warnings
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

import icalendar.timezone

__all__ = ["zone_name"]

_SAMPLES = tuple(timedelta(days=15 * k) for k in range(-26, 27))
"""Instants compared around the event (every 15 days over two years): enough to see both
daylight-saving changes of a year and a rule that changed recently."""


def zone_name(moment: datetime, tzid: str | None) -> str | None:
    """The IANA name for the zone of ``moment`` (an aware time from the file), or None."""
    zone = moment.tzinfo
    assert zone is not None
    key = getattr(zone, "key", None)
    if isinstance(key, str) and _loads(key):
        return key
    at = moment.astimezone(UTC).replace(tzinfo=None)
    offsets = _offsets(zone, at)
    if offsets is None:
        return None
    for candidate in _named(tzid):
        if _offsets(ZoneInfo(candidate), at) == offsets:
            return candidate
    return _matching(offsets, at)


def _named(tzid: str | None) -> list[str]:
    """The IANA zone icalendar maps the TZID to (Windows and vendor-prefixed names too)."""
    if not tzid:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "globally unique TZID guessed": we check the offsets
        found = icalendar.timezone.tzp.timezone(tzid)
    key = getattr(found, "key", None)
    return [key] if isinstance(key, str) and _loads(key) else []


def _matching(offsets: tuple[timedelta, ...], at: datetime) -> str | None:
    for candidate in _candidates():
        if _offsets(ZoneInfo(candidate), at) == offsets:
            return candidate
    return None


@lru_cache(maxsize=1)
def _candidates() -> tuple[str, ...]:
    """Region zones first (``America/Sao_Paulo`` before ``Etc/GMT+3``), in a fixed order."""
    names = available_timezones()
    regions = sorted(n for n in names if "/" in n and not n.startswith(("Etc/", "SystemV/")))
    return (*regions, *sorted(set(names) - set(regions)))


def _offsets(zone: tzinfo, at: datetime) -> tuple[timedelta, ...] | None:
    out = []
    try:
        for step in _SAMPLES:
            offset = (at + step).replace(tzinfo=UTC).astimezone(zone).utcoffset()
            if offset is None:
                return None
            out.append(offset)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None  # a VTIMEZONE whose rules dateutil cannot follow
    return tuple(out)


@lru_cache(maxsize=512)
def _loads(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # KeyError: ZoneInfoNotFoundError
        return False
    return True
