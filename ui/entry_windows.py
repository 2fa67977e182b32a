"""One window per entry and purpose, whichever page or menu opens it.

The timeline, the calendar, the agreements page and "You were writing…" all open editors; two
editors of one entry would let the second Save undo the first, and a second reading view of it
is only clutter. Asking again raises the open window. The registry belongs to the bridge (one
per main window), so every page finds the same one; a lock closes every dialog, and with it
every key here.
"""

import contextlib
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog

from ui.bridge import VaultBridge

__all__ = ["EntryWindows", "windows_of"]

D = TypeVar("D", bound=QDialog)


class EntryWindows(QObject):
    """The open dialogs of one main window, keyed by (purpose, entry id)."""

    def __init__(self, bridge: VaultBridge) -> None:
        super().__init__(bridge)
        self._open: dict[tuple[str, str], QDialog] = {}
        bridge.locked.connect(self._open.clear)

    def single(self, key: tuple[str, str], make: Callable[[], D]) -> D:
        """The open dialog for ``key`` raised, or a new one from ``make()`` opened."""
        found = self._open.get(key)
        if found is not None:
            with contextlib.suppress(RuntimeError):  # deleted when it closed
                if found.isVisible():
                    found.raise_()
                    found.activateWindow()
                    return found  # type: ignore[return-value]
        dialog = make()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._forget(key, dialog))
        self._open[key] = dialog
        dialog.open()
        return dialog

    def close_entry(self, entry_id: str) -> None:
        """Close every open dialog of an entry (it was deleted: nothing of it is left to show)."""
        for key, dialog in list(self._open.items()):
            if key[1] == entry_id:
                with contextlib.suppress(RuntimeError):  # deleted when it closed
                    dialog.reject()

    def _forget(self, key: tuple[str, str], dialog: QDialog) -> None:
        if self._open.get(key) is dialog:
            del self._open[key]


def windows_of(bridge: VaultBridge) -> EntryWindows:
    """The registry of ``bridge``'s window (made on first use)."""
    found = bridge.findChild(EntryWindows)
    return found if found is not None else EntryWindows(bridge)
