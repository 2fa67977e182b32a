"""Every entry and pairing action, done in one partner's window, shows in the other's.

Two real :class:`MainWindow`s (Alex, Sam) on real vaults, paired through a real folder from their
Partner pages, driven only through their widgets; the assertions read the *partner's* window:
timeline rows, the sharing dialog, the Agreements and Partner pages. Nothing calls sync: each
bridge syncs on its own every 150 ms and right after each write, as the app does.
(The vault's own actions, create to export, are in ``test_app_crossings_vault.py``.)
"""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.ui.crossing_helpers import (
    WAIT,
    answer_next_box,
    choose,
    choose_text,
    click,
    double_click_row,
    go_to,
    new_entry,
    open_dialog,
    page,
    pair,
    paired_couple,
    row_menu,
    row_titled,
    row_words,
    save,
    settled,
    share_new,
    sharing_of,
    shows,
    sync_rounds,
    texts_of,
    timeline_rows,
    type_into,
    wait_for_row,
    whose,
)
from tests.ui.shell_helpers import two_windows, unlock
from ui.dialogs.entry_dialogs import AgreementDialog, DisclosureDialog
from ui.dialogs.review_dialog import ReviewDialog
from ui.dialogs.sharing import SharingDialog
from ui.main_window import MainWindow
from ui.pages.agreements_page import AgreementsPage
from ui.pages.checkins_page import CheckinsPage
from ui.pages.partner_page import PartnerPage
from ui.pages.timeline_page import TimelinePage

# -- pairing -------------------------------------------------------------------------------


@pytest.mark.crossing("invite", "join", "verify", face="app")
def test_pairing_and_verifying_from_the_partner_pages(tmp_path: Path, qtbot) -> None:
    """Alex invites on the Partner page (folder typed, button clicked), Sam pastes the code and
    joins (see ``pair``): both pages then show the same safety number. Verifying is Alex's
    word alone: Sam's page keeps asking Sam to compare, while entries still cross."""
    alex, sam = two_windows(tmp_path, qtbot)
    pair(qtbot, alex, sam, tmp_path / "sync")
    alexs, sams = page(alex, PartnerPage), page(sam, PartnerPage)
    assert alexs.partner_heading.text() == "You and Sam are connected"
    assert sams.partner_heading.text() == "You and Alex are connected"
    for shown in (alexs, sams):
        assert shown.verify_button.isVisible() and not shown.verified.isVisible()
        assert shown.sync_via.text() == f"Through the folder {(tmp_path / 'sync').resolve()}."

    click(qtbot, alexs.verify_button)
    qtbot.waitUntil(lambda: alexs.verified.isVisible(), timeout=WAIT)
    assert alexs.verified.text() == "Verified: you compared these numbers together."
    assert alexs.verify_button.isHidden()
    go_to(qtbot, alex, TimelinePage)
    share_new(qtbot, alex, "Milestone", "We compared our numbers")
    go_to(qtbot, sam, TimelinePage)
    wait_for_row(qtbot, sam, "We compared our numbers")  # still paired after verifying
    go_to(qtbot, sam, PartnerPage)
    assert sams.partner_heading.text() == "You and Alex are connected"
    assert not sams.verified.isVisible()  # Sam has not compared: Sam's page still asks
    assert sams.verify_button.isVisible()
    assert sams.safety_number.text() == alexs.safety_number.text()


@pytest.mark.crossing("verify", face="app")
def test_entries_shared_before_pairing_wait_for_verifying(tmp_path: Path, qtbot) -> None:
    """Alex shared an entry before pairing: it waits on Alex's device, and the Partner page
    says so, until Alex marks the numbers verified; then it reaches Sam's window."""
    alex, sam = two_windows(tmp_path, qtbot)
    go_to(qtbot, alex, TimelinePage)
    share_new(qtbot, alex, "Milestone", "Written before we paired")
    pair(qtbot, alex, sam, tmp_path / "sync")
    alexs = page(alex, PartnerPage)
    assert alexs.held_note.isVisible()
    assert alexs.held_note.text().startswith("1 entry you shared before pairing waits here")
    go_to(qtbot, sam, TimelinePage)
    sync_rounds(qtbot, sam, 4)
    assert row_titled(sam, "Written before we paired") is None  # nobody verified Sam's key yet

    go_to(qtbot, alex, PartnerPage)
    click(qtbot, alexs.verify_button)
    qtbot.waitUntil(lambda: alexs.verified.isVisible(), timeout=WAIT)
    assert not alexs.held_note.isVisible()
    wait_for_row(qtbot, sam, "Written before we paired")


