"""The main window's menu actions: each is also the window's own, so its shortcut works whether or
not the menu bar is visible (it is hidden while locked)."""

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QWidget

from ui.dialogs import help_dialogs

__all__ = ["add_action", "add_help_menu"]

Keys = QKeySequence | QKeySequence.StandardKey | str | None


def add_action(
    window: QMainWindow, text: str, keys: Keys, slot: Callable[[], object], menu: QMenu
) -> QAction:
    act = QAction(text, window)
    if keys is not None:
        act.setShortcut(QKeySequence(keys))
    act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    act.triggered.connect(slot)
    window.addAction(act)
    menu.addAction(act)
    return act


def add_help_menu(window: QMainWindow) -> None:
    """Help: a short guide (F1), the promise and when not to use the app, About (the version)."""
    menu = window.menuBar().addMenu("&Help")
    for text, keys, make in (
        ("Getting started", QKeySequence.StandardKey.HelpContents, help_dialogs.getting_started),
        ("Our promise, and when not to use TrustVault", None, help_dialogs.promise),
        ("About TrustVault", None, help_dialogs.about),
    ):
        add_action(window, text, keys, partial(_show, window, make), menu)


def _show(window: QMainWindow, make: Callable[[QWidget], QDialog]) -> None:
    dialog = make(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
