"""The Calendar page's two questions about a calendar file: how to export (neutral titles or
not) and, before an import adds anything, whether its events are shared; and the line that says
what an import did."""

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from trustvault.results import NEUTRAL_TITLE, CalendarPreview
from ui.widgets.basics import label

__all__ = ["ExportOptions", "ImportChoice", "import_words"]


class ExportOptions(QDialog):
    """Asks whether exported events keep their titles or all become "Appointment"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export calendar")
        self.neutral = QCheckBox("Use neutral titles")
        self.neutral.setChecked(True)

        explain = label(
            f"With neutral titles every event is called “{NEUTRAL_TITLE}” and no notes, places "
            "or kinds are written, so the file says nothing private if someone else sees it (in "
            "a work calendar, for instance). Only the times and how events repeat are kept.",
            "muted",
            selectable=True,
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose file…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.neutral)
        box.addWidget(explain)
        box.addWidget(buttons)
        self.setMinimumWidth(420)


class ImportChoice(QDialog):
    """Asks, before anything is imported, whether a file's events are shared or kept private.

    ``share`` and ``keep_private`` are the two ways on; closing the dialog imports nothing."""

    def __init__(self, preview: CalendarPreview, file: str, partner: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import calendar")
        n = preview.new
        what = "1 new event" if n == 1 else f"{n} new events"
        lines = [f"{file} has {what}."]
        if preview.known:
            lines.append(f"{preview.known} already in your calendar will be left as they are.")
        lines.append(f"Share them with {partner}, or keep them to yourself?")
        text = label(" ".join(lines), selectable=True)
        notes = label("\n".join(preview.notes), "muted", selectable=True)
        notes.setVisible(bool(preview.notes))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.share = buttons.addButton(
            f"Share with {partner}", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.keep_private = buttons.addButton(
            "Keep private", QDialogButtonBox.ButtonRole.AcceptRole
        )
        for choice in (self.share, self.keep_private):
            choice.setAutoDefault(False)  # sharing a calendar takes a click, never Enter
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.chose_share: bool | None = None
        self.share.clicked.connect(lambda: self._choose(True))
        self.keep_private.clicked.connect(lambda: self._choose(False))
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(text)
        box.addWidget(notes)
        box.addWidget(buttons)
        self.setMinimumWidth(420)

    def _choose(self, share: bool) -> None:
        self.chose_share = share
        self.accept()


def import_words(
    path: Path, added: int, known: int, notes: list[str], share: bool | None = None
) -> str:
    """What an import did, in one line: how many were added (shared or private), how many were
    known already, and the file's notes."""
    text = "Added 1 event" if added == 1 else f"Added {added} events"
    if added and share is not None:
        text += " (shared)" if share else " (private)"
    text += f" from {path.name}."
    if known:
        text += f" {known} {'was' if known == 1 else 'were'} already in your calendar."
    return " ".join([text, *notes])