@pytest.mark.crossing("unpair", face="app")
def test_after_unpairing_nothing_more_reaches_the_partner(tmp_path: Path, qtbot) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    share_new(qtbot, alex, "Milestone", "Before we paused")
    wait_for_row(qtbot, sam, "Before we paused")

    partner = go_to(qtbot, alex, PartnerPage)
    click(qtbot, partner.unpair_button)
    box = partner.unpair_box
    assert box is not None and box.text() == "Stop syncing with Sam?"
    click(qtbot, next(b for b in box.buttons() if b.text() == "Unpair"))
    qtbot.waitUntil(lambda: partner.stack.currentIndex() == 0, timeout=WAIT)  # the pairing view
    assert alex.bridge.pair_status == "unpaired"

    go_to(qtbot, alex, TimelinePage)
    share_new(qtbot, alex, "Milestone", "After we paused")
    assert row_titled(alex, "After we paused") is not None
    # Sam's window learns of it at its next sync: no more "connected", the pairing view says why.
    sams = go_to(qtbot, sam, PartnerPage)
    qtbot.waitUntil(lambda: sams.stack.currentIndex() == 0, timeout=WAIT)
    assert sam.bridge.pair_status == "unpaired"
    assert sams.pairing.ended.isVisible()
    assert sams.pairing.ended.text().startswith("Alex unpaired today: nothing more is exchanged")
    go_to(qtbot, sam, TimelinePage)
    assert row_titled(sam, "After we paused") is None
    assert row_titled(sam, "Before we paused") is not None  # what arrived before stays


@pytest.mark.crossing("unpair", face="app")
def test_unpairing_waits_for_a_withdrawal_to_reach_the_partner(tmp_path: Path, qtbot) -> None:
    """Unpairing right after withdrawing would leave the content on Sam's device for good: the
    Partner page says why it waits, and offers to unpair anyway."""
    alex, sam = paired_couple(tmp_path, qtbot)
    share_new(qtbot, alex, "Milestone", "Said too soon")
    told = wait_for_row(qtbot, sam, "Said too soon")
    sam.bridge.lock()  # Sam's app is closed for a while: nothing takes the withdrawal in
    sam.bridge.wait_idle()
    sharing = sharing_of(qtbot, alex, told.id)
    answer_next_box(qtbot, "Yes")
    click(qtbot, sharing.withdraw_button)
    sharing.reject()

    partner = go_to(qtbot, alex, PartnerPage)
    answer_next_box(qtbot, "Unpair")
    click(qtbot, partner.unpair_button)
    shows(qtbot, "Alex's Partner page", partner.message.text, "Unpairing waits")
    assert "Sam's device has not yet taken in 1 of your withdrawals" in partner.message.text()
    assert partner.unpair_anyway_button.isVisible()
    assert alex.bridge.pair_status == "paired"

    unlock(sam, qtbot)  # Sam opens the app again: the withdrawal is taken in
    shows(qtbot, "Sam's timeline row", lambda: row_words(sam, told.id), "was withdrawn")
    sync_rounds(qtbot, alex, 2)  # and Alex's reads Sam's receipt
    answer_next_box(qtbot, "Unpair")
    click(qtbot, partner.unpair_button)
    qtbot.waitUntil(lambda: partner.stack.currentIndex() == 0, timeout=WAIT)
    assert alex.bridge.pair_status == "unpaired"


# -- entries -------------------------------------------------------------------------------


