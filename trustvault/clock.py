"""A clock passed into the core, so tests control time instead of sleeping or patching."""

from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["Clock", "iso_now", "system_clock"]

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current time in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def iso_now(clock: Clock) -> str:
    """``clock()`` as the ISO text stored in the vault (UTC, ``Z`` suffix)."""
    return clock().astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
