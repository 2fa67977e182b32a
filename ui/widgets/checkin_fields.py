"""The check-in form (mood, safety, feelings, note), shared by the Check-ins page and its dialog."""

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.basics import error_label, label

__all__ = ["FEELINGS", "CheckinFields", "FeelingsPicker", "ScaleSlider"]

FEELINGS = (
    "hopeful",
    "calm",
    "connected",
    "grateful",
    "relieved",
    "tired",
    "anxious",
    "sad",
    "hurt",
    "angry",
    "lonely",
    "numb",
)


class ScaleSlider(QWidget):
    """A 1-10 slider with words at both ends and the chosen number beside it."""

    def __init__(self, low: str, high: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(1, 10)
        self.slider.setValue(5)
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.number = QLabel("5")
        self.number.setMinimumWidth(self.number.fontMetrics().horizontalAdvance("10") + 6)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.number.font()
        font.setBold(True)
        self.number.setFont(font)
        self.slider.valueChanged.connect(lambda v: self.number.setText(str(v)))
        low_label, high_label = label(low, "muted", wrap=False), label(high, "muted", wrap=False)
        for end in (low_label, high_label):
            end.ensurePolished()
            end.setFixedWidth(end.fontMetrics().horizontalAdvance("completely") + 12)
        high_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(low_label)
        row.addWidget(self.slider, 1)
        row.addWidget(high_label)
        row.addWidget(self.number)
        self.setFocusProxy(self.slider)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.slider.setAccessibleName(name)

    def value(self) -> int:
        return self.slider.value()

    def set_value(self, value: int) -> None:
        self.slider.setValue(value)


class FeelingsPicker(QWidget):
    """Common feelings as toggle chips, plus a line for any others (comma-separated)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        self.chips: dict[str, QPushButton] = {}
        for index, word in enumerate(FEELINGS):
            chip = QPushButton(word)
            chip.setCheckable(True)
            chip.setAccessibleName(f"Feeling: {word}")
            chip.setProperty("chip", True)
            chip.toggled.connect(self.changed)
            self.chips[word] = chip
            grid.addWidget(chip, index // 4, index % 4)  # fits an 800 px window; three rows
        self.other = QLineEdit()
        self.other.setPlaceholderText("Other feelings, separated by commas")
        self.other.setAccessibleName("Other feelings")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(grid)
        box.addWidget(self.other)

    def value(self) -> list[str]:
        words = [w for w, chip in self.chips.items() if chip.isChecked()]
        words += [w.strip() for w in self.other.text().split(",") if w.strip()]
        return words

    def set_value(self, words: list[str]) -> None:
        others = []
        for chip in self.chips.values():
            chip.setChecked(False)
        for word in words:
            if word in self.chips:
                self.chips[word].setChecked(True)
            else:
                others.append(word)
        self.other.setText(", ".join(others))


class CheckinFields(QWidget):
    """Mood and safety (1-10), feelings and a note; ``raw()`` is what ``validate`` reads."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mood = ScaleSlider("heavy", "light")
        self.mood.setAccessibleName("Mood, from 1 (heavy) to 10 (light)")
        self.safety = ScaleSlider("not at all", "completely")
        self.safety.setAccessibleName("How safe you feel, from 1 (not at all) to 10 (completely)")
        self.feelings = FeelingsPicker()
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Anything you want to remember about today (optional)")
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(self.note.fontMetrics().lineSpacing() * 4)
        self.errors: dict[str, QLabel] = {}
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self._row("How is your mood?", "mood", self.mood)
        self._row("How safe do you feel?", "safety", self.safety)
        self._row("Feelings", "feelings", self.feelings)
        self._row("Note", "note", self.note)

    def _row(self, caption: str, field: str, widget: QWidget) -> None:
        """A row with a hidden error line under it, found by field name in ``errors``."""
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        self.errors[field] = error_label()
        box.addWidget(self.errors[field])
        caption_label = QLabel(caption)
        caption_label.setBuddy(widget)
        self.form.addRow(caption_label, holder)

    def show_error(self, field: str, message: str) -> bool:
        """Show ``message`` under ``field``'s row; False if the form has no such field."""
        error = self.errors.get(field)
        if error is None:
            return False
        error.setText(message)
        error.setVisible(True)
        return True

    def clear_errors(self) -> None:
        for error in self.errors.values():
            error.clear()
            error.setVisible(False)

    def raw(self) -> dict[str, Any]:
        return {
            "mood": self.mood.value(),
            "safety": self.safety.value(),
            "feelings": self.feelings.value(),
            "note": self.note.toPlainText(),
        }

    def load(self, fields: dict[str, Any]) -> None:
        self.mood.set_value(int(fields["mood"]))
        self.safety.set_value(int(fields["safety"]))
        self.feelings.set_value(list(fields.get("feelings", [])))
        self.note.setPlainText(str(fields.get("note", "")))

    def reset(self) -> None:
        """Back to a blank form (after saving, and when the vault locks)."""
        self.clear_errors()
        self.load({"mood": 5, "safety": 5, "feelings": [], "note": ""})