@pytest.mark.crossing("add", face="app")
def test_new_entries_reach_the_partner(tmp_path: Path, qtbot) -> None:
    """Through the New dialog (Alex) and through the Check-ins page's own form (Sam)."""
    alex, sam = paired_couple(tmp_path, qtbot)
    dialog = new_entry(alex, "Milestone")
    assert dialog.windowTitle() == "New milestone"
    type_into(qtbot, dialog.title, "Ninety days")  # type: ignore[attr-defined]
    type_into(qtbot, dialog.note, "Three months of telling each other the truth")  # type: ignore[attr-defined]
    assert dialog.visibility is not None
    choose(dialog.visibility, "shared")
    save(qtbot, dialog)
    entry = wait_for_row(qtbot, sam, "Ninety days")
    assert (
        row_words(sam, entry.id).removeprefix("New. ").startswith("Milestone by Alex: Ninety days.")
    )
    assert "From Alex." in row_words(sam, entry.id)

    checkins = go_to(qtbot, sam, CheckinsPage)
    slider = checkins.fields.mood.slider
    slider.setFocus()
    for _ in range(3):
        qtbot.keyClick(slider, Qt.Key.Key_Right)  # 5 -> 8
    click(qtbot, checkins.fields.feelings.chips["hopeful"])
    type_into(qtbot, checkins.fields.note, "A good talk on the walk home")
    choose(checkins.visibility, "shared")
    click(qtbot, checkins.save_button)
    qtbot.waitUntil(lambda: checkins.message.text() == "Saved. Thank you for checking in.",
                    timeout=WAIT)  # fmt: skip

    def sams_checkin() -> str:
        rows = [e for e in timeline_rows(alex) if e.kind == "checkin"]
        return row_words(alex, rows[0].id) if rows else ""

    shows(qtbot, "Alex's timeline", sams_checkin, "Check-in by Sam:")
    assert "feeling hopeful" in sams_checkin()
    alex_checkins = go_to(qtbot, alex, CheckinsPage)
    shows(qtbot, "Alex's chart choice", lambda: str(texts_of(alex_checkins.whose)), "Sam's")
    choose_text(alex_checkins.whose, "Sam's")
    assert alex_checkins.summary.text() == "1 check-in so far. Showing up matters."


@pytest.mark.crossing("sync", face="app")
def test_the_windows_sync_by_themselves(tmp_path: Path, qtbot) -> None:
    """Nobody presses Sync now: the timer and the folder watcher bring the entry over."""
    alex, sam = paired_couple(tmp_path, qtbot)
    share_new(qtbot, alex, "Disclosure", "I deleted the messages")
    entry = wait_for_row(qtbot, sam, "I deleted the messages")
    assert "From Alex." in row_words(sam, entry.id)
    sams = go_to(qtbot, sam, PartnerPage)
    assert sams.sync_state.text().startswith("Last sync at ")
    alexs = go_to(qtbot, alex, PartnerPage)
    shows(qtbot, "Alex's Partner page", alexs.sync_state.text, "everything delivered.")


@pytest.mark.crossing("sync", face="app")
def test_the_author_sees_when_the_partner_has_it(tmp_path: Path, qtbot) -> None:
    """Sam's device confirms receipt on its next round; Alex's row and sharing dialog must then
    stop saying it is on its way (the Partner page already says "everything delivered")."""
    alex, sam = paired_couple(tmp_path, qtbot)
    share_new(qtbot, alex, "Disclosure", "I deleted the messages")
    entry = wait_for_row(qtbot, sam, "I deleted the messages")
    sharing = sharing_of(qtbot, alex, entry.id)
    alexs = page(alex, PartnerPage)
    shows(qtbot, "Alex's Partner page", alexs.sync_state.text, "everything delivered.")
    sync_rounds(qtbot, alex, 2)
    assert sharing.state.text() == (
        "Delivered to Sam's device today. That means it is there, not that Sam has read it."
    ), "Alex's sharing dialog still says it is waiting for Sam's device, which has it"
    assert row_words(alex, entry.id).endswith("Delivered."), (
        "Alex's timeline row still says Sending… after Sam's device confirmed it"
    )


