"""Disclosure latency and its trend, check-in streaks, series, milestones, on a real vault."""

import json
from datetime import UTC, date, timedelta, timezone

import pytest

from tests.helpers import ManualClock
from trustvault.actions import Actions
from trustvault.errors import InvalidField
from trustvault.stats import (
    day_of,
    latencies,
    latency_days,
    latency_trend,
    streak_days,
    streak_weeks,
    summary,
)
from trustvault.vault import Vault


def test_latency_in_days_for_dates_and_date_times() -> None:
    assert latency_days({"occurred_on": "2026-03-02", "disclosed_at": "2026-11-01T09:00Z"}) == 244
    assert latency_days({"occurred_on": "2026-10-31T23:30", "disclosed_at": "2026-11-01"}) == 1
    assert latency_days({"occurred_on": "2026-11-01", "disclosed_at": "2026-11-01T09:00Z"}) == 0
    assert latency_days({"occurred_on": "2026-11-01", "disclosed_at": ""}) is None
    # Validation refuses a disclosure dated before its event; one stored before that rule
    # counts as told the same day, never as a negative figure.
    assert latency_days({"occurred_on": "2026-11-05", "disclosed_at": "2026-11-01"}) == 0


def test_a_disclosure_dated_before_its_event_is_refused(vault: Vault) -> None:
    with pytest.raises(InvalidField, match="disclosed_at: 2026-11-01 is before the event"):
        vault.entries.add(
            "disclosure", {"title": "x", "occurred_on": "2026-11-05", "disclosed_at": "2026-11-01"}
        )
    assert vault.entries.count() == 0


def test_days_are_counted_in_the_callers_zone() -> None:
    late_evening = "2026-11-02T03:30Z"  # 22:30 on 1 November in New York
    new_york = timezone(timedelta(hours=-5))
    assert day_of(late_evening, UTC) == date(2026, 11, 2)
    assert day_of(late_evening, new_york) == date(2026, 11, 1)
    assert day_of("2026-11-02T03:30", new_york) == date(2026, 11, 2)  # floating: as written


def test_latency_and_monthly_median(vault: Vault, clock: ManualClock) -> None:
    add = vault.entries.add
    add("disclosure", {"title": "a", "occurred_on": "2026-01-01", "disclosed_at": "2026-10-01"})
    add("disclosure", {"title": "b", "occurred_on": "2026-09-01", "disclosed_at": "2026-10-11"})
    add("disclosure", {"title": "c", "occurred_on": "2026-10-01", "disclosed_at": "2026-10-21"})
    add("disclosure", {"title": "d", "occurred_on": "2026-10-25", "disclosed_at": "2026-11-01"})
    # disclosed_at defaults to when it is recorded (the clock: 2026-11-01 09:00 UTC).
    recorded = add("disclosure", {"title": "e", "occurred_on": "2026-10-30", "approximate": True})
    assert day_of(recorded.fields["disclosed_at"], UTC) == date(2026, 11, 1)

    items = latencies(vault.entries.all("disclosure"), UTC)
    assert [i.days for i in items] == [273, 40, 20, 7, 2]
    assert items[-1].approximate
    assert latency_trend(items) == [
        {"month": "2026-10", "median_days": 40, "count": 3},
        {"month": "2026-11", "median_days": 4.5, "count": 2},
    ]


def test_streaks() -> None:
    today = date(2026, 11, 12)  # a Thursday
    days = {today - timedelta(days=n) for n in range(4)} | {date(2026, 11, 1)}
    assert streak_days(days, today) == 4
    # Today not done yet: the streak up to yesterday still counts.
    assert streak_days(days - {today}, today) == 3
    assert streak_days(days, today + timedelta(days=2)) == 0
    assert streak_days(set(), today) == 0
    # Weeks: 9-15 Nov and 26 Oct-1 Nov have check-ins, 2-8 Nov has none.
    assert streak_weeks(days, today) == 1
    weekly = {date(2026, 11, 10), date(2026, 11, 3), date(2026, 10, 29), date(2026, 10, 1)}
    assert streak_weeks(weekly, today) == 3
    assert streak_weeks(weekly - {date(2026, 11, 10)}, today) == 2  # this week not over yet


def test_summary_is_plain_json(vault: Vault, clock: ManualClock) -> None:
    for mood, safety in ((4, 5), (6, 6), (7, 8)):
        vault.entries.add("checkin", {"mood": mood, "safety": safety, "feelings": "hopeful"})
        clock.advance(days=1)
    vault.entries.add("milestone", {"title": "Ten sessions", "done_at": "2026-11-02"})
    vault.entries.add("milestone", {"title": "A year", "due_on": "2027-11-01"})
    vault.entries.add("disclosure", {"title": "x", "occurred_on": "2026-10-01"})
    agreement = vault.entries.add("agreement", {"title": "Phones", "text": "Open"})
    Actions(vault).accept(agreement.id)

    today = date(2026, 11, 4)
    data = summary(vault, today, UTC)
    assert json.loads(json.dumps(data)) == data
    assert data["counts"] == {
        "disclosure": 1,
        "event": 0,
        "agreement": 1,
        "checkin": 3,
        "milestone": 2,
        "question": 0,
        "headsup": 0,
        "trigger": 0,
        "anniversary": 0,
        "homework": 0,
    }
    assert data["checkins"]["streak_days"] == 3
    assert data["checkins"]["streak_weeks"] == 2  # 26 Oct-1 Nov and 2-8 Nov
    assert [(p["day"], p["mood"], p["safety"]) for p in data["checkins"]["series"]] == [
        ("2026-11-01", 4, 5),
        ("2026-11-02", 6, 6),
        ("2026-11-03", 7, 8),
    ]
    assert data["milestones"]["reached"] == 1
    assert data["milestones"]["total"] == 2
    assert data["milestones"]["reached_list"][0]["title"] == "Ten sessions"
    latency = data["disclosure_latency"]
    assert latency["median_days"] == 34  # 1 Oct to 4 Nov (recorded on the third clock day)
    assert latency["trend"] == [{"month": "2026-11", "median_days": 34, "count": 1}]
    assert data["agreements"] == {"proposed": 1}


def test_summary_of_an_empty_vault(vault: Vault) -> None:
    data = summary(vault, date(2026, 11, 1), UTC)
    assert data["disclosure_latency"] == {
        "per_disclosure": [],
        "median_days": None,
        "trend": [],
        "verified_count": 0,
        "amendments": 0,
        "account_amendments": 0,
    }
    assert data["checkins"] == {"streak_days": 0, "streak_weeks": 0, "series": []}
    assert data["milestones"]["reached"] == 0
