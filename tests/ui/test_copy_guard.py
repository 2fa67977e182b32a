"""Copying text out of the app goes through the clearing clipboard path, Ctrl+C included."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from tests.ui.shell_helpers import create_vault, make_window, unlock
from ui.dialogs.entry_dialogs import DisclosureDialog
from ui.main_window import MainWindow

HINT = "x-kde-passwordManagerHint"
WORDS = "The night I lied about Lisbon"


def _editor_field(window: MainWindow, qtbot: object) -> QLineEdit:
    window.new_entry("disclosure")
    dialog = window.findChild(DisclosureDialog)
    assert isinstance(dialog, DisclosureDialog)
    field: QLineEdit = dialog.title
    field.setFocus()
    qtbot.keyClicks(field, WORDS)  # type: ignore[attr-defined]
    field.selectAll()
    return field


def test_ctrl_c_in_an_editor_is_concealed_and_wiped_on_lock(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    unlock(window, qtbot)
    QGuiApplication.clipboard().clear()
    field = _editor_field(window, qtbot)
    qtbot.keyClick(field, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == WORDS
    assert clipboard.mimeData().hasFormat(HINT), "Qt's plain copy would reach clipboard history"
    window.bridge.lock()
    assert clipboard.text() == ""


def test_a_copy_made_another_way_is_concealed_too(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    unlock(window, qtbot)
    field = _editor_field(window, qtbot)
    field.copy()  # what the field's context menu "Copy" does
    clipboard = QGuiApplication.clipboard()
    qtbot.waitUntil(lambda: clipboard.mimeData().hasFormat(HINT))
    assert clipboard.text() == WORDS
    window.bridge.lock()
    assert clipboard.text() == ""
