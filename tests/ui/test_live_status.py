"""Status follows what the vault knows, at once: a receipt, a response and an unpair notice show
in the author's window without a click or a restart, even when the round that applied them
failed afterwards."""

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from tests.helpers import PASSPHRASE
from tests.ui.crossing_helpers import (
    click,
    go_to,
    paired_couple,
    row_words,
    share_new,
    sharing_of,
    shows,
    wait_for_row,
)
from trustvault.actions import Actions
from trustvault.errors import TransportError
from trustvault.sync.folder_transport import FolderTransport
from trustvault.vault import Vault
from ui.bridge import SyncFailure
from ui.pages.partner_page import PartnerPage


class RefusesOneDelete(FolderTransport):
    """The real folder, except that the first delete after :attr:`armed` fails, as a file-sync
    tool holding a lock does: the round has committed the receipt it read by then."""

    armed = False

    def delete(self, name: str) -> None:
        if self.armed:
            self.armed = False
            raise TransportError("The sync folder is busy; try again.")
        super().delete(name)


def test_delivered_read_and_unpaired_show_without_a_restart(tmp_path: Path, qtbot) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    assert sam.bridge.queries is not None and not sam.bridge.queries.daily_receipts()
    medium = RefusesOneDelete(tmp_path / "sync")
    alex.bridge.lock()
    alex.bridge.wait_idle()
    alex.bridge.open_vault(Actions(Vault.unlock(alex.folder, PASSPHRASE), medium))
    failures: list[object] = []
    alex.bridge.sync_status.connect(
        lambda r: failures.append(r) if isinstance(r, SyncFailure) else None
    )

    medium.armed = True
    share_new(qtbot, alex, "Disclosure", "I deleted the messages")
    entry = wait_for_row(qtbot, sam, "I deleted the messages")
    sharing = sharing_of(qtbot, alex, entry.id)
    shows(qtbot, "Alex's timeline row", lambda: row_words(alex, entry.id), "Delivered.")
    assert failures, "the round that read Sam's receipt did not fail: the test proves nothing"
    shows(qtbot, "Alex's sharing dialog", sharing.state.text, "Delivered to Sam's device today.")
    alexs = go_to(qtbot, alex, PartnerPage)
    shows(qtbot, "Alex's Partner page", alexs.sync_state.text, "everything delivered.")

    sams = sharing_of(qtbot, sam, entry.id)
    click(qtbot, sams.read_button)
    shows(qtbot, "Alex's sharing dialog", sharing.state.text, "Sam read this on")
    shows(qtbot, "Alex's timeline row", lambda: row_words(alex, entry.id), "Read by Sam.")
    sams.reject()

    sams_page = go_to(qtbot, sam, PartnerPage)
    sams_page.unpair_button.click()
    box = sams_page.unpair_box
    assert isinstance(box, QMessageBox)
    next(b for b in box.buttons() if b.text() == "Unpair").click()
    shows(qtbot, "Alex's Partner page", alexs.pairing.ended.text, "Sam unpaired today")
    assert alexs.stack.currentIndex() == 0 and alexs.pairing.ended.isVisibleTo(alexs)
