"""Small input widgets the entry dialogs share; each returns the raw text ``validate`` expects.

They never judge the value themselves: validation stays in ``trustvault.entries.kinds`` so the
dialogs, the CLI and sync reject the same things with the same words.
"""

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "OptionalDateEdit",
    "RepeatEdit",
    "VisibilityChoice",
    "WhenEdit",
    "qdate_of",
    "qdatetime_of",
    "text_box",
]

DATE_FORMAT = "ddd d MMM yyyy"
DATETIME_FORMAT = "ddd d MMM yyyy  HH:mm"


def text_box(placeholder: str, lines: int = 5) -> QPlainTextEdit:
    """A plain-text field ``lines`` tall, where Tab moves on rather than typing a tab."""
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * lines)
    return box


def qdate_of(value: str) -> QDate:
    """A stored ``YYYY-MM-DD`` (or the date part of a date-time) as a QDate."""
    day = date.fromisoformat(value[:10])
    return QDate(day.year, day.month, day.day)


def qdatetime_of(value: str) -> QDateTime:
    """A stored date or date-time as local wall-clock time (what the person typed)."""
    if len(value) == 10:
        return QDateTime(qdate_of(value), QTime(0, 0))
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return QDateTime(
        QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute)
    )


class OptionalDateEdit(QWidget):
    """A date that may be left out: a check box switches the date on."""

    def __init__(self, check_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(check_text)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(DATE_FORMAT)
        self.date.setEnabled(False)
        self.check.toggled.connect(self.date.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check)
        row.addWidget(self.date, 1)
        self.setFocusProxy(self.check)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.check.setAccessibleName(f"{name}: set a date")
        self.date.setAccessibleName(name)

    def value(self) -> str:
        return self.date.date().toString("yyyy-MM-dd") if self.check.isChecked() else ""

    def set_value(self, value: str) -> None:
        self.check.setChecked(bool(value))
        if value:
            self.date.setDate(qdate_of(value))


class WhenEdit(QWidget):
    """A day, with a time of day only when the person knows it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QDateTimeEdit(QDateTime.currentDateTime())
        self.edit.setCalendarPopup(True)
        self.with_time = QCheckBox("I know the time")
        self.with_time.toggled.connect(self._show_time)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.with_time)
        self.setFocusProxy(self.edit)
        self._show_time(False)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)
        self.with_time.setAccessibleName(f"{name}: include the time of day")

    def _show_time(self, on: bool) -> None:
        self.edit.setDisplayFormat(DATETIME_FORMAT if on else DATE_FORMAT)

    def value(self) -> str:
        moment = self.edit.dateTime()
        if self.with_time.isChecked():
            return moment.toString("yyyy-MM-ddTHH:mm")
        return moment.date().toString("yyyy-MM-dd")

    def set_value(self, value: str) -> None:
        self.with_time.setChecked(len(value) > 10)
        self.edit.setDateTime(qdatetime_of(value))


class RepeatEdit(QWidget):
    """How an event repeats: the usual choices, or an RFC 5545 rule typed by hand."""

    changed = Signal()
    CHOICES = (
        ("Does not repeat", ""),
        ("Every week", "FREQ=WEEKLY"),
        ("Every two weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("Every month", "FREQ=MONTHLY"),
        ("Custom rule…", None),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        for label, _rule in self.CHOICES:
            self.combo.addItem(label)
        self.custom = QLineEdit()
        self.custom.setPlaceholderText("e.g. FREQ=WEEKLY;BYDAY=TU,TH;COUNT=10")
        self.custom.setVisible(False)
        self.combo.currentIndexChanged.connect(self._on_choice)
        self.custom.textChanged.connect(self.changed)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.combo)
        box.addWidget(self.custom)
        self.setFocusProxy(self.combo)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.combo.setAccessibleName(name)
        self.custom.setAccessibleName(f"{name}: custom recurrence rule")

    def _on_choice(self, index: int) -> None:
        custom = self.CHOICES[index][1] is None
        self.custom.setVisible(custom)
        if custom:
            self.custom.setFocus()
        self.changed.emit()

    def value(self) -> str:
        rule = self.CHOICES[self.combo.currentIndex()][1]
        return self.custom.text().strip() if rule is None else rule

    def set_value(self, rule: str) -> None:
        for index, (_label, known) in enumerate(self.CHOICES):
            if known is not None and known == rule.upper():
                self.combo.setCurrentIndex(index)
                return
        self.combo.setCurrentIndex(len(self.CHOICES) - 1)
        self.custom.setText(rule)


class VisibilityChoice(QComboBox):
    """Shared with the partner, or kept on this device only."""

    LABELS = (
        ("shared", "Shared with my partner"),
        ("private", "Private: only on this device"),
    )

    def __init__(self, default: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for value, label in self.LABELS:
            self.addItem(label, value)
        self.set_value(default)

    def value(self) -> str:
        return str(self.currentData())

    def set_value(self, value: str) -> None:
        index = self.findData(value)
        self.setCurrentIndex(max(index, 0))
