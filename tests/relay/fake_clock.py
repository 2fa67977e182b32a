"""A clock the relay tests move by hand, so that no test waits for time to pass."""

from datetime import UTC, datetime, timedelta

__all__ = ["FakeClock"]


class FakeClock:
    """Both of the relay's clocks, moved together by :meth:`advance` as real time moves both.

    Pass :meth:`now` where the relay takes a ``clock`` (the time of day: what the store records
    and expiry compares) and :meth:`ticks` where it takes ``ticks`` (rate windows, once a minute).
    """

    def __init__(self, start: datetime = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)) -> None:
        self.start = start
        self.elapsed = 0.0  # seconds since start

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def ticks(self) -> float:
        return self.elapsed

    def advance(self, **delta: float) -> None:
        """Move both clocks on, e.g. ``advance(days=60, minutes=1)``; negative parts are fine."""
        step = timedelta(**delta).total_seconds()
        assert step >= 0, "time never goes backwards here"
        self.elapsed += step
