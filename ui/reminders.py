"""Reminders on the UI thread: one timer for the next due moment, not a poll of the vault.

The list (:meth:`trustvault.queries.Queries.reminders`) is read on the worker when the vault
opens, when a preference changes, and at most once a minute while it changes (reading every
event after each save and each sync would queue whole-vault reads ahead of the person's next
save, see :mod:`ui.pages.page`); the timer is set for the first reminder after
now, at most :data:`RECHECK_MS` ahead (so a laptop waking from sleep catches up). What is due
is said once per session through the notices (a count, never the event's title).
"""

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QObject, Qt, QTimer

from trustvault.reminders import Reminder
from ui.bridge import VaultBridge
from ui.settings import AppSettings

__all__ = ["CHANGE_DELAY_MS", "RECHECK_MS", "Reminders"]

RECHECK_MS = 6 * 60 * 60 * 1000
CHANGE_DELAY_MS = 60_000


class Reminders(QObject):
    """Says ``say(count)`` when reminders fall due; the vault's clock decides what "now" is."""

    def __init__(
        self,
        bridge: VaultBridge,
        settings: AppSettings,
        say: Callable[[int], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings
        self._say = say
        self._due: list[Reminder] = []
        self._said: set[str] = set()
        self._seq = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)  # coarse may be 5% late: minutes
        self.timer.timeout.connect(self.check)
        self._after_change = QTimer(self)
        self._after_change.setSingleShot(True)
        self._after_change.setInterval(CHANGE_DELAY_MS)
        self._after_change.timeout.connect(self.reschedule)
        bridge.unlocked.connect(self.reschedule)
        bridge.changed.connect(self._changed)
        bridge.locked.connect(self._forget)

    def _changed(self) -> None:
        if not self._after_change.isActive():  # not pushed back by every further change
            self._after_change.start()

    def reschedule(self) -> None:
        """Read the reminders afresh (on the worker), then check and set the timer."""
        self._seq += 1
        seq = self._seq
        self._after_change.stop()
        if not self.settings.reminders or not self.bridge.is_unlocked:
            self._due = []
            self.timer.stop()
            return
        minutes = self.settings.reminder_minutes
        lead = timedelta(minutes=minutes) if minutes else None

        def done(found: list[Reminder]) -> None:
            if seq == self._seq:
                self._due = found
                self.check()

        self.bridge.read(lambda q: q.reminders(lead), done, lambda _message: None)

    def check(self) -> None:
        """Say what is due now, then wait for the next one."""
        q = self.bridge.queries
        if q is None or not self.settings.reminders:
            self.timer.stop()
            return
        now = q.clock()
        due = [r for r in self._due if r.at <= now < r.until and r.key not in self._said]
        self._said.update(r.key for r in due)
        if due:
            self._say(len(due))
        later = [r.at for r in self._due if r.at > now]
        if not later:
            self.timer.stop()
            return
        wait_ms = (min(later) - now).total_seconds() * 1000
        self.timer.start(min(RECHECK_MS, max(0, int(wait_ms) + 50)))

    def _forget(self) -> None:
        self._seq += 1
        self._after_change.stop()
        self._due = []
        self._said = set()
        self.timer.stop()
