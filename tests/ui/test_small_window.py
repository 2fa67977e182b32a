"""Usable at 800 by 600: no page of the main window is cut off or scrolls sideways there."""

from pathlib import Path

from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QWidget

from tests.ui.layout_checks import page_problems
from tests.ui.shell_helpers import create_vault, make_window, unlock
from ui import theme
from ui.dialogs.preferences import PreferencesDialog


def test_every_page_fits_an_800_by_600_window(tmp_path: Path, qtbot, qapp) -> None:
    if theme.Theme.instance is None:  # the app's own padding and fonts, as people see it
        theme.Theme(qapp, forced="light")  # (re-theming every window alive costs seconds)
    window = make_window(tmp_path, qtbot)
    create_vault(window.folder)
    window.show_gate()
    unlock(window, qtbot)
    window.resize(800, 600)
    assert window.minimumWidth() <= 800
    assert page_problems(window, window.page_widgets, window.show_page) == []
    _preferences_not_squashed(window, qtbot)


def _preferences_not_squashed(window, qtbot) -> None:
    """A dialog gets at most two thirds of a small screen's height: Preferences scrolls there
    rather than squashing its fields to slivers."""
    window.show_preferences()
    prefs = window.findChild(PreferencesDialog)
    assert prefs is not None
    qtbot.waitExposed(prefs)
    assert prefs.height() <= prefs.screen().availableGeometry().height()
    for field in prefs.findChildren(QWidget):
        if isinstance(field, QAbstractSpinBox | QComboBox | QLineEdit) and field.isVisible():
            assert field.height() >= field.minimumSizeHint().height(), field.accessibleName()
    prefs.reject()
