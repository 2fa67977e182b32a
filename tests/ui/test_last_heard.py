"""The Partner page and the sharing dialog say when Sam's device last synced, and calmly when it
has been quiet for more than a week; the dialog's words follow the entry's state.

The vaults are paired and synced by the core under a clock nine days back, then Alex's vault is
opened in a real window on today's clock and driven through its buttons offscreen.
"""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import PASSPHRASE, ManualClock
from tests.sync.sync_helpers import make_couple, pair_up
from tests.ui.crossing_helpers import click, go_to
from tests.ui.shell_helpers import unlock
from trustvault.clock import system_clock
from trustvault.sync.service import SyncService
from trustvault.vault import Vault
from ui.bridge import VaultBridge
from ui.dialogs.sharing import SharingDialog
from ui.main_window import MainWindow
from ui.pages.partner_page import PartnerPage
from ui.settings import AppSettings

QUIET = "Sam's device has not synced for 9 days. Entries wait in the sync folder until it does."


def _spoken(day: date) -> str:
    words = f"{day:%A} {day.day} {day:%B}"
    return words if day.year == system_clock().astimezone().year else f"{words} {day.year}"


def _quiet_week(
    tmp_path: Path, factory: pytest.TempPathFactory
) -> tuple[Path, Path, date, str, str]:
    """Alex's and Sam's vaults as nine days ago left them: one entry delivered, one on its way."""
    then = system_clock() - timedelta(days=9)
    c = make_couple(tmp_path, factory, ManualClock(then))
    pair_up(c)
    delivered = c.a.entries.add("milestone", {"title": "Told on the Sunday"})
    c.settle(2)
    waiting = c.a.entries.add("milestone", {"title": "Written after"})
    c.sa.sync()  # Sam's device has not synced since
    folders = (c.a.folder, c.b.folder)
    c.close()
    return *folders, then.astimezone().date(), delivered.id, waiting.id


def _window(tmp_path: Path, qtbot: Any, folder: Path) -> MainWindow:
    """Alex's window, unlocked, syncing only when "Sync now" is pressed (so the test knows
    whether a sync has reached the folder yet)."""
    settings = AppSettings(tmp_path / "settings.ini")
    window = MainWindow(VaultBridge(), settings, folder, sync_interval_ms=0)
    qtbot.addWidget(window)
    window.show()
    unlock(window, qtbot)
    return window


def _sync_now(qtbot: Any, window: MainWindow, partner: PartnerPage) -> None:
    done: list[object] = []
    window.bridge.sync_status.connect(done.append)
    try:
        click(qtbot, partner.sync_button)
        qtbot.waitUntil(lambda: bool(done), timeout=15_000)
    finally:
        window.bridge.sync_status.disconnect(done.append)


def test_a_quiet_week_is_said_calmly_and_the_words_follow_the_state(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, qtbot: Any
) -> None:
    alex_folder, sam_folder, then, delivered, waiting = _quiet_week(tmp_path, tmp_path_factory)
    window = _window(tmp_path, qtbot, alex_folder)
    partner = go_to(qtbot, window, PartnerPage)
    assert partner.last_heard.text() == f"Last heard from Sam's device: {_spoken(then)}"
    assert partner.quiet_note.isHidden()  # no sync yet: the silence may be this device's
    pending = SharingDialog(window.bridge, waiting, window)
    qtbot.addWidget(pending)
    assert pending.state.text() == (
        f"Shared; it waits for Sam's device, which last synced on {_spoken(then)}."
    )

    _sync_now(qtbot, window, partner)  # reaches the folder; nothing new comes
    assert partner.quiet_note.isVisibleTo(partner) and partner.quiet_note.text() == QUIET
    assert partner.quiet_note.property("role") != "error"  # calm, not an alarm
    assert pending.state.text() == (
        f"Shared; it waits for Sam's device, which last synced on {_spoken(then)}. {QUIET}"
    )
    told = SharingDialog(window.bridge, delivered, window)
    qtbot.addWidget(told)
    assert told.state.text() == (
        f"Delivered to Sam's device on {_spoken(then)}. That means it is there, not that Sam"
        " has read it."
    )

    with Vault.unlock(sam_folder, PASSPHRASE) as sam:  # Sam opens the app, today
        SyncService(sam).sync()
    _sync_now(qtbot, window, partner)
    assert partner.last_heard.text() == "Last heard from Sam's device: today"
    assert partner.quiet_note.isHidden()
    with Vault.unlock(sam_folder, PASSPHRASE) as sam:  # its receipt for what came
        SyncService(sam).sync()
    _sync_now(qtbot, window, partner)
    qtbot.waitUntil(lambda: pending.state.text().startswith("Delivered to Sam's device today."))
    window.bridge.lock()


def test_a_withdrawal_pending_says_when_sams_device_last_synced(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, qtbot: Any
) -> None:
    alex_folder, _, then, delivered, _ = _quiet_week(tmp_path, tmp_path_factory)
    window = _window(tmp_path, qtbot, alex_folder)
    dialog = SharingDialog(window.bridge, delivered, window)
    qtbot.addWidget(dialog)
    dialog.withdraw_now()
    qtbot.waitUntil(lambda: dialog.state.text().startswith("Withdrawal pending"))
    pending = (
        "Withdrawal pending: it leaves Sam's device when that device next syncs (it last synced"
        f" on {_spoken(then)}). Until then Sam can still read it."
    )
    assert dialog.state.text() == pending  # no sync reached the folder: no word on the silence
    _sync_now(qtbot, window, go_to(qtbot, window, PartnerPage))
    assert dialog.state.text() == f"{pending} {QUIET}"
    window.bridge.lock()
