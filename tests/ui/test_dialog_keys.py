"""Every dialog answers Enter and Escape as its words say (issue 14 item 2).

Escape closes a dialog and changes nothing. Enter does what the default button says, and where
that would be final (delete, close the shared space, share an import) the default is the way
that keeps things as they are. Each dialog is opened the way the app opens it, on a real vault.
"""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from tests.ui.crossing_helpers import WAIT, later, open_dialog, page, row_menu
from tests.ui.shell_helpers import create_vault, make_window, unlock
from trustvault.results import CalendarPreview
from ui.dialogs import help_dialogs
from ui.dialogs.calendar_file_dialogs import ExportOptions, ImportChoice
from ui.dialogs.preferences import PreferencesDialog
from ui.main_window import MainWindow
from ui.pages.timeline_page import TimelinePage


def _press(qtbot, widget: QWidget, key: Qt.Key) -> None:
    qtbot.keyClick(widget, key)
    qtbot.waitUntil(lambda: not widget.isVisible(), timeout=WAIT)


def _press_in_next_box(qtbot, key: Qt.Key, seen: list[str]) -> None:
    """When the next message box opens, note its words and press ``key`` in it."""

    def step() -> bool:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return False
        seen.append(box.text())
        qtbot.keyClick(box, key)
        return True

    later(qtbot, step)


def _window(tmp_path: Path, qtbot) -> MainWindow:
    window = make_window(tmp_path, qtbot)
    create_vault(window.folder)
    window.show_gate()
    unlock(window, qtbot)
    return window


def test_reading_and_settings_dialogs_close_by_escape_and_enter(tmp_path: Path, qtbot) -> None:
    window = _window(tmp_path, qtbot)
    actions = window.bridge.actions
    assert actions is not None
    window.bridge.wait_idle()  # nothing else may be writing on the worker's connection
    entry = actions.add("milestone", {"title": "Ninety days"}, "private")
    window.bridge.changed.emit()
    timeline = page(window, TimelinePage)
    qtbot.waitUntil(lambda: timeline.model.row_of(entry.id) >= 0, timeout=WAIT)

    openers = [
        lambda: timeline.show_history(entry.id),
        lambda: timeline.show_sharing(entry.id),
        lambda: help_dialogs.getting_started(window),
        lambda: help_dialogs.promise(window),
        lambda: help_dialogs.about(window),
    ]
    for opener in openers:
        for key in (Qt.Key.Key_Escape, Qt.Key.Key_Return):
            dialog = opener()
            if not dialog.isVisible():
                dialog.open()
            qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
            _press(qtbot, dialog, key)
    window.show_preferences()
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Return):
        preferences = open_dialog(window, PreferencesDialog)
        _press(qtbot, preferences, key)
        window.show_preferences()
    open_dialog(window, PreferencesDialog).reject()
    window.bridge.wait_idle()
    shown = actions.queries.entry(entry.id)
    assert (shown.title, shown.visibility, shown.revision) == ("Ninety days", "private", 1)


def test_enter_never_takes_a_final_step_escape_never_changes_anything(
    tmp_path: Path, qtbot
) -> None:
    window = _window(tmp_path, qtbot)
    actions = window.bridge.actions
    assert actions is not None
    window.bridge.wait_idle()  # nothing else may be writing on the worker's connection
    entry = actions.add("milestone", {"title": "Ninety days"}, "private")
    window.bridge.changed.emit()
    qtbot.waitUntil(lambda: page(window, TimelinePage).model.row_of(entry.id) >= 0, timeout=WAIT)

    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape):  # the delete box defaults to Cancel
        seen: list[str] = []
        _press_in_next_box(qtbot, key, seen)
        row_menu(qtbot, window, entry.id, "Delete…")
        assert seen and "for good" in seen[0]
        window.bridge.wait_idle()
        assert actions.queries.entry(entry.id).title == "Ninety days"

    preview = CalendarPreview(new=3, known=0, notes=[])
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape):  # an import is never shared by Enter
        choice = ImportChoice(preview, "plans.ics", "Sam", window)
        choice.open()
        qtbot.waitUntil(choice.isVisible, timeout=WAIT)
        _press(qtbot, choice, key)
        assert choice.chose_share is None and choice.result() == QDialog.DialogCode.Rejected

    options = ExportOptions(window)  # Enter goes on to the file chooser, neutral titles kept
    options.open()
    qtbot.waitUntil(options.isVisible, timeout=WAIT)
    _press(qtbot, options, Qt.Key.Key_Return)
    assert options.result() == QDialog.DialogCode.Accepted and options.neutral.isChecked()
    options = ExportOptions(window)
    options.open()
    qtbot.waitUntil(options.isVisible, timeout=WAIT)
    _press(qtbot, options, Qt.Key.Key_Escape)
    assert options.result() == QDialog.DialogCode.Rejected
