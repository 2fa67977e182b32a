"""Moments in the words a person says them: "today at 21:14", "Tuesday 1 December at 21:14"."""

from datetime import date, datetime, timedelta

__all__ = ["spoken_moment"]


def spoken_moment(at: datetime, today: date) -> str:
    """``at`` (already in local time) relative to ``today``; the year only when it differs."""
    day = at.date()
    clock = f"{at:%H:%M}"
    if day == today:
        return f"today at {clock}"
    if day == today - timedelta(days=1):
        return f"yesterday at {clock}"
    year = f" {day.year}" if day.year != today.year else ""
    return f"{at:%A} {day.day} {at:%B}{year} at {clock}"
