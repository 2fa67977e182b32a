"""Pairing from the partner page, sharing controls, the demo's two windows, the screenshots."""

from pathlib import Path

from PySide6.QtGui import QImage

from tests.ui.shell_helpers import create_vault, make_window, two_windows, unlock
from trustvault.sync.service import SyncService
from ui.demo import Demo
from ui.dialogs.sharing import SharingDialog
from ui.main_window import MainWindow
from ui.pages.partner_page import PartnerPage
from ui.pages.timeline_page import TimelinePage
from ui.screenshots import SIZE, render_all
from ui.widgets.basics import qr_pixmap


def _partner_page(window: MainWindow) -> PartnerPage:
    page = window.page(PartnerPage)
    assert isinstance(page, PartnerPage)
    return page


def _timeline(window: MainWindow) -> TimelinePage:
    page = window.page(TimelinePage)
    assert isinstance(page, TimelinePage)
    return page


def test_pairing_through_the_partner_page(tmp_path: Path, qtbot) -> None:
    alex, sam = two_windows(tmp_path, qtbot)
    inviter, joiner = _partner_page(alex), _partner_page(sam)
    assert inviter.stack.currentIndex() == 0
    inviter.pairing.folder.setText(str(tmp_path / "sync"))
    inviter.pairing.long_code.setChecked(True)  # the long code's path
    inviter.pairing.invite()
    qtbot.waitUntil(lambda: bool(inviter.pairing.code.toPlainText()), timeout=5_000)
    assert not inviter.pairing.qr.pixmap().isNull()
    assert "checks the folder" in inviter.pairing.waiting.text()
    joiner.pairing.folder.setText(str(tmp_path / "sync"))
    joiner.pairing.join_code.setText(inviter.pairing.code.toPlainText())
    joiner.pairing.join()
    qtbot.waitUntil(lambda: alex.bridge.partner is not None and sam.bridge.partner is not None
                    and sam.bridge.pair_status == "paired", timeout=10_000)  # fmt: skip
    qtbot.waitUntil(lambda: inviter.stack.currentIndex() == 2 and joiner.stack.currentIndex() == 2)
    assert inviter.partner_heading.text() == "You and Sam are connected"
    assert joiner.partner_heading.text() == "You and Alex are connected"
    assert inviter.safety_number.text() == joiner.safety_number.text()
    inviter.verify_button.click()
    qtbot.waitUntil(lambda: alex.bridge.partner is not None and alex.bridge.partner.verified)
    assert inviter.verified.isVisibleTo(inviter) and inviter.verify_button.isHidden()
    assert "Alex" in [_timeline(sam).author_filter.itemText(i) for i in range(3)]
    assert inviter.sync_via.text() == f"Through the folder {(tmp_path / 'sync').resolve()}."


def test_sharing_a_private_entry_before_pairing(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    vault = unlock(window, qtbot)
    entry = vault.entries.add("checkin", {"mood": 5, "safety": 6, "note": "a quiet week"})
    dialog = SharingDialog(window.bridge, entry.id, window)
    qtbot.addWidget(dialog)
    assert dialog.state.text() == "Private: it never leaves this device."
    assert not dialog.share_button.isHidden() and dialog.withdraw_button.isHidden()
    assert not dialog.comment_box.isEnabled()
    assert "cannot undo what your partner has already read" in dialog.note.text()
    dialog.share()
    qtbot.waitUntil(lambda: vault.entries.get(entry.id).visibility == "shared")
    qtbot.waitUntil(lambda: dialog.withdraw_button.isVisibleTo(dialog))
    assert dialog.state.text() == "Shared: your partner will see it once you are paired."
    assert SyncService.REVOCATION_NOTE in dialog.note.text()
    window.bridge.lock()
    assert dialog.comments.count() == 0 and dialog.heading.text() == ""


def test_demo_revoke_and_regrant_show_up_in_the_other_window(tmp_path: Path, qtbot) -> None:
    demo = Demo(tmp_path, sync_interval_ms=150)
    alex, sam = demo.windows
    for window in demo.windows:
        qtbot.addWidget(window)
    demo.show()
    qtbot.waitUntil(lambda: alex.bridge.is_unlocked and sam.bridge.is_unlocked, timeout=10_000)
    assert alex.windowTitle() == "TrustVault — Alex (demo)"
    title = "I was not at the gym last Thursday"
    alex_q = alex.bridge.queries
    assert alex_q is not None
    entry = next(e for e in alex_q.all("disclosure") if e.title == title)
    sam_rows = _timeline(sam).model

    def sam_sees(predicate: object) -> bool:
        rows = [sam_rows.entry_at(i) for i in range(sam_rows.rowCount())]
        return any(r is not None and r.id == entry.id and predicate(r) for r in rows)  # type: ignore[operator]

    assert sam_sees(lambda r: r.title == title)
    dialog = _timeline(alex).show_sharing(entry.id)
    dialog.withdraw_now()
    qtbot.waitUntil(lambda: sam_sees(lambda r: r.visibility == "withdrawn"), timeout=10_000)
    row = next(i for i in range(sam_rows.rowCount()) if sam_rows.entry_at(i).id == entry.id)  # type: ignore[union-attr]
    assert sam_rows.index(row).data() == "A disclosure was withdrawn"
    assert sam_rows.state_of(sam_rows.entry_at(row)) == ("Withdrawn", "revoked", 0)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: dialog.share_button.text() == "Share again", timeout=5_000)
    dialog.share()
    qtbot.waitUntil(lambda: sam_sees(lambda r: r.title == title and r.visibility == "shared"),
                    timeout=10_000)  # fmt: skip
    demo.close()


def test_screenshots_render_every_main_screen(tmp_path: Path, qtbot) -> None:
    written = render_all(tmp_path / "shots")
    names = [p.name for p in written]
    assert names[:3] == ["welcome.png", "pairingcode.png", "unlock.png"]
    assert {"timeline.png", "calendar.png", "agreements.png", "checkins.png", "progress.png",
            "partner.png", "triggers.png", "triggers-log.png", "grounding.png"
            } <= set(names)  # fmt: skip
    assert names[-1] == "closing.png"
    for path in written:
        image = QImage(str(path))
        if path.name == "grounding.png":  # a dialog, at its own size
            assert image.width() >= 400 and image.height() >= 500
            continue
        assert (image.width(), image.height()) == SIZE
    assert not qr_pixmap("TV1-test").isNull()
