"""When reminders fall due: an agreement's review day, and nothing for what is over."""

from datetime import UTC, datetime, timedelta

from trustvault.entries.model import Entry
from trustvault.reminders import REVIEW_HOUR, reminders


def _agreement(review_on: str) -> Entry:
    fields = {"title": "Phones stay open", "text": "We show each other", "review_on": review_on}
    return Entry("a1", "agreement", "d", "2026-10-01T00:00:00Z", "", "shared", fields, 1, "d")


def test_a_review_day_is_said_from_nine_that_morning_until_its_end() -> None:
    now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    found = reminders([], [_agreement("2026-11-03")], now, timedelta(minutes=30))
    assert [r.key for r in found] == ["review:a1:2026-11-03"]
    assert found[0].at == datetime.combine(found[0].at.date(), REVIEW_HOUR).astimezone()
    assert found[0].until - found[0].at == timedelta(hours=15)
    assert reminders([], [_agreement("2026-10-30")], now, None) == []  # over: never said late
    assert reminders([], [_agreement("")], now, None) == []
