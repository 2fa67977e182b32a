"""Shortcuts that must work in every window of the app, an open dialog included.

A window's shortcut does not fire while one of its dialogs has the focus, so Ctrl+L would not
lock with an editor open, and "hide now" would fail exactly when it is needed. An event filter
on the application (:class:`~ui.input_filter.InputFilter`) hands the key press here first,
wherever it is typed.
"""

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget

from ui.widgets.basics import belongs_to

__all__ = ["GlobalKeys"]


class GlobalKeys(QObject):
    """Runs ``slot`` when its key sequence is pressed in ``window`` or any of its dialogs."""

    def __init__(self, window: QWidget, keys: dict[str, Callable[[], object]]) -> None:
        super().__init__(window)
        self._window = window
        self._keys = {QKeySequence(text): slot for text, slot in keys.items()}

    def take_key(self, watched: QObject, event: QKeyEvent) -> bool:
        """Run the slot of a pressed sequence typed in the window or its dialogs (True), or let
        the key pass. In the window itself its actions' shortcuts take the key first; in a
        dialog they do not, and the key press arrives here."""
        if not isinstance(watched, QWidget) or not belongs_to(watched, self._window):
            return False
        pressed = QKeySequence(event.keyCombination())
        for sequence, slot in self._keys.items():
            if pressed.matches(sequence) == QKeySequence.SequenceMatch.ExactMatch:
                slot()
                return True
        return False
