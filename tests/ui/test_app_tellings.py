"""When a disclosure was told, in both windows: Alex writes a full account of something that
happened ten days ago; both timelines say "told 10 days later", counted to the day it reached
Sam's device (Alex's only once Sam's device has said so), and both Progress pages say what the
days are counted to. Two real vaults, paired through a real folder by their pages."""

from pathlib import Path

from PySide6.QtCore import QDate

from tests.ui.crossing_helpers import (
    choose,
    go_to,
    new_entry,
    paired_couple,
    row_words,
    save,
    sharing_of,
    shows,
    type_into,
    wait_for_row,
)
from ui.dialogs.entry_dialogs import DisclosureDialog
from ui.pages.progress_page import ProgressPage


def test_both_windows_show_the_days_counted_on_sams_device(tmp_path: Path, qtbot) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    dialog = new_entry(alex, "Disclosure")
    assert isinstance(dialog, DisclosureDialog)
    type_into(qtbot, dialog.title, "Everything about the trip")
    dialog.occurred.edit.setDate(QDate.currentDate().addDays(-10))
    dialog.account.check.setChecked(True)  # "This is my full account, complete as of" today
    assert dialog.visibility is not None
    choose(dialog.visibility, "shared")
    save(qtbot, dialog)

    theirs = wait_for_row(qtbot, sam, "Everything about the trip")
    shows(qtbot, "Sam's row", lambda: row_words(sam, theirs.id), "told 10 days later")
    assert "a full account, complete as of" in row_words(sam, theirs.id)
    # Alex's window counts from Sam's device's word, not from Alex's own dating.
    shows(qtbot, "Alex's row", lambda: row_words(alex, theirs.id), "· told 10 days later")
    assert "dated as" not in row_words(alex, theirs.id)
    view = sharing_of(qtbot, sam, theirs.id)
    assert "told 10 days later" in view.summary.text()

    for window in (alex, sam):
        progress = go_to(qtbot, window, ProgressPage)
        counted = "Each one is counted to the day it reached the other's device."
        shows(qtbot, "the Progress page", progress.verified.text, counted)
        assert "score" not in progress.latency.detail.text()
        assert not progress.added.isVisible()
