"""Review… on an agreement: what the two of you decided, recorded as a proposal both accept.

Either partner records the review (``Actions.review_agreement``); the version under review stays
as it was until both accept the outcome, so the record holds both voices. Keeping or retiring
keeps the wording; stepping down or revising asks for the new wording, in the same box.
"""

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from trustvault.entries.kinds import REVIEW_OUTCOMES
from trustvault.results import Entry
from ui.bridge import VaultBridge
from ui.widgets.basics import label

__all__ = ["ReviewDialog"]

_NEW_WORDING = ("stepped down", "revised")
_OUTCOME_WORDS = {
    "kept": "We keep it as it is",
    "stepped down": "We step it down (new, lighter wording)",
    "revised": "We revise it (new wording)",
    "retired": "We retire it",
}


class ReviewDialog(QDialog):
    """The outcome, the wording when it changes, and the next review and end dates."""

    def __init__(self, bridge: VaultBridge, entry: Entry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge, self.entry = bridge, entry
        self.setWindowTitle("Review agreement")
        self.outcome = QComboBox()
        for outcome in REVIEW_OUTCOMES:
            self.outcome.addItem(_OUTCOME_WORDS[outcome], outcome)
        self.outcome.setAccessibleName("Outcome of the review")
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        self.text = QPlainTextEdit(entry.fields["text"])
        self.text.setAccessibleName("Wording after the review")
        self.review_on = QLineEdit(entry.fields.get("review_on", ""))
        self.review_on.setPlaceholderText("YYYY-MM-DD (optional)")
        self.review_on.setAccessibleName("Next review date")
        self.ends_on = QLineEdit(entry.fields.get("ends_on", ""))
        self.ends_on.setPlaceholderText("YYYY-MM-DD (optional)")
        self.ends_on.setAccessibleName("End date")
        self.error = label("", "error", selectable=True)
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Outcome", self.outcome)
        form.addRow("Wording", self.text)
        form.addRow("Next review", self.review_on)
        form.addRow("Ends on", self.ends_on)
        box = QVBoxLayout(self)
        box.addWidget(
            label(
                f"\u201c{entry.title}\u201d stays as it is until you both accept the outcome.",
                "muted",
                selectable=True,
            )
        )
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        self._outcome_changed()

    def chosen(self) -> str:
        return str(self.outcome.currentData())

    def _outcome_changed(self) -> None:
        rewording = self.chosen() in _NEW_WORDING
        self.text.setReadOnly(not rewording)
        if not rewording:
            self.text.setPlainText(self.entry.fields["text"])

    def save(self) -> None:
        entry_id, outcome, base = self.entry.id, self.chosen(), self.entry.revision
        changes = {
            "text": self.text.toPlainText().strip(),
            "review_on": self.review_on.text().strip(),
            "ends_on": self.ends_on.text().strip(),
        }
        self.buttons.setEnabled(False)
        self.bridge.write(
            lambda a: a.review_agreement(entry_id, outcome, changes, base_revision=base),
            lambda _entry: self.accept(),
            self._failed,
        )

    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)
        self.buttons.setEnabled(True)