@pytest.mark.crossing("edit", face="app")
def test_an_edit_shows_in_the_partners_timeline(tmp_path: Path, qtbot) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    share_new(qtbot, alex, "Disclosure", "I saw Jordan")
    entry = wait_for_row(qtbot, sam, "I saw Jordan")

    row_menu(qtbot, alex, entry.id, "Edit…")
    dialog = open_dialog(alex, DisclosureDialog)
    assert dialog.windowTitle() == "Edit disclosure"
    type_into(qtbot, dialog.title, "I saw Jordan twice")
    type_into(qtbot, dialog.body, "Once at the station, once for coffee. I should have said.")
    save(qtbot, dialog)

    shows(qtbot, "Sam's timeline row", lambda: row_words(sam, entry.id), "I saw Jordan twice.")
    assert "Edited, 2 versions." in row_words(sam, entry.id)
    assert row_titled(sam, "I saw Jordan") is None  # the old wording is not a second row


@pytest.mark.crossing("share", face="app")
def test_the_drafts_of_a_private_entry_stay_unless_chosen(tmp_path: Path, qtbot) -> None:
    """Sharing sends what the entry says now; the box 'Also send the earlier version' sends
    the drafts too: Sam's version history holds them only then."""
    alex, sam = paired_couple(tmp_path, qtbot)
    for title, with_drafts in (("Kept to myself", False), ("Told in full", True)):
        dialog = new_entry(alex, "Disclosure")
        type_into(qtbot, dialog.title, f"{title}, first words")  # type: ignore[attr-defined]
        assert dialog.visibility is not None
        choose(dialog.visibility, "private")
        save(qtbot, dialog)
        mine = row_titled(alex, f"{title}, first words")
        assert mine is not None
        row_menu(qtbot, alex, mine.id, "Edit…")
        editor = open_dialog(alex, DisclosureDialog)
        editor.title.clear()
        type_into(qtbot, editor.title, title)
        save(qtbot, editor)
        sharing = sharing_of(qtbot, alex, mine.id)
        assert sharing.with_history.text().startswith("Also send the earlier version")
        if with_drafts:
            click(qtbot, sharing.with_history)
        click(qtbot, sharing.share_button)
        seen = wait_for_row(qtbot, sam, title)
        history = page(sam, TimelinePage).show_history(seen.id)
        versions = [history.versions.item(i).text() for i in range(history.versions.count())]
        assert len(versions) == (2 if with_drafts else 1), versions
        assert (history.revisions[0].fields["title"] == f"{title}, first words") is with_drafts
        history.reject()
        sharing.reject()


@pytest.mark.crossing("share", "withdraw", "share_again", face="app")
def test_share_withdraw_and_share_again_from_the_sharing_dialog(tmp_path: Path, qtbot) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    dialog = new_entry(alex, "Disclosure")
    type_into(qtbot, dialog.title, "The money I lent my brother")  # type: ignore[attr-defined]
    assert dialog.visibility is not None
    choose(dialog.visibility, "private")
    save(qtbot, dialog)
    mine = row_titled(alex, "The money I lent my brother")
    assert mine is not None
    settled(qtbot, alex, sam)
    assert row_titled(sam, "The money I lent my brother") is None  # private stays here

    sharing = sharing_of(qtbot, alex, mine.id)
    assert sharing.state.text() == "Private: it never leaves this device."
    assert sharing.share_button.text() == "Share with Sam"
    click(qtbot, sharing.share_button)
    seen = wait_for_row(qtbot, sam, "The money I lent my brother")
    assert seen.id == mine.id and "From Alex." in row_words(sam, mine.id)
    assert sharing.state.text().startswith("Shared")  # (delivery: see the sync tests)

    answer_next_box(qtbot, "Yes")  # "Withdraw this entry?" names what it cannot undo
    click(qtbot, sharing.withdraw_button)
    shows(qtbot, "Sam's timeline row", lambda: row_words(sam, mine.id),
          "Disclosure by Alex: A disclosure was withdrawn.")  # fmt: skip
    assert row_words(sam, mine.id).endswith("Withdrawn.")
    assert row_titled(sam, "The money I lent my brother") is None
    # "Withdrawal pending" until Alex's device reads Sam's receipt for it, then:
    shows(qtbot, "Alex's sharing dialog", sharing.state.text,
          "Private again: you withdrew it from Sam's device.")  # fmt: skip

    assert sharing.share_button.text() == "Share again"
    click(qtbot, sharing.share_button)
    wait_for_row(qtbot, sam, "The money I lent my brother")
    assert "From Alex." in row_words(sam, mine.id)
    assert sharing.withdraw_button.isVisible()


