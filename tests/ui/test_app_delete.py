"""Deleting an entry in Alex's window; what Sam's window shows: the crossing of
:meth:`Actions.delete` for the face ``app``, on two real vaults paired through a real folder."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.crossing_helpers import (
    WAIT,
    later,
    paired_couple,
    row_menu,
    row_titled,
    row_words,
    share_new,
    sharing_of,
    shows,
    wait_for_row,
)


@pytest.mark.crossing("delete", face="app")
def test_delete_from_the_row_menu_leaves_sam_a_tombstone(tmp_path: Path, qtbot) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    share_new(qtbot, alex, "Milestone", "Moved out for a week")
    theirs = wait_for_row(qtbot, sam, "Moved out for a week")
    sams_view = sharing_of(qtbot, sam, theirs.id)
    assert not sams_view.delete_button.isVisible()  # only its author can delete it

    asked: list[str] = []

    def confirm() -> bool:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
        box = next((b for b in boxes if b.isVisible()), None)
        if box is None:
            return False
        asked.append(f"{box.text()} {box.informativeText()}")
        delete = next(b for b in box.buttons() if b.text() == "Delete")
        qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
        return True

    later(qtbot, confirm)
    row_menu(qtbot, alex, theirs.id, "Delete…")
    (words,) = asked
    assert "go from this device for good" in words
    assert "Sam's device deletes its copy" in words and "Alex deleted a milestone on" in words
    assert "can't be taken back" in words and "a changed app on Sam's device" in words
    qtbot.waitUntil(lambda: row_titled(alex, "Moved out for a week") is None, timeout=WAIT)

    shows(qtbot, "Sam's timeline row", lambda: row_words(sam, theirs.id), "was deleted")
    assert "Moved out for a week" not in row_words(sam, theirs.id)
    assert "Deleted." in row_words(sam, theirs.id)
    shows(qtbot, "Sam's open dialog", sams_view.state.text, "Alex deleted this on")
    assert "Moved out" not in sams_view.heading.text()
