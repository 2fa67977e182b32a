"""The grounding exercise on a fake clock: the words follow the steps, the circle's animation
runs over each breathing step, and the minute ends calmly. No sleeps: the test moves the clock
and fires the timer's tick itself."""

from typing import Any

from PySide6.QtCore import QAbstractAnimation

from tests.ui.crossing_helpers import click
from trustvault.grounding import BOX, SENSES
from ui.grounding import GroundingDialog


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_box_breathing_follows_the_clock_and_ends_after_a_minute(qtbot: Any) -> None:
    clock = FakeClock()
    dialog = GroundingDialog(clock=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    click(qtbot, dialog.start_button)
    assert dialog.words.text() == "Breathe in slowly through your nose"
    assert dialog.timer.isActive() and not dialog.stop_button.isHidden()
    grow = dialog.animation
    assert grow.state() is QAbstractAnimation.State.Running
    assert (grow.endValue(), grow.duration()) == (1.0, 4000)
    grow.setCurrentTime(2000)  # halfway through breathing in: the circle is halfway grown
    assert 0.3 < dialog.guide.breath < 0.7
    clock.now += 4.5
    dialog.timer.timeout.emit()
    assert dialog.words.text() == "Hold, gently" and dialog.count.text() in ("3", "4")
    clock.now += 4.0
    dialog.timer.timeout.emit()
    assert dialog.words.text() == "Breathe out slowly"
    assert (dialog.animation.endValue(), dialog.animation.duration()) == (0.0, 3500)
    clock.now += BOX.seconds
    dialog.timer.timeout.emit()
    assert dialog.words.text() == BOX.closing and not dialog.timer.isActive()
    assert dialog.start_button.text() == "Again" and dialog.stop_button.isHidden()


def test_the_senses_exercise_has_no_circle_and_stop_ends_it_at_once(qtbot: Any) -> None:
    clock = FakeClock()
    dialog = GroundingDialog(clock=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    senses = next(b for b in dialog.choices.buttons() if b.text() == SENSES.name)
    click(qtbot, senses)
    assert dialog.guide.isHidden() and dialog.words.text() == SENSES.intro
    click(qtbot, dialog.start_button)
    assert dialog.words.text() == "Name five things you can see"
    clock.now += 16.5
    dialog.timer.timeout.emit()
    assert dialog.words.text() == "Name four things you can feel or touch"
    click(qtbot, dialog.stop_button)
    assert not dialog.timer.isActive() and dialog.start_button.text() == "Start"
