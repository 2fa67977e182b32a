"""Triggers in two app windows: Alex logs one privately and shares another; Sam's window shows
nothing of the private one and asks, of the shared one, "What would help Alex feel safe right
now?"; Sam's reassurance comes back to Alex's log. A shared day marked shows on Sam's page, and
the grounding exercise is offered after logging and on the pause banner."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget

from tests.ui.crossing_helpers import (
    choose,
    click,
    go_to,
    new_entry,
    open_dialog,
    paired_couple,
    save,
    shows,
    timeline_rows,
    type_into,
)
from ui.dialogs.sharing import SharingDialog
from ui.dialogs.trigger_dialogs import AFTER_TRIGGER
from ui.grounding import GroundingDialog
from ui.main_window import MainWindow
from ui.pages.calendar_page import CalendarPage
from ui.pages.triggers_page import TriggersPage
from ui.pause_bar import PauseDialog


def _items(widget: QListWidget) -> str:
    return "\n".join(widget.item(i).text() for i in range(widget.count()))


def _log(qtbot: Any, window: MainWindow, what: str, where: str, visibility: str) -> None:
    dialog = new_entry(window, "Trigger")
    type_into(qtbot, dialog.what, what)  # type: ignore[attr-defined]
    type_into(qtbot, dialog.where, where)  # type: ignore[attr-defined]
    assert dialog.visibility is not None and dialog.visibility.currentData() == "private"
    choose(dialog.visibility, visibility)
    save(qtbot, dialog)
    offered = open_dialog(window, GroundingDialog)  # a minute of breathing, offered at once
    assert offered.offer.text() == AFTER_TRIGGER
    click(qtbot, offered.close_button)


@pytest.mark.crossing("add", "comment", face="app")
def test_a_shared_trigger_asks_sam_for_reassurance_and_it_reaches_alex(
    tmp_path: Path, qtbot: Any
) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    _log(qtbot, alex, "A song from that summer", "car", "private")
    _log(qtbot, alex, "Phone face down", "kitchen", "shared")
    day = new_entry(alex, "Anniversary")
    type_into(qtbot, day.title, "The day of discovery")  # type: ignore[attr-defined]
    choose(day.visibility, "shared")
    save(qtbot, day)

    theirs = go_to(qtbot, sam, TriggersPage)
    asked = "Alex: Phone face down (strength 5)\nWhat would help Alex feel safe right now?"
    shows(qtbot, "Sam's Triggers page", lambda: _items(theirs.theirs), asked)
    shows(qtbot, "Sam's marked days", lambda: _items(theirs.days), "marked by Alex")
    assert "that summer" not in _items(theirs.theirs) + _items(theirs.mine)
    assert "No triggers logged" in theirs.summary.text()  # Alex's are not Sam's pattern
    assert [e.title for e in timeline_rows(sam) if e.kind == "trigger"] == ["Phone face down"]
    calendar = go_to(qtbot, sam, CalendarPage)  # the day, and its flag a week ahead
    today = calendar.model.today
    for day, words in ((today, "The day of discovery\na day marked; it comes back each year"),
                       (today - timedelta(days=7), "In 7 days: The day of discovery")):  # fmt: skip
        calendar.show_day(day)
        shows(qtbot, f"Sam's calendar on {day}", lambda: _items(calendar.agenda), words)
    theirs = go_to(qtbot, sam, TriggersPage)
    theirs.theirs.setCurrentRow(0)
    qtbot.keyClick(theirs.theirs, Qt.Key.Key_Return)
    reply = open_dialog(sam, SharingDialog)
    assert reply.prompt.text() == "What would help Alex feel safe right now?"
    assert reply.comments_heading.text() == "Reassurance"
    type_into(qtbot, reply.comment_box, "I am here. Ask me anything, any time.")
    assert reply.comment_button.text() == "Send reassurance"
    click(qtbot, reply.comment_button)

    mine = go_to(qtbot, alex, TriggersPage)
    shows(qtbot, "Alex's log", lambda: _items(mine.mine),
          "Sam: I am here. Ask me anything, any time.")  # fmt: skip
    assert "2 triggers logged." in mine.summary.text()
    assert mine.by_place.counts() == [("car", 1), ("kitchen", 1)]
    assert sum(n for _, n in mine.by_strength.counts()) == 2

    click(qtbot, alex.pause_button)  # and during a pause, on both banners: Breathe…
    click(qtbot, open_dialog(alex, PauseDialog).start)
    qtbot.waitUntil(lambda: sam.pause_bar.isVisible(), timeout=15_000)
    click(qtbot, sam.pause_bar.breathe_button)
    breathing = open_dialog(sam, GroundingDialog)
    assert "While you take your pause" in breathing.offer.text()
    breathing.reject()