@pytest.mark.crossing("acknowledge", "comment", face="app")
def test_responses_and_comments_reach_the_author(tmp_path: Path, qtbot) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    share_new(qtbot, alex, "Disclosure", "I still have the old phone")
    entry = wait_for_row(qtbot, sam, "I still have the old phone")
    alexs = sharing_of(qtbot, alex, entry.id)

    sams = sharing_of(qtbot, sam, entry.id)
    assert sams.state.text() == "Shared with you by Alex."
    assert sams.share_button.isHidden() and sams.withdraw_button.isHidden()
    click(qtbot, sams.time_button)
    shows(qtbot, "Alex's timeline row", lambda: row_words(alex, entry.id), "Sam needs time.")
    shows(qtbot, "Alex's sharing dialog", alexs.state.text, "Sam asked for some time on")

    click(qtbot, sams.read_button)
    shows(qtbot, "Alex's timeline row", lambda: row_words(alex, entry.id), "Read by Sam.")
    shows(qtbot, "Alex's sharing dialog", alexs.state.text, "Sam read this on")
    assert "You read this on" in sams.state.text()

    type_into(qtbot, sams.comment_box, "Thank you for telling me. Can we talk on Sunday?")
    click(qtbot, sams.comment_button)
    qtbot.waitUntil(lambda: sams.comment_box.toPlainText() == "", timeout=WAIT)

    def said(dialog: SharingDialog) -> list[str]:
        items = (dialog.comments.item(i) for i in range(dialog.comments.count()))
        return [str(i.data(Qt.ItemDataRole.AccessibleTextRole)) for i in items if i is not None]

    shows(qtbot, "Alex's comments", lambda: str(said(alexs)),
          "Sam wrote: Thank you for telling me. Can we talk on Sunday?")  # fmt: skip
    assert len(said(alexs)) == 1
    type_into(qtbot, alexs.comment_box, "Sunday after lunch.")
    click(qtbot, alexs.comment_button)
    shows(qtbot, "Sam's comments", lambda: str(said(sams)), "Alex wrote: Sunday after lunch.")
    assert said(sams)[0] == "You wrote: Thank you for telling me. Can we talk on Sunday?"


# -- agreements ----------------------------------------------------------------------------


def _propose(qtbot, alex: MainWindow, title: str, text: str) -> None:
    dialog = new_entry(alex, "Agreement")
    type_into(qtbot, dialog.title, title)  # type: ignore[attr-defined]
    type_into(qtbot, dialog.text, text)  # type: ignore[attr-defined]
    save(qtbot, dialog)


def _showing(qtbot, window: MainWindow, title: str) -> AgreementsPage:
    """The window's Agreements page once it lists ``title`` (chosen, as the only one)."""
    agreements = go_to(qtbot, window, AgreementsPage)
    shows(qtbot, f"{whose(window)} Agreements page", agreements.heading.text, title)
    return agreements


PHONES = "Phones stay open"
WORDING = "We keep our phones open to each other, and say so when we need a quiet evening."


