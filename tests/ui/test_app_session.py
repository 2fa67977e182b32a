"""Homework and the session view in two real windows syncing through a real folder: the
crossings of :meth:`Actions.add_homework` and :meth:`Actions.mark_homework_done` for the face
``app`` (what the partner's window shows is the test), and the session view: what it shows, that
it is read-only and copies nothing, and that the idle lock and Hide now close it."""

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QTextEdit

from tests.ui.crossing_helpers import WAIT, choose, click, go_to, open_dialog, paired_couple, shows
from tests.ui.shell_helpers import unlock
from ui.dialogs.homework_dialog import HomeworkDialog
from ui.main_window import MainWindow
from ui.pages.session_page import SessionPage
from ui.session_view import SessionView


def _rows(page: SessionPage) -> str:
    return "\n".join(page.list.item(i).text() for i in range(page.list.count()))


def _choose_row(page: SessionPage, words: str) -> None:
    row = next(i for i in range(page.list.count()) if words in page.list.item(i).text())
    page.list.setCurrentRow(row)


def _open_view(qtbot: Any, window: MainWindow) -> SessionView:
    page = go_to(qtbot, window, SessionPage)
    click(qtbot, page.view_button)
    qtbot.waitUntil(lambda: page.view is not None and page.view.isVisible(), timeout=WAIT)
    assert page.view is not None
    return page.view


@pytest.mark.crossing("add_homework", "mark_homework_done", face="app")
def test_homework_reaches_the_partner_and_the_session_view_shows_it(
    tmp_path: Path, qtbot: Any
) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    start = (datetime.now().astimezone() + timedelta(days=2)).replace(second=0, microsecond=0)
    therapy = {
        "title": "Couples therapy",
        "event_kind": "therapy",
        "rrule": "FREQ=WEEKLY",
        "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(),
    }
    alex.bridge.write(lambda a: a.add("event", therapy))
    alex.bridge.write(
        lambda a: a.add("disclosure", {"title": "Told you", "occurred_on": "2026-10-01"})
    )
    page = go_to(qtbot, sam, SessionPage)
    shows(qtbot, "Sam's Session page", page.next_session.text, "Next: Couples therapy")

    click(qtbot, page.add_button)
    dialog = open_dialog(sam, HomeworkDialog)
    qtbot.keyClicks(dialog.text, "Each write a letter")
    choose(dialog.for_whom, "both")
    click(qtbot, dialog.add_button)
    theirs = go_to(qtbot, alex, SessionPage)
    shows(qtbot, "Alex's Session page", lambda: _rows(theirs), "Each write a letter")
    assert "Sam added" in _rows(theirs) and "you: to do" in _rows(theirs)

    _choose_row(theirs, "Each write a letter")
    assert theirs.done_button.text() == "Mark my part done"
    click(qtbot, theirs.done_button)
    shows(qtbot, "Sam's Session page", lambda: _rows(page), "Alex: done")
    _choose_row(page, "Each write a letter")
    click(qtbot, page.done_button)
    shows(qtbot, "Alex's Session page", lambda: _rows(theirs), "Sam: done")

    view = _open_view(qtbot, alex)
    assert view.isFullScreen() and view.windowTitle() == "Session"
    assert view.sections["Homework for this session"] == [
        "Each write a letter  (Sam: done, you: done)"]  # fmt: skip
    assert view.sections["Disclosures so far"] == ["You: Told you"]
    assert view.sections["Agreements due for review"] == []
    assert view.sections[""][0].startswith("Couples therapy, ")
    # Read-only: nothing to type in, nothing to select, no menu; one button, to leave.
    assert not view.findChildren(QLineEdit) + view.findChildren(QTextEdit) + view.findChildren(
        QPlainTextEdit)  # fmt: skip
    assert [b.text() for b in view.findChildren(QAbstractButton)] == [
        "Leave the session view (Esc)"]  # fmt: skip
    words = next(lb for lb in view.labels() if "Each write a letter" in lb.text())
    assert words.textInteractionFlags() == Qt.TextInteractionFlag.NoTextInteraction
    assert words.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("before")
    for target in (words, view):
        qtbot.keyClick(target, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(target, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(target, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == "before"
    assert words.selectedText() == ""
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=WAIT)

    # Hide now locks and takes the view away; so does the idle lock.
    _open_view(qtbot, alex)
    alex.hide_action.trigger()
    qtbot.waitUntil(lambda: not alex.bridge.is_unlocked, timeout=WAIT)
    assert page_view(alex) is None
    qtbot.waitUntil(lambda: not _views(alex), timeout=WAIT)
    unlock(alex, qtbot)
    qtbot.waitUntil(lambda: alex.bridge.is_unlocked, timeout=WAIT)
    alex.showNormal()
    _open_view(qtbot, alex)
    alex.idle.set_interval(50)
    qtbot.waitUntil(lambda: not alex.bridge.is_unlocked, timeout=WAIT)
    assert page_view(alex) is None
    qtbot.waitUntil(lambda: not _views(alex), timeout=WAIT)


def _views(window: MainWindow) -> list[SessionView]:
    """The session views still in the window (a closed one is deleted, with its labels)."""
    return [v for v in window.findChildren(SessionView) if v.findChildren(QLabel)]


def page_view(window: MainWindow) -> SessionView | None:
    found = window.page(SessionPage)
    return found.view if found is not None else None
