"""When to remind: events' alarms (or a default lead before events that have none), the
review dates of agreements, and anniversaries their ``lead_days`` ahead, over the next four weeks.

A face computes this list once per change of the vault and keeps a timer for the first moment
in it, rather than asking the vault every second. Each reminder carries a ``key`` (one per
occurrence and alarm), so a face says it once, and an ``until``: a reminder missed while the app
was closed is still worth saying until its event starts, not afterwards (an anniversary's, until
its day ends). A pause's return is the pause bar's to say (``ui.pause_bar``).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from trustvault.anniversaries import next_day
from trustvault.calendar import Occurrence, expand
from trustvault.entries.event_fields import parse_duration
from trustvault.entries.model import Entry
from trustvault.errors import TrustVaultError

__all__ = ["HORIZON", "REVIEW_HOUR", "Reminder", "reminders"]

HORIZON = timedelta(days=29)  # an alarm is at most four weeks before its event
REVIEW_HOUR = time(9, 0)
_LATE_ALARM_GRACE = timedelta(minutes=15)


@dataclass(frozen=True)
class Reminder:
    """Say it from ``at`` until ``until`` (aware moments), once per ``key``."""

    at: datetime
    until: datetime
    key: str


def reminders(
    events: Iterable[Entry],
    agreements: Iterable[Entry],
    now: datetime,
    lead: timedelta | None,
    anniversaries: Iterable[Entry] = (),
) -> list[Reminder]:
    """Every reminder still worth saying at or after ``now`` (aware), sorted by ``at``.
    ``lead`` is how long before an event without alarms of its own (None: no default)."""
    today = now.astimezone().date()
    out = [r for o in expand(events, today, today + HORIZON) for r in _of_event(o, lead)]
    out.extend(r for e in agreements if (r := _of_review(e)) is not None)
    out.extend(_of_anniversary(e, today) for e in anniversaries if e.fields)
    return sorted((r for r in out if r.until > now), key=lambda r: (r.at, r.key))


def _of_event(occurrence: Occurrence, lead: timedelta | None) -> list[Reminder]:
    start = _aware(occurrence.start)
    alarms = occurrence.entry.fields.get("alarms") or []
    try:
        offsets = [parse_duration("alarms", a) for a in alarms]
    except TrustVaultError:
        offsets = []  # validated on the way in; an old row that is not is simply not reminded
    if not alarms and lead is not None:
        offsets = [-lead]
    out = []
    for offset in offsets:
        at = start + offset
        until = start if offset < timedelta(0) else at + _LATE_ALARM_GRACE
        key = f"event:{occurrence.entry.id}:{start.isoformat()}:{offset.total_seconds():.0f}"
        out.append(Reminder(at, until, key))
    return out


def _of_review(entry: Entry) -> Reminder | None:
    review = entry.fields.get("review_on") if entry.kind == "agreement" else None
    if not isinstance(review, str) or not review:
        return None
    try:
        day = date.fromisoformat(review[:10])
    except ValueError:
        return None
    at = datetime.combine(day, REVIEW_HOUR).astimezone()
    until = datetime.combine(day + timedelta(days=1), time()).astimezone()
    return Reminder(at, until, f"review:{entry.id}:{day.isoformat()}")


def _of_anniversary(entry: Entry, today: date) -> Reminder:
    """Said from 09:00 on the flag's day (``lead_days`` ahead) until the day itself ends."""
    day = next_day(entry, today)
    flag = day - timedelta(days=int(entry.fields.get("lead_days", 0)))
    at = datetime.combine(flag, REVIEW_HOUR).astimezone()
    until = datetime.combine(day + timedelta(days=1), time()).astimezone()
    return Reminder(at, until, f"anniversary:{entry.id}:{day.isoformat()}")


def _aware(moment: datetime) -> datetime:
    """A floating or all-day time is the person's local wall-clock time."""
    return moment if moment.tzinfo is not None else moment.astimezone()