@pytest.mark.crossing("accept", face="app")
def test_accepting_on_both_pages_puts_the_agreement_in_force_on_both(tmp_path: Path, qtbot) -> None:
    """The issue's bug: the page wrote Sam's acceptance without telling Alex's device, so
    Sam's window said "In force" while Alex's said "Proposed" forever."""
    alex, sam = paired_couple(tmp_path, qtbot)
    _propose(qtbot, alex, PHONES, WORDING)
    sams, alexs = _showing(qtbot, sam, PHONES), _showing(qtbot, alex, PHONES)
    assert sams.status_line.text() == "Proposed · version 1"
    assert sams.text.toPlainText() == WORDING
    assert "Waiting for you and Alex to accept this version." in sams.acceptance.text()

    click(qtbot, sams.accept_button)
    qtbot.waitUntil(lambda: sams.accept_button.text() == "You accepted this version",
                    timeout=WAIT)  # fmt: skip
    assert sams.status_line.text().startswith("Proposed")  # Alex has not accepted yet
    shows(qtbot, "Alex's Agreements page", alexs.acceptance.text, "Sam accepted on")
    assert "Waiting for you to accept this version." in alexs.acceptance.text()

    click(qtbot, alexs.accept_button)
    shows(qtbot, "Alex's Agreements page", alexs.status_line.text, "In force · version 1")
    shows(qtbot, "Sam's Agreements page", sams.status_line.text, "In force · version 1")
    for shown in (alexs, sams):
        assert shown.list.item(0).text() == f"{PHONES}\nIn force"
        assert "Waiting" not in shown.acceptance.text()
    assert "Alex accepted on" in sams.acceptance.text()


@pytest.mark.crossing("propose_revision", face="app")
def test_revising_the_wording_asks_both_partners_again(tmp_path: Path, qtbot) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    _propose(qtbot, alex, PHONES, WORDING)
    sams, alexs = _showing(qtbot, sam, PHONES), _showing(qtbot, alex, PHONES)
    click(qtbot, sams.accept_button)
    shows(qtbot, "Alex's Agreements page", alexs.acceptance.text, "Sam accepted on")
    click(qtbot, alexs.accept_button)
    shows(qtbot, "Sam's Agreements page", sams.status_line.text, "In force · version 1")

    click(qtbot, alexs.edit_button)
    editor = open_dialog(alex, AgreementDialog)
    assert editor.windowTitle() == "Edit agreement"
    revised = WORDING + " Not after eleven at night."
    type_into(qtbot, editor.text, revised)
    save(qtbot, editor)

    # The version both accepted stays in force on both devices, the proposal beside it.
    shows(qtbot, "Sam's Agreements page", sams.proposal_notice.text, "Alex proposed version 2")
    for shown in (alexs, sams):
        shows(qtbot, "the Agreements page", shown.status_line.text, "In force · version 1")
        assert shown.text.toPlainText() == WORDING
        assert shown.proposal_text.toPlainText() == revised
        assert shown.list.item(0).text() == f"{PHONES}\nIn force · a proposal waits"
    assert sams.accept_button.isEnabled() and sams.accept_button.text() == "Accept the proposal"
    assert "Waiting for you and Alex to accept the proposal." in sams.acceptance.text()

    # Either voice: Sam revises Alex's agreement (Save used to refuse), Alex's page shows it.
    click(qtbot, sams.edit_button)
    editor = open_dialog(sam, AgreementDialog)
    sams_words = WORDING + " Not after ten."
    type_into(qtbot, editor.text, sams_words)
    save(qtbot, editor)
    shows(qtbot, "Alex's Agreements page", alexs.proposal_notice.text, "Sam proposed version 3")
    assert alexs.proposal_text.toPlainText() == sams_words
    click(qtbot, alexs.accept_button)
    shows(qtbot, "Sam's Agreements page", sams.acceptance.text, "Alex accepted on")
    click(qtbot, sams.accept_button)
    for shown, who in ((alexs, "Alex's"), (sams, "Sam's")):
        shows(qtbot, f"{who} Agreements page", shown.status_line.text, "In force · version 3")
        assert shown.text.toPlainText() == sams_words
        assert not shown.proposal_text.isVisibleTo(shown)


