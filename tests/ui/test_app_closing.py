"""Closing the shared space from Alex's Partner page; what Sam's window shows and may do: the
crossings of :meth:`Actions.close_shared_space` and :meth:`Actions.agree_to_keep` for the face
``app``, on two real vaults paired through a real folder (the cooling-off itself, a week, is
the CLI's and the core's tests: tests/crossing/test_cli_closing.py, tests/sync/test_closing.py)."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from tests.ui.crossing_helpers import (
    answer_next_box,
    click,
    go_to,
    new_entry,
    paired_couple,
    share_new,
    shows,
    type_into,
    wait_for_row,
)
from ui.pages.partner_page import PartnerPage


@pytest.mark.crossing("close_shared_space", "agree_to_keep", face="app")
def test_closing_reaches_the_partner_who_may_agree_to_keep(tmp_path: Path, qtbot) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    share_new(qtbot, alex, "Milestone", "Ninety days")
    wait_for_row(qtbot, sam, "Ninety days")
    alex_page, sam_page = go_to(qtbot, alex, PartnerPage), go_to(qtbot, sam, PartnerPage)
    card = alex_page.closing_card
    assert card.close_button.isVisible() and not card.keep_button.isVisible()

    click(qtbot, card.close_button)
    box = card.close_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.defaultButton().text() == "Keep it open"  # Enter changes nothing
    words = box.text() + box.informativeText()
    for phrase in ("Nothing new goes to Sam", "In 7 days both devices stop syncing",
                   "A changed app could keep it"):  # fmt: skip
        assert phrase in words
    check = box.checkBox()
    assert check is not None and "delete what I wrote" in check.text()
    check.setChecked(True)
    click(qtbot, next(b for b in box.buttons() if b.text() == "Close our shared space"))

    shows(qtbot, "Alex's card", card.state.text, "You asked that Sam's device delete")
    sam_card = sam_page.closing_card
    shows(qtbot, "Sam's card", sam_card.state.text, "Alex closed your shared space")
    assert "Alex asked that this device delete what Alex wrote" in sam_card.state.text()
    assert sam_card.keep_button.isVisible() and sam_card.close_button.isVisible()
    assert sam_card.close_button.text() == "Ask that what I wrote goes too…"

    dialog = new_entry(sam, "Milestone")  # nothing new goes after a closing: Save says why
    type_into(qtbot, dialog.title, "One more thing")  # type: ignore[attr-defined]
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    shows(qtbot, "Sam's editor", dialog.error_label.text, "shared space with Alex is closed")
    assert dialog.isVisible()  # nothing typed is lost
    answer_next_box(qtbot, "Discard")
    dialog.reject()

    click(qtbot, sam_card.keep_button)
    shows(qtbot, "Alex's card", card.state.text, "Sam would like you both to keep everything")
    assert card.keep_button.isVisible()
    click(qtbot, card.keep_button)
    shows(qtbot, "Alex's card", card.state.text, "You both agreed to keep everything")
    shows(qtbot, "Sam's card", sam_card.state.text, "You both agreed to keep everything")
    assert not sam_card.keep_button.isVisible()
