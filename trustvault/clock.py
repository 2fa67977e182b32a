"""A clock passed into the core, so tests control time instead of sleeping or patching.

Two kinds: a :data:`Clock` tells the time of day, for anything stored or compared across
restarts (an entry's date, when a relay mailbox was last used); :data:`Ticks` only measures
intervals in memory (rate windows, "at most once a minute") and never goes backwards when the
system clock is set, which a :data:`Clock` may.
"""

import time
from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["Clock", "Ticks", "iso_now", "system_clock", "system_ticks"]

Clock = Callable[[], datetime]
Ticks = Callable[[], float]  # seconds from an arbitrary start


def system_clock() -> datetime:
    """The current time in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


system_ticks: Ticks = time.monotonic


def iso_now(clock: Clock) -> str:
    """``clock()`` as the ISO text stored in the vault (UTC, ``Z`` suffix)."""
    return clock().astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
