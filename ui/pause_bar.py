"""The pause, on both windows: "I need a pause…", a calm banner with the return, and "Ready?".

Either partner asks for a pause (:class:`PauseDialog`: how long, no reason asked); both windows
then show the same calm banner with the promised return and "I'm back". When the return comes a
timer (not a poll) turns it into "Ready?" with "Yes, ready" and "30 more minutes", and a
count-only reminder is said through the notices. "30 more minutes" is there all along, for
either of them, and so is "Breathe…", a minute's grounding exercise (:mod:`ui.grounding`).
Coming back is told as encouragement ("you
have come back to each other after 3 pauses"), never as a score. The bar reads the pause (one
row) on the UI thread whenever the vault changes, a partner's sync included.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trustvault.results import Pause
from ui.bridge import VaultBridge
from ui.grounding import GroundingDialog
from ui.time_words import spoken_moment
from ui.widgets.basics import label

__all__ = ["LENGTHS", "PauseBar", "PauseDialog"]

LENGTHS = (
    ("20 minutes", 20),
    ("30 minutes", 30),
    ("45 minutes", 45),
    ("1 hour", 60),
    ("2 hours", 120),
    ("4 hours", 240),
    ("8 hours", 480),
    ("24 hours", 1440),
)


_DURING_PAUSE = "While you take your pause: a minute to breathe, if it helps. Nothing is sent."


def _local(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()


def encouragement(kept: int) -> str:
    if not kept:
        return ""
    pauses = "a pause" if kept == 1 else f"{kept} pauses"
    return f"You have come back to each other after {pauses}."


class PauseDialog(QDialog):
    """How long the pause lasts; nothing else is asked."""

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setWindowTitle("I need a pause")
        self.length = QComboBox()
        self.length.setAccessibleName("Back in")
        for text, minutes in LENGTHS:
            self.length.addItem(text, minutes)
        self.length.setCurrentIndex(1)
        self.error = label("", "error", selectable=True)
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.start = self.buttons.addButton(
            "Start the pause", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(label("I will be back in"))
        row.addWidget(self.length, 1)
        box = QVBoxLayout(self)
        box.addWidget(
            label(
                "No reason needed. Your partner sees that you asked for a pause and when you"
                " will come back to it.",
                "muted",
                selectable=True,
            )
        )
        box.addLayout(row)
        q = bridge.queries
        kept = encouragement(q.returns_kept()) if q is not None else ""
        if kept:
            box.addWidget(label(kept, "muted", selectable=True))
        box.addWidget(self.error)
        box.addWidget(self.buttons)

    def save(self) -> None:
        minutes = int(self.length.currentData())
        self.buttons.setEnabled(False)
        self.bridge.write(
            lambda a: a.pause(timedelta(minutes=minutes)), lambda _p: self.accept(), self._failed
        )

    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)
        self.buttons.setEnabled(True)


class PauseBar(QFrame):
    """The banner both windows show while a pause is on; hidden otherwise."""

    def __init__(
        self, bridge: VaultBridge, say: Callable[[int], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.bridge = bridge
        self._say = say
        self.pause: Pause | None = None
        self._said: set[str] = set()
        self.words = label("", selectable=True)
        self.words.setTextFormat(Qt.TextFormat.PlainText)
        self.back_button = QPushButton("I'm back")
        self.back_button.clicked.connect(self.come_back)
        self.more_button = QPushButton("30 more minutes")
        self.more_button.clicked.connect(self.ask_more)
        self.breathe_button = QPushButton("Breathe…")
        self.breathe_button.setAccessibleName("Breathe for a minute")
        self.breathe_button.clicked.connect(self.breathe)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 10, 14, 10)
        row.addWidget(self.words, 1)
        row.addWidget(self.breathe_button)
        row.addWidget(self.more_button)
        row.addWidget(self.back_button)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.refresh)
        bridge.changed.connect(self.refresh)
        bridge.unlocked.connect(self.refresh)
        bridge.locked.connect(self.refresh)
        self.setVisible(False)

    def refresh(self) -> None:
        q = self.bridge.queries
        self.pause = q.pause() if q is not None else None
        self.timer.stop()
        pause = self.pause
        if pause is None or q is None:
            self.setVisible(False)
            return
        now = q.clock()
        until = _local(pause.until)
        due = until <= now
        mine = pause.asked_by == q.device_id
        who = "You" if mine else self.bridge.name_of(pause.asked_by)
        when = spoken_moment(until, now.astimezone().date())
        if due:
            setter = "you" if mine else who
            self.words.setText(f"It is {until:%H:%M}, the time {setter} set to come back to it."
                               " Ready?")  # fmt: skip
            if pause.id not in self._said:
                self._said.add(pause.id)
                self._say(1)
        else:
            self.words.setText(
                f"{who} asked for a pause. Back {when}. Take the time you need; nothing"
                " has to be said now."
            )
            self.timer.start(max(0, int((until - now).total_seconds() * 1000)) + 50)
        self.back_button.setText("Yes, ready" if due else "I'm back")
        self.setAccessibleName(self.words.text())
        self.setVisible(True)

    def breathe(self) -> GroundingDialog:
        """A minute of box breathing or the senses, beside the window (not modal)."""
        dialog = GroundingDialog(self.window(), offer=_DURING_PAUSE)
        dialog.setObjectName("Grounding")
        dialog.open()
        return dialog

    def come_back(self) -> None:
        self.back_button.setEnabled(False)
        self.bridge.write(lambda a: a.end_pause(), self._done, self._failed)

    def ask_more(self) -> None:
        self.more_button.setEnabled(False)
        self.bridge.write(lambda a: a.extend_pause(), self._done, self._failed)

    def _done(self, _result: object = None) -> None:
        self.back_button.setEnabled(True)
        self.more_button.setEnabled(True)

    def _failed(self, message: str) -> None:
        self._done()
        self.words.setText(message)
