"""Every control is reachable by Tab: on each page of the main window and in Preferences, Tab
from the first widget visits every enabled, visible control a person can operate (the month
grid used to keep Tab for itself, moving from day to day, so the day's list was never reached)."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTextEdit,
    QToolButton,
    QWidget,
)

from tests.ui.shell_helpers import create_vault, make_window, unlock
from ui.dialogs.change_passphrase import ChangePassphraseDialog
from ui.dialogs.preferences import PreferencesDialog
from ui.widgets.basics import REVEAL_SHORTCUT, passphrase_field

CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox,
            QAbstractItemView)  # fmt: skip


def _operable(root: QWidget) -> set[QWidget]:
    found = set()
    for w in root.findChildren(QWidget):
        if isinstance(w, CONTROLS) and w.isVisibleTo(root) and w.isEnabled() and w.isVisible():
            if isinstance(w, QLineEdit) and isinstance(w.parent(), QAbstractSpinBox | QComboBox):
                continue  # the editor inside a spin box or combo: the box itself is reached
            if isinstance(w, QHeaderView):
                continue  # a table's header: the table is reached
            if isinstance(w, QToolButton) and isinstance(w.parent(), QLineEdit):
                continue  # a field's own action ("Show passphrase"): its key, below
            group = w.group() if isinstance(w, QRadioButton) else None
            if group is not None and not w.isChecked():
                continue  # Tab reaches a radio group's chosen button; the arrows move in it
            found.add(w)
    return found


def _tab_walk(qtbot, root: QWidget) -> set[QWidget]:
    """Press Tab from the first control until the focus comes back round."""
    seen: list[QWidget] = []
    for _ in range(300):
        current = QApplication.focusWidget()
        if current is None:
            break
        if seen and current is seen[0]:
            break
        seen.append(current)
        qtbot.keyClick(current, Qt.Key.Key_Tab)
    return set(seen)


def _unreached(qtbot, root: QWidget, scope: QWidget) -> list[str]:
    reached = _tab_walk(qtbot, root)
    return sorted(
        f"{type(w).__name__} {w.accessibleName() or getattr(w, 'text', lambda: '')()!r}"
        for w in _operable(scope) - reached
    )


def test_tab_reaches_every_control_on_every_page_and_dialog(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    unlock(window, qtbot)
    window.resize(1000, 700)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    problems: dict[str, list[str]] = {}
    for row, page in enumerate(window.page_widgets):
        window.show_page(row)
        window.sidebar.setFocus()
        QApplication.processEvents()
        missing = _unreached(qtbot, window, page)
        if missing:
            problems[page.title] = missing
    for cls, opener in ((PreferencesDialog, window.show_preferences),
                        (ChangePassphraseDialog, window.change_passphrase)):  # fmt: skip
        opener()
        dialog = window.findChild(cls)
        assert dialog is not None
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        dialog.focusNextChild()
        QApplication.processEvents()
        missing = _unreached(qtbot, dialog, dialog)
        if missing:
            problems[cls.__name__] = missing
        dialog.reject()
    assert problems == {}


def test_the_eye_of_a_passphrase_field_answers_the_keyboard(qtbot) -> None:
    """Tab does not visit the eye inside a passphrase field; Ctrl+H in the field does what the
    eye does, both ways, and says so in its tooltip."""
    holder = QWidget()
    qtbot.addWidget(holder)
    field = passphrase_field("Passphrase", "Passphrase")
    field.setParent(holder)
    holder.show()
    qtbot.waitExposed(holder)
    holder.activateWindow()
    field.setFocus()
    qtbot.keyClicks(field, "correct horse")
    (eye,) = field.actions()
    assert REVEAL_SHORTCUT in eye.toolTip()
    qtbot.keyClick(field, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert field.echoMode() == QLineEdit.EchoMode.Normal and eye.text() == "Hide passphrase"
    qtbot.keyClick(field, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert field.echoMode() == QLineEdit.EchoMode.Password and field.text() == "correct horse"
