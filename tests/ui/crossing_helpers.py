"""Driving two app windows the way a person does: sidebar, typed fields, buttons, menus, boxes.

The crossing tests (``test_app_crossings*.py``) use these to act in one partner's window and then
read what the *other* window shows. Nothing here calls an action or a sync directly: every write
starts from a widget a person could click or type into, and every cross-window wait is bounded by
:data:`WAIT`.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from tests.ui.shell_helpers import two_windows
from trustvault.results import Entry
from ui.dialogs.preferences import PreferencesDialog
from ui.dialogs.sharing import SharingDialog
from ui.main_window import MainWindow
from ui.pages.partner_page import PartnerPage
from ui.pages.timeline_page import TimelinePage
from ui.widgets.entry_form import EntryDialog

WAIT = 15_000  # ms: the longest a partner's change may take to show in the other window

P = TypeVar("P", bound=QWidget)
D = TypeVar("D", bound=QDialog)


# -- finding things ------------------------------------------------------------------------


def page(window: MainWindow, cls: type[P]) -> P:
    found = window.page(cls)
    assert isinstance(found, cls), f"{cls.__name__} is not in the sidebar"
    return found


def go_to(qtbot: Any, window: MainWindow, cls: type[P]) -> P:
    """Click the page's name in the sidebar; return the page once it is on screen."""
    target = page(window, cls)
    row = window.page_widgets.index(target)
    item = window.sidebar.item(row)
    assert item is not None and item.text() == cls.title  # type: ignore[attr-defined]
    rect = window.sidebar.visualItemRect(item)
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.pages.currentWidget() is target and target.isVisible())
    return target


def open_dialog(window: MainWindow, cls: type[D]) -> D:
    """The one visible dialog of ``cls`` the window has opened."""
    shown = [d for d in window.findChildren(cls) if d.isVisible()]
    assert len(shown) == 1, f"expected one open {cls.__name__}, found {len(shown)}"
    return shown[0]


def timeline_rows(window: MainWindow) -> list[Entry]:
    """The entries the window's timeline lists, in order (what its rows show)."""
    model = page(window, TimelinePage).model
    return [e for e in (model.entry_at(i) for i in range(model.rowCount())) if e is not None]


def row_words(window: MainWindow, entry_id: str) -> str:
    """The row as a screen reader says it: kind, author, title, summary, sharing state."""
    timeline = page(window, TimelinePage)
    row = timeline.model.row_of(entry_id)
    if row < 0:
        return ""
    text = timeline.model.index(row).data(Qt.ItemDataRole.AccessibleTextRole)
    return str(text)


def row_titled(window: MainWindow, title: str) -> Entry | None:
    return next((e for e in timeline_rows(window) if e.title == title), None)


def whose(window: MainWindow) -> str:
    """ "Alex's" (or "the locked window's"), for failure messages."""
    q = window.bridge.queries
    return f"{q.name}'s" if q is not None else "the locked window's"


def shows(qtbot: Any, where: str, read: Callable[[], str], words: str) -> None:
    """Wait until ``read()`` (text on screen) contains ``words``; a timeout says what it showed."""

    def check() -> None:
        now = read()
        assert words in now, f"{where} shows {now!r}, still not {words!r}"

    qtbot.waitUntil(check, timeout=WAIT)


def wait_for_row(qtbot: Any, window: MainWindow, title: str) -> Entry:
    """Wait until the window's timeline has a row titled ``title``; return its entry."""

    def check() -> None:
        titles = [e.title for e in timeline_rows(window)]
        assert title in titles, f"{whose(window)} timeline lists {titles}, not {title!r}"

    qtbot.waitUntil(check, timeout=WAIT)
    found = row_titled(window, title)
    assert found is not None
    return found


# -- doing things --------------------------------------------------------------------------


def click(qtbot: Any, button: QAbstractButton) -> None:
    """A left click on a button a person can see and press (a hidden one would prove nothing)."""
    assert button.isVisible(), f"the button {button.text()!r} is not on screen"
    assert button.isEnabled(), f"the button {button.text()!r} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_into(qtbot: Any, field: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Replace what the field holds by typing ``text`` into it, key by key."""
    field.setFocus()
    field.selectAll()
    if field.toPlainText() if isinstance(field, QPlainTextEdit) else field.text():
        qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def choose(combo: Any, value: str) -> None:
    """Pick the combo box item whose data is ``value`` (as a click in its list does)."""
    index = combo.findData(value)
    assert index >= 0, f"no item {value!r} to choose"
    combo.setCurrentIndex(index)


def choose_text(combo: Any, text: str) -> None:
    """Pick the combo box item that reads ``text``."""
    index = combo.findText(text)
    assert index >= 0, f"no item {text!r} among {texts_of(combo)}"
    combo.setCurrentIndex(index)


def texts_of(combo: Any) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def new_entry(window: MainWindow, kind_label: str) -> EntryDialog:
    """New ▸ <kind>… from the header's New menu; return the dialog it opens."""
    menu = window.new_button.menu()
    action = next(a for a in menu.actions() if a.text() == f"{kind_label}…")
    action.trigger()
    return open_dialog(window, EntryDialog)


def save(qtbot: Any, dialog: EntryDialog) -> None:
    """Click Save and wait for the dialog to close (the write is done; it deletes itself)."""
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))


def later(qtbot: Any, step: Callable[[], bool]) -> None:
    """Run ``step`` from the event loop until it returns True (for boxes and menus that block)."""

    def attempt() -> None:
        if not step():
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def answer_next_box(qtbot: Any, button_text: str) -> None:
    """When the next message box opens, click its button named ``button_text``."""

    def step() -> bool:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return False
        target = next(b for b in box.buttons() if b.text().replace("&", "") == button_text)
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
        return True

    later(qtbot, step)


