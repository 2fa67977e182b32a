"""A one-minute grounding exercise: box breathing with a circle that grows and shrinks, or
5-4-3-2-1 senses, offered after logging a trigger and on the pause banner. Fully offline.

Nothing here blocks the UI thread: a :class:`QTimer` ticks four times a second and reads a
monotonic clock (passed in, so tests move it by hand) to learn which step is under way; each
new step starts a :class:`QPropertyAnimation` of the circle's size over the step's seconds.
The steps and their arithmetic are the core's (:mod:`trustvault.grounding`).
"""

import time
from collections.abc import Callable

from PySide6.QtCore import Property, QEasingCurve, QPropertyAnimation, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from trustvault.grounding import BOX, EXERCISES, Exercise
from ui import theme
from ui.widgets.basics import button, label

__all__ = ["TICK_MS", "BreathingGuide", "GroundingDialog"]

TICK_MS = 250
_SMALLEST = 0.35  # the circle at rest, as a share of the room it has


class BreathingGuide(QWidget):
    """A soft circle whose ``breath`` (0 at rest, 1 full) the dialog animates."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._size = 0.0
        self.setMinimumSize(220, 220)
        self.setAccessibleName("Breathing guide")

    def _get_size(self) -> float:
        return self._size

    def _set_size(self, value: float) -> None:
        self._size = max(0.0, min(1.0, value))
        self.update()

    breath = Property(float, _get_size, _set_size)

    def paintEvent(self, event: QPaintEvent) -> None:
        c = theme.colors()
        side = min(self.width(), self.height()) - 8
        share = _SMALLEST + (1 - _SMALLEST) * self._size
        radius = side / 2 * share
        centre = self.rect().center()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ring = QColor(c.accent)
        painter.setPen(Qt.PenStyle.NoPen)
        halo = QColor(c.accent_soft)
        painter.setBrush(halo)
        painter.drawEllipse(QRectF(centre.x() - side / 2, centre.y() - side / 2, side, side))
        ring.setAlphaF(0.85)
        painter.setBrush(ring)
        inner = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        painter.drawEllipse(inner)
        painter.end()


class GroundingDialog(QDialog):
    """Choose an exercise, Start, follow the words (and the circle); Stop at any time."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        offer: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("A minute to breathe")
        self.setAccessibleName("A minute to breathe")
        self._clock = clock
        self._started: float | None = None
        self._step = -1
        self.exercise: Exercise = BOX
        box = QVBoxLayout(self)
        box.setSpacing(12)
        self.offer = label(offer or "A minute for yourself. Nothing is saved or sent.", "muted")
        box.addWidget(self.offer)
        row = QHBoxLayout()
        self.choices = QButtonGroup(self)
        for key, exercise in EXERCISES.items():
            choice = QRadioButton(exercise.name)
            choice.setChecked(exercise is BOX)
            choice.setProperty("exercise", key)
            choice.toggled.connect(self._toggled)
            self.choices.addButton(choice)
            row.addWidget(choice)
        row.addStretch(1)
        box.addLayout(row)
        self.guide = BreathingGuide()
        box.addWidget(self.guide, 1)
        self.words = label(BOX.intro, "title")
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.words.setAccessibleName("What to do now")
        box.addWidget(self.words)
        self.count = label("", "muted")
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.count)
        buttons = QHBoxLayout()
        self.start_button = button("Start", primary=True)
        self.start_button.clicked.connect(self.start)
        self.stop_button = button("Stop")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setVisible(False)
        self.close_button = button("Close")
        self.close_button.clicked.connect(self.reject)
        for widget in (self.start_button, self.stop_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        box.addLayout(buttons)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.animation = QPropertyAnimation(self.guide, b"breath", self)
        self.animation.setEasingCurve(QEasingCurve.Type.InOutSine)
        self.resize(420, 520)

    def _toggled(self, on: bool) -> None:
        choice = self.sender()
        if on and choice is not None:
            self._choose(str(choice.property("exercise")))

    def _choose(self, key: str) -> None:
        self.stop()
        self.exercise = EXERCISES[key]
        self.words.setText(self.exercise.intro)
        self.guide.setVisible(any(s.size is not None for s in self.exercise.steps))

    def start(self) -> None:
        self._started = self._clock()
        self._step = -1
        self.start_button.setVisible(False)
        self.stop_button.setVisible(True)
        self.timer.start()
        self.tick()

    def stop(self) -> None:
        self.timer.stop()
        self.animation.stop()
        self._started = None
        self.guide.breath = 0.0  # type: ignore[assignment]  # a Qt Property
        self.count.clear()
        self.start_button.setVisible(True)
        self.start_button.setText("Start")
        self.stop_button.setVisible(False)

    def tick(self) -> None:
        """Show the step under way (a new one starts the circle's animation)."""
        if self._started is None:
            return
        elapsed = self._clock() - self._started
        index, done = self.exercise.at(elapsed)
        if index >= len(self.exercise.steps):
            self.stop()
            self.words.setText(self.exercise.closing)
            self.start_button.setText("Again")
            return
        step = self.exercise.steps[index]
        if index != self._step:
            self._step = index
            self.words.setText(step.words)
            if step.size is not None:
                self.animation.stop()
                self.animation.setStartValue(self.guide.breath)
                self.animation.setEndValue(step.size)
                self.animation.setDuration(int(step.seconds * 1000 * (1 - done)))
                self.animation.start()
        left = max(1, round(step.seconds * (1 - done)))
        self.count.setText(f"{left}")
        self.count.setAccessibleName(f"{left} seconds left in this step")

    def done(self, result: int) -> None:
        self.timer.stop()
        self.animation.stop()
        super().done(result)
