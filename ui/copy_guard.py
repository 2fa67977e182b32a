"""Every copy of text out of a window goes through the bridge's clearing clipboard path.

Qt's own Ctrl+C in a text field, an editor or a selectable label would put entry text on the
clipboard plainly: kept by clipboard managers and the system's clipboard history, and never
wiped. The guard takes Ctrl+C in any widget of its window first and copies the selection with
:meth:`VaultBridge.copy_to_clipboard` (hints that ask managers not to keep it, wiped after 30 s
and on lock). A copy from a context menu is caught just after it lands, re-set the same way and
wiped; a manager that reads the clipboard at once may still see that first copy, which is why
Ctrl+C is taken before Qt sees it.
"""

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from ui.bridge import CONCEALED, VaultBridge
from ui.widgets.basics import belongs_to

__all__ = ["CopyGuard", "selected_text"]

_TEXT_WIDGETS = (QLineEdit, QTextEdit, QPlainTextEdit, QLabel)


def selected_text(widget: QWidget) -> str:
    """The text selected in a text widget ('' for none, or for a password field)."""
    if isinstance(widget, QLineEdit):
        normal = widget.echoMode() == QLineEdit.EchoMode.Normal
        return widget.selectedText() if normal else ""
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        # Qt marks paragraph ends in a selection with U+2029.
        return widget.textCursor().selectedText().replace("\u2029", "\n")
    if isinstance(widget, QLabel):
        return widget.selectedText()
    return ""


class CopyGuard(QObject):
    """Ctrl+C inside ``window`` (its dialogs included) copies through ``bridge``."""

    def __init__(self, window: QWidget, bridge: VaultBridge) -> None:
        super().__init__(window)
        self._window = window
        self._bridge = bridge
        QGuiApplication.clipboard().dataChanged.connect(self._conceal_late_copy)

    def take_key(self, watched: QObject, event: QKeyEvent) -> bool:
        """Copy the selection of a widget in the window through the bridge on Ctrl+C (True)."""
        if not event.matches(QKeySequence.StandardKey.Copy):
            return False
        if not isinstance(watched, QWidget) or not belongs_to(watched, self._window):
            return False
        text = selected_text(watched)
        if not text:
            return False
        self._bridge.copy_to_clipboard(text)
        return True

    def _conceal_late_copy(self) -> None:
        """A copy made another way (a context menu's Copy) of text selected in this window:
        re-set it with the hints and wipe it like the bridge's own."""
        clipboard = QGuiApplication.clipboard()
        mime = clipboard.mimeData()
        if not self._bridge.is_unlocked or mime is None or mime.hasFormat(CONCEALED):
            return
        text = clipboard.text()
        if text and any(selected_text(w) == text for w in self._text_widgets()):
            self._bridge.copy_to_clipboard(text)

    def _text_widgets(self) -> list[QWidget]:
        return [w for w in self._window.findChildren(QWidget) if isinstance(w, _TEXT_WIDGETS)]
