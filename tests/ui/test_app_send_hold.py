"""The hold before sending, in two app windows on real vaults paired through a real folder.

Alex sets the hold in Preferences and shares from the New menu; the row counts down ("Sending
in 3:12") and Sam's window shows nothing while it waits, nor after Alex clicks Undo in the
sharing dialog; every blob in the folder, opened with Alex's own channel key, holds none of the
undone entry's words. A share left alone reaches Sam's window once the hold has passed. Both
vaults run on one :class:`ManualClock`, so the hold passes when the test says; the last test
uses the real clock and a two-second hold to show that the app syncs by itself when a hold ends.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer

from tests.helpers import PASSPHRASE, ManualClock
from tests.sync.sync_helpers import blobs_in, open_blob_as_sender
from tests.ui.crossing_helpers import (
    WAIT,
    click,
    go_to,
    open_dialog,
    pair,
    row_titled,
    row_words,
    settled,
    share_new,
    sharing_of,
    shows,
    sync_rounds,
    wait_for_row,
)
from tests.ui.shell_helpers import create_vault, make_window
from trustvault.actions import Actions
from trustvault.clock import Clock, system_clock
from trustvault.vault import Vault
from ui.dialogs.preferences import PreferencesDialog
from ui.main_window import MainWindow
from ui.pages.timeline_page import TimelinePage


def _couple(tmp_path: Path, qtbot, clock: Clock) -> tuple[MainWindow, MainWindow, bytes]:
    """Alex's and Sam's windows on vaults that read ``clock``, paired through their pages;
    also Alex's vault key (to open what Alex's device put in the folder)."""
    windows, keys = [], []
    for name in ("Alex", "Sam"):
        folder = tmp_path / name.lower()
        create_vault(folder, name)
        window = make_window(tmp_path / name[0].lower(), qtbot, folder)
        window.bridge.enable_sync(150)
        vault = Vault.unlock(folder, PASSPHRASE, clock=clock)
        keys.append(vault.key)
        window.bridge.open_vault(Actions(vault))
        windows.append(window)
    alex, sam = windows
    pair(qtbot, alex, sam, tmp_path / "sync")
    for window in (alex, sam):
        go_to(qtbot, window, TimelinePage)
    return alex, sam, keys[0]


class FolderHistory:
    """Every blob that was in the sync folder at any moment of the test: the folder is read
    every 30 ms (a blob stays there for at least two sync rounds of 150 ms)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.seen: set[bytes] = set()
        self.timer = QTimer()
        self.timer.timeout.connect(self.look)
        self.timer.start(30)

    def look(self) -> None:
        self.seen.update(blob for _name, blob in blobs_in(self.folder))

    def sealed_by(self, vault_folder: Path, key: bytes) -> bytes:
        """What those blobs hold that the vault's device sealed, opened with its own key."""
        self.timer.stop()
        self.look()
        with Vault.open_with_key(vault_folder, key) as vault:
            opened = [open_blob_as_sender(vault, blob) for blob in self.seen]
        return b"\n".join(p for p in opened if p is not None)


def _set_hold_in_preferences(qtbot, window: MainWindow, minutes: int) -> None:
    vault_menu = window.menuBar().actions()[0].menu()
    next(a for a in vault_menu.actions() if a.text() == "Preferences…").trigger()  # type: ignore[union-attr]
    preferences = open_dialog(window, PreferencesDialog)
    spin = preferences.send_hold
    assert spin.isVisible() and spin.value() == 0
    for _ in range(minutes):
        qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert spin.value() == minutes
    window.bridge.wait_idle()
    assert window.bridge.queries is not None
    assert window.bridge.queries.send_hold() == timedelta(minutes=minutes)
    preferences.reject()


@pytest.mark.crossing("set_send_hold", "withdraw", face="app")
def test_undo_within_the_hold_and_a_share_that_waits_its_hold(tmp_path: Path, qtbot) -> None:
    clock = ManualClock()
    alex, sam, alex_key = _couple(tmp_path, qtbot, clock)
    history = FolderHistory(tmp_path / "sync")
    _set_hold_in_preferences(qtbot, alex, 5)

    share_new(qtbot, alex, "Milestone", "UNDONE-PANGOLIN")
    regret = wait_for_row(qtbot, alex, "UNDONE-PANGOLIN")
    assert row_words(alex, regret.id).endswith("Sending in 5:00.")
    settled(qtbot, alex, sam)
    assert row_titled(sam, "UNDONE-PANGOLIN") is None
    clock.advance(minutes=1, seconds=48)  # the row counts down by itself, once a second
    shows(qtbot, "Alex's timeline row", lambda: row_words(alex, regret.id), "Sending in 3:12")

    sharing = sharing_of(qtbot, alex, regret.id)
    shows(qtbot, "Alex's sharing dialog", sharing.state.text, "Sending in 3:12 — Undo")
    assert sharing.withdraw_button.isHidden()  # nothing left: no "cannot undo a reading" here
    click(qtbot, sharing.undo_button)
    shows(qtbot, "Alex's sharing dialog", sharing.state.text, "Private: it never leaves")
    shows(qtbot, "Alex's timeline row", lambda: row_words(alex, regret.id), "Private.")
    assert sharing.share_button.isVisible()
    sharing.reject()

    share_new(qtbot, alex, "Milestone", "Waits five minutes")
    later = wait_for_row(qtbot, alex, "Waits five minutes")
    settled(qtbot, alex, sam)
    assert row_titled(sam, "Waits five minutes") is None
    assert row_titled(sam, "UNDONE-PANGOLIN") is None
    clock.advance(minutes=5)
    wait_for_row(qtbot, sam, "Waits five minutes")
    shows(qtbot, "Alex's timeline row", lambda: row_words(alex, later.id), "Delivered")
    settled(qtbot, alex, sam)
    assert row_titled(sam, "UNDONE-PANGOLIN") is None
    sealed = history.sealed_by(tmp_path / "alex", alex_key)
    assert b"Waits five minutes" in sealed  # the scan can fail: it opens what Alex sent
    assert b"UNDONE-PANGOLIN" not in sealed and regret.id.encode() not in sealed


def test_the_app_syncs_when_a_hold_ends(tmp_path: Path, qtbot) -> None:
    """Timed rounds every minute only: the share still reaches Sam's window within seconds,
    because Alex's syncs the moment the hold ends (and Sam's sees the folder change)."""
    alex, sam, _key = _couple(tmp_path, qtbot, system_clock)
    for window in (alex, sam):
        window.bridge.enable_sync(60_000)
    alex.bridge.wait_idle()
    assert alex.bridge.actions is not None
    alex.bridge.write(lambda a: a.set_send_hold(timedelta(seconds=2)))
    alex.bridge.wait_idle()
    share_new(qtbot, alex, "Milestone", "Leaves on time")
    sync_rounds(qtbot, alex, 1)  # the round right after the write sends nothing yet
    assert row_titled(sam, "Leaves on time") is None
    wait_for_row(qtbot, sam, "Leaves on time")
    assert WAIT < 60_000  # a timed round could not have done it
