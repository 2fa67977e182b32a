"""Idle auto-lock: after N minutes without keyboard or mouse input, the vault locks itself.

Activity only stamps a time (no timer restart per mouse move); the single-shot timer checks the
stamp when it fires and either locks or waits for the remainder. Locking is the bridge's job:
it closes the database and every page clears its models on ``locked``.
"""

from PySide6.QtCore import QElapsedTimer, QObject, QTimer

from ui.bridge import VaultBridge

__all__ = ["IdleLock"]


class IdleLock(QObject):
    """Locks ``bridge`` after ``interval_ms`` of no input while it is unlocked."""

    def __init__(
        self, bridge: VaultBridge, interval_ms: int, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self._interval = max(1, interval_ms)
        self._since = QElapsedTimer()
        self._since.start()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._check)
        bridge.unlocked.connect(self.restart)
        bridge.locked.connect(self.timer.stop)
        if bridge.is_unlocked:
            self.restart()

    @property
    def interval_ms(self) -> int:
        return self._interval

    def set_interval(self, interval_ms: int) -> None:
        self._interval = max(1, interval_ms)
        if self.bridge.is_unlocked:
            self.restart()

    def set_minutes(self, minutes: float) -> None:
        self.set_interval(round(minutes * 60_000))

    def restart(self) -> None:
        self._since.restart()
        self.timer.start(self._interval)

    def note_activity(self) -> None:
        """Keyboard or mouse input (the window's :class:`~ui.input_filter.InputFilter` calls)."""
        self._since.restart()

    def _check(self) -> None:
        if not self.bridge.is_unlocked:
            return
        remaining = self._interval - self._since.elapsed()
        if remaining > 0:
            self.timer.start(int(remaining))
        else:
            self.bridge.lock()

    def stop(self) -> None:
        self.timer.stop()
