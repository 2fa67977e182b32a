"""Unpairing and cancelling from the partner page; a partner key other than the verified one."""

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from tests.ui.shell_helpers import PASSPHRASE, create_vault, make_window, unlock
from trustvault.sync.service import SyncService
from trustvault.sync.transports import folder_spec
from trustvault.vault import Vault
from ui.main_window import MainWindow
from ui.pages.partner_page import PartnerPage


def _page(window: MainWindow) -> PartnerPage:
    page = window.page(PartnerPage)
    assert isinstance(page, PartnerPage)
    return page


def _pair(inviter: MainWindow, joiner: MainWindow, folder: Path, qtbot) -> None:
    """Invite and join through ``folder`` by the page's own controls, until both are paired."""
    invite, join = _page(inviter).pairing, _page(joiner).pairing
    invite.folder.setText(str(folder))
    invite.long_code.setChecked(True)  # the long code's path
    invite.invite()
    qtbot.waitUntil(lambda: bool(invite.code.toPlainText()), timeout=5_000)
    join.folder.setText(str(folder))
    join.join_code.setText(invite.code.toPlainText())
    join.join()
    qtbot.waitUntil(lambda: all(w.bridge.pair_status == "paired" and _page(w).stack.currentIndex()
                                == 2 for w in (inviter, joiner)), timeout=10_000)  # fmt: skip


def _answer_unpair(page: PartnerPage, words: str) -> None:
    page.unpair_button.click()
    box = page.unpair_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.defaultButton().text() == "Keep syncing"  # Enter changes nothing
    next(b for b in box.buttons() if b.text() == words).click()
    assert page.unpair_box is None


def test_unpair_then_a_new_partner_key_is_warned_about_until_verified(
    tmp_path: Path, qtbot
) -> None:
    for name in ("Alex", "Sam", "Jordan"):
        create_vault(tmp_path / name.lower(), name)
    alex, sam, jordan = (make_window(tmp_path / n, qtbot, tmp_path / n.lower())
                         for n in ("Alex", "Sam", "Jordan"))  # fmt: skip
    for window in (alex, sam, jordan):
        window.bridge.enable_sync(150)
        unlock(window, qtbot)
    page = _page(alex)
    _pair(alex, sam, tmp_path / "sync", qtbot)
    assert page.key_banner.isHidden()
    page.verify_button.click()
    qtbot.waitUntil(lambda: alex.bridge.partner is not None and alex.bridge.partner.verified)
    actions = alex.bridge.actions
    assert actions is not None
    alex.bridge.wait_idle()  # a sync round may be running on the worker, on the same connection
    entry = actions.add("milestone", {"title": "Ninety days"}, "shared")

    _answer_unpair(page, "Keep syncing")
    alex.bridge.wait_idle()
    assert alex.bridge.pair_status == "paired" and page.stack.currentIndex() == 2
    page.unpair_button.click()
    assert page.unpair_box is not None
    words = page.unpair_box.text() + page.unpair_box.informativeText()
    for phrase in ("Stop syncing with Sam?", "stays here", "nothing more is sent or received",
                   "new invite code", "warn you"):  # fmt: skip
        assert phrase in words
    next(b for b in page.unpair_box.buttons() if b.text() == "Unpair").click()
    qtbot.waitUntil(lambda: alex.bridge.pair_status == "unpaired" and page.stack.currentIndex()
                    == 0, timeout=5_000)  # fmt: skip
    assert alex.bridge.partner is None and page.pairing.code_row.isHidden()
    assert page.pairing.pending_row.isHidden()
    assert actions.queries.entry(entry.id).title == "Ninety days"  # entries stay
    sam.bridge.lock()

    _pair(alex, jordan, tmp_path / "sync-2", qtbot)  # Jordan's vault: a key never verified
    assert page.partner_heading.text() == "You and Jordan are connected"
    assert page.key_banner.isVisibleTo(page)
    assert "Jordan's key is not the one you verified before" in page.key_warning.text()
    assert not page.verified.isVisibleTo(page) and page.verify_button.isVisibleTo(page)
    assert _page(jordan).key_banner.isHidden()  # Jordan never verified anyone
    page.verify_button.click()
    qtbot.waitUntil(lambda: page.key_banner.isHidden(), timeout=5_000)
    assert page.verified.isVisibleTo(page) and page.verify_button.isHidden()
    assert alex.bridge.partner is not None and not alex.bridge.partner.key_changed


def test_cancel_a_waiting_invite(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    unlock(window, qtbot)
    page = _page(window)
    pairing = page.pairing
    assert pairing.pending_row.isHidden()
    pairing.folder.setText(str(tmp_path / "sync"))
    pairing.long_code.setChecked(True)  # the long code's path
    pairing.invite()
    qtbot.waitUntil(lambda: bool(pairing.code.toPlainText()), timeout=5_000)
    assert window.bridge.pair_status == "inviting"
    assert pairing.cancel_button.isVisibleTo(pairing) and "Waiting" in pairing.waiting.text()
    pairing.cancel_button.click()
    qtbot.waitUntil(lambda: window.bridge.pair_status == "unpaired", timeout=5_000)
    assert pairing.code.toPlainText() == "" and pairing.code_row.isHidden()
    assert pairing.pending_row.isHidden() and page.stack.currentIndex() == 0


def test_an_invite_from_before_a_restart_can_be_cancelled(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    vault = Vault.unlock(tmp_path / "vault", PASSPHRASE)
    (tmp_path / "sync").mkdir()
    SyncService(vault).invite(folder_spec(tmp_path / "sync"))
    vault.close()
    window = make_window(tmp_path, qtbot)
    unlock(window, qtbot)
    pairing = _page(window).pairing
    assert pairing.pending_row.isVisibleTo(pairing) and pairing.code_row.isHidden()
    assert "made earlier" in pairing.waiting.text()
    pairing.cancel_button.click()
    qtbot.waitUntil(lambda: window.bridge.pair_status == "unpaired", timeout=5_000)
    assert pairing.pending_row.isHidden()


def test_cancel_a_join_that_waits_for_an_answer(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "alex", "Alex")
    create_vault(tmp_path / "sam", "Sam")
    alex = Vault.unlock(tmp_path / "alex", PASSPHRASE)  # never syncs: the join is never answered
    (tmp_path / "sync").mkdir()
    code = SyncService(alex).invite(folder_spec(tmp_path / "sync"))
    alex.close()
    window = make_window(tmp_path, qtbot, tmp_path / "sam")
    unlock(window, qtbot)
    page = _page(window)
    page.pairing.folder.setText(str(tmp_path / "sync"))
    page.pairing.join_code.setText(code)
    page.pairing.join()
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 1, timeout=5_000)
    assert window.bridge.pair_status == "joining"
    assert page.waiting.text().startswith("Waiting for your partner's device")
    assert page.cancel_join_button.isVisibleTo(page)
    page.cancel_join_button.click()
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 0, timeout=5_000)
    assert window.bridge.pair_status == "unpaired" and window.bridge.partner is None
    assert page.pairing.join_button.isEnabled()
