"""Sam's trigger log and the day Sam found out, for the demo (:mod:`trustvault.demo_seed`).

Eight triggers over the twelve weeks, kept private, fewer and lighter as the weeks go; the
latest one shared, which Alex's device asks to answer with reassurance, and Alex does. The day
of discovery, a year ago in five days' time, is shared and flagged a week ahead on both
calendars.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, time, timedelta

from trustvault.actions import Actions

__all__ = ["reassure", "seed_sam_triggers"]

_TRIGGERS = (  # days ago, hour, what, where, strength
    (80, 22, "A hotel advert on TV", "living room", 9),
    (74, 8, "Alex's phone lit up face down", "kitchen", 8),
    (61, 13, "A song from that summer", "car", 7),
    (52, 21, "Alex late home without a message", "living room", 8),
    (40, 19, "The restaurant where they met", "town", 6),
    (27, 22, "A name like Jordan's at work", "work", 5),
    (15, 21, "Alex laughing at a message", "kitchen", 4),
)
_SHARED = (3, 20, "Alex's phone buzzed at dinner", "restaurant", 6)
_REPLY = (
    "I am here. My phone stays on the table, open; ask me anything, tonight or any time. If it"
    " helps, we can sit together after dinner and talk it through, or just be quiet together."
)


def _moment(today: date, days_ago: int, hour: int) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), time(hour, 10), UTC)


def seed_sam_triggers(
    sam: Actions, at: Callable[[datetime], AbstractContextManager[None]], today: date
) -> None:
    """Write Sam's log; ``at(moment)`` pins Sam's clock (a context manager)."""
    for days_ago, hour, what, where, strength in (*_TRIGGERS, _SHARED):
        moment = _moment(today, days_ago, hour)
        with at(moment):
            felt = moment.astimezone().replace(tzinfo=None).isoformat(timespec="minutes")
            fields = {"what": what, "where": where, "strength": strength, "felt_at": felt}
            entry = sam.add("trigger", fields)
    sam.share(entry.id)  # the latest one only
    soon = today + timedelta(days=5)
    found_out = date(soon.year - 1, soon.month, min(soon.day, 28 if soon.month == 2 else 31))
    with at(_moment(today, 85, 20)):
        sam.add(
            "anniversary", {"title": "The day I found out", "on": found_out.isoformat()}, "shared"
        )


def reassure(alex: Actions) -> None:
    """Alex answers the trigger Sam shared (its comment, which reaches Sam at the next sync)."""
    for entry in alex.queries.all("trigger"):
        if alex.queries.reassurance_prompt(entry) is not None:
            alex.comment(entry.id, _REPLY)
