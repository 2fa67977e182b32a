"""Staying unnoticed: a neutral window name, no vault folder on the unlock screen, and a
"hide now" (and lock) shortcut that works with a dialog open."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.crossing_helpers import WAIT, click, new_entry, open_dialog
from tests.ui.shell_helpers import create_vault, make_window, texts_in, unlock
from ui.dialogs.preferences import PreferencesDialog
from ui.main_window import MainWindow
from ui.unlock import UnlockScreen

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _unlocked(tmp_path: Path, qtbot) -> MainWindow:
    window = make_window(tmp_path, qtbot)
    create_vault(window.folder)
    window.show_gate()
    unlock(window, qtbot)
    qtbot.waitUntil(lambda: window.bridge.is_unlocked, timeout=WAIT)
    return window


def test_discreet_mode_names_nothing_on_screen(tmp_path: Path, qtbot) -> None:
    window = _unlocked(tmp_path, qtbot)
    assert window.windowTitle() == "TrustVault — Alex"
    window.show_preferences()
    prefs = open_dialog(window, PreferencesDialog)
    click(qtbot, prefs.discreet)
    assert window.windowTitle() == "Notes"
    assert QApplication.applicationDisplayName() == "Notes"  # what Qt appends to titles
    prefs.reject()
    window.bridge.lock()
    qtbot.waitUntil(lambda: isinstance(window.gate, UnlockScreen), timeout=WAIT)
    shown = " ".join(texts_in(window.gate))
    assert str(window.folder) not in shown and "TrustVault" not in window.windowTitle()
    assert window.settings.discreet  # kept for the next start, before any unlock

    unlock(window, qtbot)
    window.show_preferences()
    click(qtbot, open_dialog(window, PreferencesDialog).discreet)
    assert window.windowTitle() == "TrustVault — Alex"
    assert QApplication.applicationDisplayName() == "TrustVault"


def test_hide_now_locks_and_neutralises_even_with_an_editor_open(tmp_path: Path, qtbot) -> None:
    window = _unlocked(tmp_path, qtbot)
    editor = new_entry(window, "Disclosure")
    qtbot.keyClick(editor.focusWidget() or editor, Qt.Key.Key_H, CTRL_SHIFT)
    qtbot.waitUntil(lambda: not window.bridge.is_unlocked, timeout=WAIT)
    assert window.windowTitle() == "Notes"
    assert window.isMinimized() or window.windowState() & Qt.WindowState.WindowMinimized
    assert not editor.isVisible()
    unlock(window, qtbot)
    assert window.windowTitle() == "TrustVault — Alex"  # discretion itself is off


def test_ctrl_l_locks_with_a_dialog_open(tmp_path: Path, qtbot) -> None:
    window = _unlocked(tmp_path, qtbot)
    editor = new_entry(window, "Milestone")
    qtbot.keyClick(
        editor.focusWidget() or editor, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: not window.bridge.is_unlocked, timeout=WAIT)
    assert isinstance(window.gate, UnlockScreen)
