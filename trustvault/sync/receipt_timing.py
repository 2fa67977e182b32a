"""When this device tells the partner's what arrived: at once, or once a day at a random moment.

A receipt shows up on the medium right after this device synced, so the partner's device (and
the medium) can tell when this person opened the app. With daily receipts the receipt for
everything taken in goes out once a day, at a moment drawn at random within the next day; the
partner then sees "delivered" up to a day late, a withdrawal stays "pending" as long, and the
partner's envelopes wait on the medium until then. The author's device records only the day a
receipt confirmed an entry, never the moment. The day's heartbeat (:mod:`.heartbeat`) goes out
with the receipt, on the same timing.
"""

import secrets
from datetime import datetime, timedelta

from trustvault.storage import meta_store
from trustvault.storage.connection import Connection

__all__ = ["daily", "receipt_due", "schedule_next", "set_daily"]

_MODE, _NEXT = "sync.receipts", "sync.next_receipt"
_DAY = 24 * 60 * 60


def daily(conn: Connection) -> bool:
    return meta_store.get(conn, _MODE) == "daily"


def set_daily(conn: Connection, on: bool, now: datetime) -> None:
    """Choose daily (True) or immediate receipts; a daily one is first due within a day."""
    if on:
        meta_store.put(conn, _MODE, "daily")
        schedule_next(conn, now)
    else:
        meta_store.delete(conn, _MODE)
        meta_store.delete(conn, _NEXT)


def receipt_due(conn: Connection, now: datetime) -> bool:
    """Whether a new receipt may go out now."""
    if not daily(conn):
        return True
    due = meta_store.get(conn, _NEXT)
    return due is None or now >= datetime.fromisoformat(due)


def schedule_next(conn: Connection, now: datetime) -> None:
    """Daily mode: the next receipt at a random moment of the next day (secrets, not random)."""
    if daily(conn):
        moment = now + timedelta(seconds=1 + secrets.randbelow(_DAY))
        meta_store.put(conn, _NEXT, moment.isoformat())
