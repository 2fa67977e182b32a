"""The Calendar page's marks: "Held", "Skipped" and "Moved" under the day's agenda, for the
chosen occurrence, by either partner; the words that say who marked it. The write runs on the
bridge's worker like every other; the page redraws from the vault afterwards."""

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from trustvault.calendar import Occurrence
from trustvault.results import MarkState, OccurrenceMark
from ui.widgets.basics import button

__all__ = ["MarkBar", "mark_words"]

_LABELS = {MarkState.HELD: "Held", MarkState.SKIPPED: "Skipped", MarkState.MOVED: "Moved"}


def mark_words(mark: OccurrenceMark, name_of: Callable[[str], str], me: str) -> str:
    """ "held · marked by Sam" (or "by you") for the agenda row."""
    who = "you" if mark.marked_by == me else name_of(mark.marked_by)
    return f"{mark.state} · marked by {who}"


class MarkBar(QWidget):
    """Three buttons marking the chosen occurrence; ``chosen`` says which state was clicked."""

    chosen = Signal(object, object)  # Occurrence, MarkState

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.occurrence: Occurrence | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[MarkState, QWidget] = {}
        for state, text in _LABELS.items():
            widget = button(text, name=f"Mark the chosen occurrence {state}")
            widget.clicked.connect(lambda _=False, s=state: self._click(s))
            row.addWidget(widget)
            self.buttons[state] = widget
        self.set_occurrence(None)

    def set_occurrence(self, occurrence: Occurrence | None) -> None:
        """The agenda's chosen occurrence (None: nothing to mark, or a pause's return)."""
        self.occurrence = occurrence if occurrence is None or not occurrence.virtual else None
        for widget in self.buttons.values():
            widget.setEnabled(self.occurrence is not None)

    def _click(self, state: MarkState) -> None:
        if self.occurrence is not None:
            self.chosen.emit(self.occurrence, state)
