"""The look while the app runs: icons follow a theme switch; every control has a name to read."""

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollBar,
    QStyle,
    QStyleOptionViewItem,
    QTextEdit,
    QWidget,
)

from tests.ui.crossing_helpers import sharing_of
from tests.ui.shell_helpers import create_vault, make_window, unlock
from ui import theme
from ui.dialogs.change_passphrase import ChangePassphraseDialog
from ui.dialogs.entry_dialogs import DIALOGS, dialog_for
from ui.dialogs.plan_dialogs import PlanDialog
from ui.dialogs.preferences import PreferencesDialog
from ui.pages.partner_page import PartnerPage
from ui.pages.timeline_page import TimelinePage


def _image(icon: QIcon) -> QImage:
    return icon.pixmap(20, 20).toImage()


def test_switching_the_theme_retints_sidebar_and_new_icons(tmp_path: Path, qtbot, qapp) -> None:
    theme.Theme(qapp, forced="light")
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    unlock(window, qtbot)
    timeline = window.page(TimelinePage)
    partner = window.page(PartnerPage)
    assert isinstance(timeline, TimelinePage) and isinstance(partner, PartnerPage)

    def icons() -> list[QImage]:
        return [
            _image(window.new_button.icon()),
            _image(window.sidebar.item(0).icon()),
            _image(window._lock_button.icon()),
            _image(partner.sync_button.icon()),
        ]

    light = icons()
    theme.Theme.instance.set_forced("dark")  # type: ignore[union-attr]
    dark = icons()
    assert all(a != b for a, b in zip(light, dark, strict=True))
    theme.Theme.instance.set_forced("light")  # type: ignore[union-attr]
    assert icons() == light
    kind_icon = timeline.kind_filter.itemIcon(1)
    assert not kind_icon.isNull()


_CONTROLS = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)


def _unnamed(root: QWidget) -> list[str]:
    """Controls a screen reader could only call 'button' or 'edit'."""
    out = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, _CONTROLS) or w.objectName().startswith("qt_"):
            continue
        parent = w.parent()
        if isinstance(w, QScrollBar | QHeaderView) or parent is None:
            continue  # read through their view
        if isinstance(parent, QLineEdit | QComboBox | QAbstractSpinBox):
            continue  # a line edit's action button (its QAction has the text), a combo's editor
        if isinstance(parent.parent(), QComboBox):
            continue  # a combo's popup list
        text = w.text() if isinstance(w, QAbstractButton | QLineEdit) else ""
        name = w.accessibleName() or (text if isinstance(w, QAbstractButton) else "")
        if not name.strip():
            out.append(f"{type(w).__name__} in {type(w.parent()).__name__}")
    return out


def test_every_control_has_an_accessible_name(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    assert _unnamed(window) == []  # the unlock screen
    unlock(window, qtbot)
    for row in range(len(window.page_widgets)):
        window.show_page(row)
        qtbot.wait(5)
    assert _unnamed(window) == []


def test_every_dialog_control_has_an_accessible_name(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    vault = unlock(window, qtbot)
    entry = vault.entries.add("checkin", {"mood": 5, "safety": 6, "note": "a quiet week"})
    vault.entries.edit(entry.id, {"note": "a quieter week"})
    timeline = window.page(TimelinePage)
    assert isinstance(timeline, TimelinePage)
    dialogs: list[QWidget] = [dialog_for(kind, window.bridge, None, window) for kind in DIALOGS]
    dialogs.append(PlanDialog(window.bridge, [entry], parent=window))
    dialogs += [timeline.show_sharing(entry.id), timeline.show_history(entry.id)]
    window.show_preferences()
    window.change_passphrase()
    dialogs += [
        window.findChild(PreferencesDialog),  # type: ignore[list-item]
        window.findChild(ChangePassphraseDialog),  # type: ignore[list-item]
    ]
    window.bridge.wait_idle()
    qtbot.wait(20)
    for dialog in dialogs:
        assert dialog is not None
        assert dialog.accessibleName() or dialog.windowTitle()
        assert _unnamed(dialog) == [], type(dialog).__name__


def _cut_rows(shown: QListWidget, qtbot) -> list[str]:  # type: ignore[no-untyped-def]
    """Why ``shown``'s one long row would not show whole: it runs past the list's edge, or it is
    shorter than its text laid out at the width it is painted in (its last words become "…")."""
    shown.setParent(None)  # the page's own list, its delegate and spacing, shown on its own
    qtbot.addWidget(shown)
    shown.clear()
    reply = "Sam: " + "I am here, and I am staying, whatever comes up tonight. " * 25
    shown.addItem(QListWidgetItem(f"Phone buzzed at dinner · strength 6\n29 Nov · shared\n{reply}"))
    shown.resize(360, 900)
    shown.show()
    qtbot.waitExposed(shown)
    option = QStyleOptionViewItem()
    option.initFrom(shown)
    option.rect = shown.visualItemRect(shown.item(0))
    option.text, option.features = (
        shown.item(0).text(),
        QStyleOptionViewItem.ViewItemFeature.WrapText,
    )
    style = shown.style()
    painted = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, shown)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, shown) + 1
    needed = shown.fontMetrics().boundingRect(
        QRect(0, 0, painted.width() - 2 * margin, 100_000), Qt.TextFlag.TextWordWrap, option.text
    )
    cut = []
    if option.rect.width() > shown.viewport().width():
        cut.append(f"{shown.accessibleName()}: the row runs past the list's edge")
    if painted.height() < needed.height():
        cut.append(f"{shown.accessibleName()}: the row's last lines would be cut with …")
    return cut


def test_every_wrapping_list_shows_a_long_row_whole_inside_the_item_padding(
    tmp_path: Path, qtbot, qapp
) -> None:
    """Every list that wraps its rows (a partner's reassurance on Triggers, a long question, an
    agreement's wording, an agenda line, homework, a plan, a comment) shows a long row in full:
    Qt measured a wrapped row without the theme's item padding, so the row came out wider than
    the list and a line short, ending in "…"."""
    theme.Theme.instance or theme.Theme(qapp, forced="light")
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    unlock(window, qtbot)
    actions = window.bridge.actions
    assert actions is not None
    window.bridge.wait_idle()
    entry = actions.add("milestone", {"title": "Ninety days"}, "private")
    window.bridge.changed.emit()
    qtbot.waitUntil(lambda: window.page(TimelinePage).model.row_of(entry.id) >= 0, timeout=10_000)
    comments = sharing_of(qtbot, window, entry.id).comments
    found = [w for w in window.findChildren(QListWidget) if w.wordWrap()] + [comments]
    lists = list({id(w): w for w in found}.values())  # the open dialog is the window's child
    names = {w.accessibleName() for w in lists}
    assert {"Your triggers", "Questions", "Agreements", "Events on the chosen day", "Homework",
            "Plans", "Comments"} <= names, names  # fmt: skip
    cut = [why for shown in lists for why in _cut_rows(shown, qtbot)]
    assert cut == [], "\n".join(cut)
