"""The calendar event's dialog: title, kind, start and end (or all day), how it repeats, where,
notes, and presets for the couple's usual practices (a weekly date night, a weekly check-in, a
therapy session). Validation and saving are :class:`ui.widgets.entry_form.EntryDialog`'s."""

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateTimeEdit, QLineEdit, QWidget

from trustvault.entries.model import Entry
from ui.bridge import VaultBridge
from ui.widgets.entry_form import EntryDialog
from ui.widgets.fields import DATE_FORMAT, DATETIME_FORMAT, RepeatEdit, qdatetime_of, text_box

__all__ = ["EVENT_KIND_LABELS", "EventDialog"]

EVENT_KIND_LABELS = (
    ("date_night", "Date night"),
    ("therapy", "Therapy"),
    ("check_in", "Check-in conversation"),
    ("ritual", "Ritual"),
    ("other", "Something else"),
)


class EventDialog(EntryDialog):
    """A calendar event; presets fill in the couple's usual practices in one click."""

    kind = "event"
    noun = "event"
    PRESETS = (
        # label, title, event kind, weekday (Mon=0, None = the chosen day), start, minutes, rule
        ("Weekly date night", "Date night", "date_night", 4, QTime(19, 0), 150, "FREQ=WEEKLY"),
        ("Weekly check-in", "Weekly check-in", "check_in", 6, QTime(19, 0), 30, "FREQ=WEEKLY"),
        ("Therapy session", "Therapy session", "therapy", None, QTime(17, 0), 50, ""),
    )

    def __init__(
        self,
        bridge: VaultBridge,
        entry: Entry | None = None,
        parent: QWidget | None = None,
        *,
        day: date | None = None,
    ) -> None:
        self._day = day or date.today()
        super().__init__(bridge, entry, parent)

    def build(self) -> None:
        if self.entry is None:
            self.preset = QComboBox()
            self.preset.addItem("Start from scratch")
            for preset in self.PRESETS:
                self.preset.addItem(preset[0])
            self.preset.currentIndexChanged.connect(self._apply_preset)
            self.add_row("Start from", "preset", self.preset)
        self.title = QLineEdit()
        self.event_kind = QComboBox()
        for value, label in EVENT_KIND_LABELS:
            self.event_kind.addItem(label, value)
        self.all_day = QCheckBox("All day")
        self.start = QDateTimeEdit(QDateTime(_qdate(self._day), QTime(19, 0)))
        self.end = QDateTimeEdit(QDateTime(_qdate(self._day), QTime(20, 0)))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(DATETIME_FORMAT)
        self._length = self.start.dateTime().secsTo(self.end.dateTime())
        self.start.dateTimeChanged.connect(self._keep_length)
        self.end.dateTimeChanged.connect(self._remember_length)
        self.all_day.toggled.connect(self._on_all_day)
        self.repeat = RepeatEdit()
        self.location = QLineEdit()
        self.notes = text_box("Anything to bring or remember (optional)", 3)
        self.add_row("Title", "title", self.title)
        self.add_row("What kind", "kind", self.event_kind)
        self.add_row("", "all_day", self.all_day)
        self.add_row("Starts", "start", self.start)
        self.add_row("Ends", "end", self.end)
        self.add_row("Repeats", "rrule", self.repeat)
        self.add_row("Where", "location", self.location)
        self.add_row("Notes", "notes", self.notes)

    def _apply_preset(self, index: int) -> None:
        if index <= 0:
            return
        _label, title, kind, weekday, start, minutes, rule = self.PRESETS[index - 1]
        day = self._day
        if weekday is not None:
            day += timedelta(days=(weekday - day.weekday()) % 7)
        self.title.setText(title)
        self.event_kind.setCurrentIndex(self.event_kind.findData(kind))
        self.all_day.setChecked(False)
        begin = QDateTime(_qdate(day), start)
        self.start.setDateTime(begin)
        self.end.setDateTime(begin.addSecs(minutes * 60))
        self.repeat.set_value(rule)

    def _keep_length(self, start: QDateTime) -> None:
        self.end.blockSignals(True)
        self.end.setDateTime(start.addSecs(self._length))
        self.end.blockSignals(False)

    def _remember_length(self, end: QDateTime) -> None:
        self._length = max(0, self.start.dateTime().secsTo(end))

    def _on_all_day(self, on: bool) -> None:
        for edit in (self.start, self.end):
            edit.setDisplayFormat(DATE_FORMAT if on else DATETIME_FORMAT)

    def raw(self) -> dict[str, Any]:
        form = "yyyy-MM-dd" if self.all_day.isChecked() else "yyyy-MM-ddTHH:mm"
        return {
            "title": self.title.text(),
            "event_kind": self.event_kind.currentData(),
            "all_day": self.all_day.isChecked(),
            "start": self.start.dateTime().toString(form),
            "end": self.end.dateTime().toString(form),
            "rrule": self.repeat.value(),
            "location": self.location.text(),
            "notes": self.notes.toPlainText(),
        }

    def load(self, fields: dict[str, Any]) -> None:
        self.title.setText(fields["title"])
        self.event_kind.setCurrentIndex(max(0, self.event_kind.findData(fields["event_kind"])))
        self.all_day.setChecked(bool(fields["all_day"]))
        self.start.setDateTime(qdatetime_of(fields["start"]))
        self.end.setDateTime(qdatetime_of(fields["end"]))
        self.repeat.set_value(fields.get("rrule", ""))
        self.location.setText(fields.get("location", ""))
        self.notes.setPlainText(fields.get("notes", ""))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
