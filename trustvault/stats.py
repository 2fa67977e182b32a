"""Figures the couple watches: disclosure latency and its trend, check-in streaks and series,
milestones reached, counts.

Disclosure latency is the number of whole calendar days from when something happened
(``occurred_on``) to when it was told: the number the couple wants to see shrink. Told means
when it reached the partner's device, as that device counted it (:mod:`trustvault.telling`);
until then, and for what was never shared, the author's own ``disclosed_at``, marked unverified.
Stored times are UTC or floating; days are counted in the caller's time zone (``tz``,
default the system's), so a check-in at 23:30 counts for that evening, not the next UTC day.
"""

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Any

from trustvault.agreements import status_of
from trustvault.entries.kinds import KINDS
from trustvault.entries.model import Entry
from trustvault.entries.parsing import to_datetime
from trustvault.telling import Telling
from trustvault.vault import Vault

__all__ = [
    "Latency",
    "checkin_days",
    "day_of",
    "latencies",
    "latency_days",
    "latency_trend",
    "milestones_reached",
    "mood_series",
    "streak_days",
    "streak_weeks",
    "summary",
]


@dataclass(frozen=True)
class Latency:
    entry_id: str
    title: str
    occurred_on: str
    disclosed_on: date
    days: int
    approximate: bool
    verified: bool = False
    telling: Telling | None = None


def day_of(value: str, tz: tzinfo | None = None) -> date:
    """The calendar day of a stored date or date-time, in ``tz`` for aware times."""
    if len(value) == 10:
        return date.fromisoformat(value)
    moment = to_datetime(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(tz)
    return moment.date()


def latency_days(fields: dict[str, Any]) -> int | None:
    """Days from ``occurred_on`` to ``disclosed_at``; None when either is missing.

    Counted on the days as the author's device wrote them, not in the viewer's zone, so both
    partners see the same figure; never negative (validation refuses a disclosure dated before
    its event, and an older entry that slipped through counts as told the same day).
    """
    occurred, disclosed = fields.get("occurred_on"), fields.get("disclosed_at")
    if not occurred or not disclosed:
        return None
    days = (date.fromisoformat(disclosed[:10]) - date.fromisoformat(occurred[:10])).days
    return max(days, 0)


def latencies(
    disclosures: Iterable[Entry],
    tz: tzinfo | None = None,
    tellings: Mapping[str, Telling] | None = None,
) -> list[Latency]:
    """Latency per disclosure, in order of telling: the verified figure of its ``tellings``
    entry when it has one, else the author's own dating."""
    out = []
    for entry in disclosures:
        told = (tellings or {}).get(entry.id)
        days = told.days if told is not None else latency_days(entry.fields)
        if days is None:
            continue
        if told is not None and told.verified:
            on = told.told_on
        else:
            on = day_of(entry.fields["disclosed_at"], tz)
        out.append(
            Latency(
                entry.id,
                entry.title,
                entry.fields["occurred_on"],
                on,
                days,
                bool(entry.fields.get("approximate")),
                told is not None and told.verified,
                told,
            )
        )
    out.sort(key=lambda lat: (lat.disclosed_on, lat.entry_id))
    return out


def latency_trend(items: Iterable[Latency]) -> list[dict[str, Any]]:
    """Median latency per month of disclosure, oldest first: ``[{"month", "median_days",
    "count"}]``."""
    by_month: dict[str, list[int]] = defaultdict(list)
    for item in items:
        by_month[item.disclosed_on.strftime("%Y-%m")].append(item.days)
    return [
        {"month": month, "median_days": statistics.median(days), "count": len(days)}
        for month, days in sorted(by_month.items())
    ]


def checkin_days(checkins: Iterable[Entry], tz: tzinfo | None = None) -> set[date]:
    return {day_of(e.created, tz) for e in checkins if e.fields}


def streak_days(days: set[date], today: date) -> int:
    """Consecutive days with a check-in, ending today (or yesterday: today is not over yet)."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def streak_weeks(days: set[date], today: date) -> int:
    """Consecutive ISO weeks (Monday to Sunday) with a check-in, ending this week or the last."""
    weeks = {d - timedelta(days=d.weekday()) for d in days}
    week = today - timedelta(days=today.weekday())
    if week not in weeks:
        week -= timedelta(weeks=1)
    count = 0
    while week in weeks:
        count += 1
        week -= timedelta(weeks=1)
    return count


def mood_series(checkins: Iterable[Entry], tz: tzinfo | None = None) -> list[dict[str, Any]]:
    """``[{"at", "day", "mood", "safety"}]`` per check-in, oldest first."""
    points = [
        {
            "at": e.created,
            "day": day_of(e.created, tz).isoformat(),
            "mood": e.fields["mood"],
            "safety": e.fields["safety"],
        }
        for e in checkins
        if e.fields
    ]
    points.sort(key=lambda p: (p["at"], p["day"]))
    return points


def milestones_reached(milestones: Iterable[Entry]) -> list[dict[str, Any]]:
    """Milestones with a ``done_at``, in the order they were reached."""
    done = [
        {"id": e.id, "title": e.title, "done_at": e.fields["done_at"]}
        for e in milestones
        if e.fields.get("done_at")
    ]
    done.sort(key=lambda m: (to_datetime(m["done_at"]).replace(tzinfo=None), m["id"]))
    return done


def summary(vault: Vault, today: date, tz: tzinfo | None = None) -> dict[str, Any]:
    """Everything ``stats --json`` prints, as plain JSON-ready values."""
    disclosures = vault.entries.all("disclosure")
    checkins = vault.entries.all("checkin")
    milestones = vault.entries.all("milestone")
    agreements = vault.entries.all("agreement")
    from trustvault.sync.tellings import read_tellings  # reads the vault's arrival rows

    lats = latencies(disclosures, tz, read_tellings(vault.entries, disclosures))
    days = checkin_days(checkins, tz)
    status_counts: dict[str, int] = defaultdict(int)
    for agreement in (a for a in agreements if a.fields):
        status_counts[status_of(vault, agreement, today)] += 1
    reached = milestones_reached(milestones)
    return {
        "today": today.isoformat(),
        "counts": {kind: vault.entries.count(kind) for kind in KINDS},
        "disclosure_latency": {
            "per_disclosure": [
                {
                    "id": lat.entry_id,
                    "title": lat.title,
                    "occurred_on": lat.occurred_on,
                    "disclosed_on": lat.disclosed_on.isoformat(),
                    "days": lat.days,
                    "approximate": lat.approximate,
                    "verified": lat.verified,
                    **(lat.telling.to_json() if lat.telling is not None else {}),
                }
                for lat in lats
            ],
            "median_days": statistics.median([lat.days for lat in lats]) if lats else None,
            "trend": latency_trend(lats),
            "verified_count": sum(lat.verified for lat in lats),
            "amendments": sum(len(lat.telling.amendments) for lat in lats if lat.telling),
            "account_amendments": sum(
                1 for lat in lats if lat.telling is not None and lat.telling.account_of
            ),
        },
        "checkins": {
            "streak_days": streak_days(days, today),
            "streak_weeks": streak_weeks(days, today),
            "series": mood_series(checkins, tz),
        },
        "milestones": {
            "reached": len(reached),
            "total": len(milestones),
            "reached_list": reached,
        },
        "agreements": dict(sorted(status_counts.items())),
    }