@pytest.mark.crossing("review_agreement", face="app")
def test_a_review_by_either_partner_holds_once_both_accept(tmp_path: Path, qtbot) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    _propose(qtbot, alex, PHONES, WORDING)
    sams, alexs = _showing(qtbot, sam, PHONES), _showing(qtbot, alex, PHONES)
    click(qtbot, sams.accept_button)
    shows(qtbot, "Alex's Agreements page", alexs.acceptance.text, "Sam accepted on")
    click(qtbot, alexs.accept_button)
    shows(qtbot, "Sam's Agreements page", sams.status_line.text, "In force · version 1")

    click(qtbot, sams.review_button)  # Sam reviews Alex's agreement
    review = open_dialog(sam, ReviewDialog)
    choose(review.outcome, "stepped down")
    review.text.setPlainText("We keep our phones open on weekends.")
    type_into(qtbot, review.ends_on, "2027-06-30")
    click(qtbot, review.buttons.button(QDialogButtonBox.StandardButton.Save))
    shows(
        qtbot, "Alex's Agreements page", alexs.proposal_notice.text,
        "Sam recorded a review (stepped down), ending after",
    )  # fmt: skip
    assert alexs.status_line.text().startswith("In force · version 1")
    click(qtbot, alexs.accept_button)
    shows(qtbot, "Sam's Agreements page", sams.acceptance.text, "Alex accepted on")
    click(qtbot, sams.accept_button)
    for shown, who in ((alexs, "Alex's"), (sams, "Sam's")):
        shows(qtbot, f"{who} Agreements page", shown.status_line.text, "reviewed")
        line = shown.status_line.text()
        assert line.startswith("In force · version 2") and "stepped down" in line, line
        assert shown.text.toPlainText() == "We keep our phones open on weekends."
        assert "ends after" in line


# -- found while driving the windows -------------------------------------------------------


def test_a_double_click_on_a_row_opens_one_dialog(tmp_path: Path, qtbot) -> None:
    """The timeline connects both ``doubleClicked`` and ``activated`` to opening a row, and Qt
    emits both for one double-click: two editors (or two sharing dialogs) open, one on top of
    the other; saving the second one writes the old wording back."""
    alex, sam = paired_couple(tmp_path, qtbot)
    share_new(qtbot, alex, "Disclosure", "I saw Jordan")
    entry = wait_for_row(qtbot, sam, "I saw Jordan")
    double_click_row(qtbot, alex, entry.id)  # one's own entry: its editor
    editors = [d for d in alex.findChildren(DisclosureDialog) if d.isVisible()]
    double_click_row(qtbot, sam, entry.id)  # the partner's entry: its sharing dialog
    dialogs = [d for d in sam.findChildren(SharingDialog) if d.isVisible()]
    assert (len(editors), len(dialogs)) == (1, 1), "one double-click opened the dialog twice"


def test_the_partner_reads_a_disclosure_where_they_answer_it(tmp_path: Path, qtbot) -> None:
    """Issue 14: opening a shared disclosure showed the buttons but not the text. Sam's
    double-click now opens the whole of it beside "I have read this"."""
    alex, sam = paired_couple(tmp_path, qtbot)
    dialog = new_entry(alex, "Disclosure")
    assert isinstance(dialog, DisclosureDialog)
    type_into(qtbot, dialog.title, "The conference in March")
    qtbot.keyClicks(dialog.body, "I met her again on the second evening and did not tell you.")
    assert dialog.visibility is not None
    choose(dialog.visibility, "shared")
    save(qtbot, dialog)
    go_to(qtbot, sam, TimelinePage)
    wait_for_row(qtbot, sam, "The conference in March")
    told = row_titled(sam, "The conference in March")
    assert told is not None
    double_click_row(qtbot, sam, told.id)
    reading = open_dialog(sam, SharingDialog)
    shown = reading.content.toPlainText()
    assert "What happened" in shown
    assert "I met her again on the second evening and did not tell you." in shown
    assert reading.read_button.isVisible()  # the answer sits beside the text
