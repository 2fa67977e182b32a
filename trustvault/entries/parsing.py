"""Parsers for the values people type: dates, date-times, numbers, recurrence rules.

Each parser returns the canonical text stored in the vault or raises :class:`InvalidField` naming
the field, so the CLI, the UI and sync all reject the same things with the same words.
"""

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rruleset, rrulestr

from trustvault.entries.budget import OutOfSteps, within_budget
from trustvault.errors import InvalidField

__all__ = [
    "is_utf8_text",
    "parse_bool",
    "parse_date",
    "parse_date_or_datetime",
    "parse_entry_id",
    "parse_int_range",
    "parse_rrule",
    "parse_text",
    "parse_text_list",
    "rrule_of",
    "to_datetime",
]

MAX_TEXT = 100_000


def parse_text(field: str, value: Any, *, required: bool, max_len: int = MAX_TEXT) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidField(field, "must be text")
    text = value.strip()
    if required and not text:
        raise InvalidField(field, "must not be empty")
    if len(text) > max_len:
        raise InvalidField(field, f"is longer than {max_len} characters")
    if "\x00" in text:
        raise InvalidField(field, "contains a NUL character")
    if not is_utf8_text(text):
        raise InvalidField(field, "contains a character that is not valid Unicode text")
    return text


def is_utf8_text(text: str) -> bool:
    """False if ``text`` holds a lone surrogate, which SQLite cannot store (it binds text as
    UTF-8). One comes from a JSON ``"\\ud800"`` escape or undecodable command-line bytes."""
    if text.isascii():  # most text, answered without encoding it
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_entry_id(field: str, value: Any) -> str:
    """Another entry's full id (32 lowercase hex digits), or "" for none. Only its form is
    checked here: whether that entry exists is the vault's question, not validation's."""
    if value in (None, ""):
        return ""
    text = value.strip().lower() if isinstance(value, str) else None
    if text is None or len(text) != 32 or any(c not in "0123456789abcdef" for c in text):
        raise InvalidField(field, f"{value!r} is not an entry id (32 hex digits)")
    return text


def parse_text_list(field: str, value: Any) -> list[str]:
    """A list of short words, from a list or a comma-separated string; duplicates dropped."""
    if value is None or value == "":
        return []
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise InvalidField(field, "must be a list of words")
    out: list[str] = []
    for item in items:
        word = parse_text(field, item, required=False, max_len=60)
        if word and word not in out:
            out.append(word)
    return out


def parse_bool(field: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in (None, ""):
        return False
    raise InvalidField(field, "must be true or false")


def parse_int_range(field: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool):
        raise InvalidField(field, f"must be a whole number from {low} to {high}")
    try:
        number = int(value) if isinstance(value, int | str) else None
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise InvalidField(field, f"must be a whole number from {low} to {high}, not {value!r}")
    return number


def parse_date(field: str, value: Any, *, required: bool) -> str:
    """A calendar day as ``YYYY-MM-DD``; empty means none when not required."""
    if value in (None, "") and not required:
        return ""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if not isinstance(value, str) or len(value.strip()) != 10:
        raise InvalidField(field, f"{value!r} is not a date (use YYYY-MM-DD)")
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InvalidField(field, f"{value!r} is not a date (use YYYY-MM-DD)") from None


def parse_date_or_datetime(field: str, value: Any, *, required: bool = True) -> str:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS][+HH:MM|Z]``, returned in canonical ISO form."""
    if value in (None, "") and not required:
        return ""
    if isinstance(value, datetime):
        return _canonical(value)
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        raise InvalidField(field, "is required (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)")
    text = value.strip()
    if len(text) == 10:
        return parse_date(field, text, required=True)
    try:
        if _ALREADY_CANONICAL.fullmatch(text):
            datetime.fromisoformat(text)  # a real moment: month 13 or hour 25 raise here
            return text
        return _canonical(datetime.fromisoformat(text.replace(" ", "T", 1)))
    except ValueError:
        raise InvalidField(
            field, f"{value!r} is not a date or date-time (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
        ) from None


def to_datetime(value: str) -> datetime:
    """Read back a canonical date or date-time; a bare date means its midnight."""
    if len(value) == 10:
        return datetime.combine(date.fromisoformat(value), datetime.min.time())
    return datetime.fromisoformat(value)


def parse_rrule(field: str, value: Any, start: str, zone: str = "") -> str:
    """An RFC 5545 RRULE (with or without the ``RRULE:`` prefix), checked by dateutil."""
    text = parse_text(field, value, required=False, max_len=500)
    if not text:
        return ""
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    text = text.upper()
    if _SUB_DAILY.search(text):
        raise InvalidField(
            field, "events repeat at most daily (FREQ=DAILY, WEEKLY, MONTHLY, YEARLY)"
        )
    begin = to_datetime(start).replace(tzinfo=None)
    begin -= min(timedelta(seconds=1), begin - datetime.min)  # there is no second before year 1
    try:
        rule = rrule_of(text, start, zone)
        first = within_budget(lambda: rule.after(begin, inc=True), RRULE_STEPS)
    except OutOfSteps:
        raise InvalidField(
            field, "the rule never happens, or not for centuries (no first occurrence found)"
        ) from None
    except (ValueError, TypeError, KeyError, IndexError):
        raise InvalidField(field, f"{value!r} is not a valid RFC 5545 recurrence rule") from None
    if first is None:
        raise InvalidField(field, "the rule never happens (it has no occurrence at all)")
    return text


RRULE_STEPS = 300_000
"""How much work checking a rule may take (about 0.2 s): enough for a first occurrence decades
away, far too little for dateutil's walk to the year 9999 when nothing can ever match."""

_SUB_DAILY = re.compile(r"(^|;)FREQ=(SECONDLY|MINUTELY|HOURLY)(;|$)")


_UNTIL_UTC = re.compile(r"UNTIL=(\d{8}T\d{6})Z")


def rrule_of(text: str, start: str, zone: str = "") -> rrule | rruleset:
    """The dateutil rule for a stored RRULE, expanded in the start's own wall-clock time.

    Stored starts are wall-clock times in the event's zone ``zone``, floating, UTC or a fixed
    offset, so wall-clock expansion is exact. A UTC ``UNTIL=...Z`` (what calendar apps write) is
    moved to the event's zone or the start's offset, or kept as wall-clock time for a floating
    start: dateutil refuses to mix a naive start with an aware UNTIL.
    """
    begin = to_datetime(start)
    place = ZoneInfo(zone) if zone else begin.tzinfo

    def wall_until(match: re.Match[str]) -> str:
        until = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        if place is not None:
            until = until.astimezone(place)
        return "UNTIL=" + until.strftime("%Y%m%dT%H%M%S")

    rule: rrule | rruleset = rrulestr(
        _UNTIL_UTC.sub(wall_until, text), dtstart=begin.replace(tzinfo=None)
    )
    return rule


_ALREADY_CANONICAL = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::(?!00)[0-9]{2})?"
    r"(?:Z|[+-](?!00:00)[0-9]{2}:[0-9]{2})?"
)
"""What :func:`_canonical` writes: seconds only when not zero, a zero offset as ``Z``. Text of
this form that parses is its own canonical form (a partner's synced moments, every one),
which spares formatting it again."""


def _canonical(moment: datetime) -> str:
    spec = "seconds" if moment.second else "minutes"
    return moment.replace(microsecond=0).isoformat(timespec=spec).replace("+00:00", "Z")