def row_menu(qtbot: Any, window: MainWindow, entry_id: str, item_text: str) -> None:
    """Right-click the entry's timeline row and choose ``item_text`` from its menu."""
    timeline = page(window, TimelinePage)
    row = timeline.model.row_of(entry_id)
    assert row >= 0, "the entry has no row in this timeline"
    viewport = timeline.view.viewport()
    pos = timeline.view.visualRect(timeline.model.index(row)).center()
    chosen: list[str] = []

    def step() -> bool:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            return False
        action = next(a for a in menu.actions() if a.text() == item_text)
        chosen.append(action.text())
        menu.setActiveAction(action)
        qtbot.keyClick(menu, Qt.Key.Key_Return)
        return True

    later(qtbot, step)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)  # what a right-click delivers; the menu runs here
    assert chosen == [item_text]


def double_click_row(qtbot: Any, window: MainWindow, entry_id: str) -> None:
    timeline = page(window, TimelinePage)
    row = timeline.model.row_of(entry_id)
    assert row >= 0, "the entry has no row in this timeline"
    pos: QPoint = timeline.view.visualRect(timeline.model.index(row)).center()
    # A person's double-click starts with a press; QTest's mouseDClick sends only the second
    # half, which the list view ignores unless a press chose the row first.
    qtbot.mouseClick(timeline.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(timeline.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def sharing_of(qtbot: Any, window: MainWindow, entry_id: str) -> SharingDialog:
    """Open the entry's "Sharing and comments…" from its row's menu."""
    row_menu(qtbot, window, entry_id, "Sharing and comments…")
    return open_dialog(window, SharingDialog)


def sync_rounds(qtbot: Any, window: MainWindow, count: int) -> None:
    """Wait until the window's automatic sync has finished ``count`` more rounds."""
    done: list[object] = []
    window.bridge.sync_status.connect(done.append)
    try:
        qtbot.waitUntil(lambda: len(done) >= count, timeout=WAIT)
    finally:
        window.bridge.sync_status.disconnect(done.append)


def settled(qtbot: Any, writer: MainWindow, reader: MainWindow) -> None:
    """Wait until anything ``writer`` wrote so far would have reached ``reader``: a round of the
    writer's after now, then two of the reader's (the second begins after the writer's ended)."""
    sync_rounds(qtbot, writer, 1)
    sync_rounds(qtbot, reader, 2)


def send_at_once(qtbot: Any, window: MainWindow) -> None:
    """Vault ▸ Preferences…, "Wait before sending a new share" down to 0, Close: for tests of
    vaults made in the wizard that are not about the hold (a new vault waits five minutes)."""
    vault_menu = window.menuBar().actions()[0].menu()
    next(a for a in vault_menu.actions() if a.text() == "Preferences…").trigger()
    preferences = open_dialog(window, PreferencesDialog)
    spin = preferences.send_hold
    while spin.value() > 0:
        qtbot.keyClick(spin, Qt.Key.Key_Down)
    window.bridge.wait_idle()
    assert window.bridge.queries is not None and not window.bridge.queries.send_hold()
    preferences.reject()


# -- pairing -------------------------------------------------------------------------------


def pair(qtbot: Any, alex: MainWindow, sam: MainWindow, folder: Path) -> None:
    """Alex invites through ``folder`` on the Partner page; Sam pastes the code and joins.

    Returns once both Partner pages show the connected view with the same safety number.
    """
    inviter = go_to(qtbot, alex, PartnerPage)
    joiner = go_to(qtbot, sam, PartnerPage)
    assert inviter.stack.currentIndex() == 0 and joiner.stack.currentIndex() == 0
    type_into(qtbot, inviter.pairing.folder, str(folder))
    inviter.pairing.long_code.setChecked(True)  # the long code's doors; words: test_app_short_code
    click(qtbot, inviter.pairing.invite_button)
    qtbot.waitUntil(lambda: inviter.pairing.code_row.isVisible(), timeout=WAIT)
    code = inviter.pairing.code.toPlainText()
    assert code.lower().startswith("tv1-")
    type_into(qtbot, joiner.pairing.folder, str(folder))
    type_into(qtbot, joiner.pairing.join_code, code)
    click(qtbot, joiner.pairing.join_button)

    def connected() -> None:
        for window, shown in ((alex, inviter), (sam, joiner)):
            assert shown.stack.currentIndex() == 2, f"{whose(window)} Partner page is not connected"

    qtbot.waitUntil(connected, timeout=WAIT)
    assert inviter.partner_heading.text() == f"You and {sam.bridge.queries.name} are connected"  # type: ignore[union-attr]
    assert joiner.partner_heading.text() == f"You and {alex.bridge.queries.name} are connected"  # type: ignore[union-attr]
    assert inviter.safety_number.text() == joiner.safety_number.text() != ""


def paired_couple(tmp_path: Path, qtbot: Any) -> tuple[MainWindow, MainWindow]:
    """Alex's and Sam's windows on fresh vaults, paired through a real folder by their pages."""
    alex, sam = two_windows(tmp_path, qtbot)
    pair(qtbot, alex, sam, tmp_path / "sync")
    for window in (alex, sam):
        go_to(qtbot, window, TimelinePage)
    return alex, sam


def share_new(qtbot: Any, window: MainWindow, kind_label: str, title: str) -> None:
    """New ▸ <kind>…, type a title, keep "Shared with my partner", Save."""
    dialog = new_entry(window, kind_label)
    type_into(qtbot, dialog.title, title)  # type: ignore[attr-defined]
    assert dialog.visibility is not None
    choose(dialog.visibility, "shared")
    save(qtbot, dialog)
