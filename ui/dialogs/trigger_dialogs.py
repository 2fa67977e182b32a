"""The trigger and anniversary dialogs, both private by default.

Saving a new trigger offers a minute of breathing (:class:`ui.grounding.GroundingDialog`),
which opens beside the window and may simply be closed.
"""

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLineEdit, QSpinBox, QWidget

from trustvault.entries.model import Entry
from ui.grounding import GroundingDialog
from ui.widgets.checkin_fields import ScaleSlider
from ui.widgets.entry_form import EntryDialog
from ui.widgets.fields import DATE_FORMAT, WhenEdit, qdate_of

__all__ = ["AFTER_TRIGGER", "AnniversaryDialog", "TriggerDialog", "offer_grounding"]

AFTER_TRIGGER = "Thank you for writing it down. If it helps, breathe with the circle for a minute."


def offer_grounding(parent: QWidget | None, offer: str = "") -> GroundingDialog:
    """Open the grounding exercise (not modal: the window stays usable)."""
    dialog = GroundingDialog(parent, offer=offer)
    dialog.setObjectName("Grounding")
    dialog.open()
    return dialog


class TriggerDialog(EntryDialog):
    """What set it off, where, how strong, when: for this person's own log."""

    kind = "trigger"
    noun = "trigger"

    def build(self) -> None:
        self.what = QLineEdit()
        self.what.setPlaceholderText("e.g. A song from that summer")
        self.where = QLineEdit()
        self.where.setPlaceholderText("e.g. In the car")
        self.strength = ScaleSlider("barely", "completely")
        self.when = WhenEdit()
        self.when.with_time.setChecked(True)
        hint = "Only you see it, unless you share this one with your partner."
        self.add_row("What set it off", "what", self.what, hint)
        self.add_row("Where", "where", self.where)
        self.add_row("How strong", "strength", self.strength)
        self.add_row("When", "felt_at", self.when)
        self.saved.connect(self._offer)

    def raw(self) -> dict[str, Any]:
        return {
            "what": self.what.text(),
            "where": self.where.text(),
            "strength": self.strength.value(),
            "felt_at": self.when.value(),
        }

    def load(self, fields: dict[str, Any]) -> None:
        self.what.setText(fields["what"])
        self.where.setText(fields.get("where", ""))
        self.strength.set_value(int(fields["strength"]))
        if fields.get("felt_at"):
            self.when.set_value(fields["felt_at"])

    def _offer(self, entry: Entry) -> None:
        if self.base_revision is None:  # a new trigger, not an edit of one
            offer_grounding(self.parentWidget(), AFTER_TRIGGER)


class AnniversaryDialog(EntryDialog):
    """A day that comes back each year, flagged ahead on the calendar and in reminders."""

    kind = "anniversary"
    noun = "day to mark"

    def build(self) -> None:
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. The day of discovery")
        self.on = QDateEdit(QDate.currentDate())
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat(DATE_FORMAT)
        self.lead = QSpinBox()
        self.lead.setRange(0, 60)
        self.lead.setValue(7)
        self.lead.setSuffix(" days ahead")
        hint = "It comes back each year; the calendar and reminders say so ahead of it."
        self.add_row("What the day is", "title", self.title, hint)
        self.add_row("The day", "on", self.on)
        self.add_row("Flag it", "lead_days", self.lead)

    def raw(self) -> dict[str, Any]:
        return {
            "title": self.title.text(),
            "on": self.on.date().toString("yyyy-MM-dd"),
            "lead_days": self.lead.value(),
        }

    def load(self, fields: dict[str, Any]) -> None:
        self.title.setText(fields["title"])
        self.on.setDate(qdate_of(fields["on"]))
        self.lead.setValue(int(fields.get("lead_days", 7)))
