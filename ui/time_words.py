"""Moments in the words a person says them: "today at 21:14", "on Tuesday 1 December at 21:14"."""

from datetime import date, datetime

from trustvault.results import spoken_day

__all__ = ["spoken_moment"]


def spoken_moment(at: datetime, today: date) -> str:
    """``at`` (already in local time) relative to ``today``, with the day as the core says it."""
    return f"{spoken_day(at.date(), today, on=True)} at {at:%H:%M}"
