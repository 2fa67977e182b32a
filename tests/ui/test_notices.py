"""Notifications (a count, never content), unread marks, the tray menu and reminders."""

from datetime import UTC, datetime
from pathlib import Path

from tests.helpers import PASSPHRASE, ManualClock
from tests.ui.crossing_helpers import (
    double_click_row,
    open_dialog,
    paired_couple,
    row_words,
    share_new,
    wait_for_row,
)
from tests.ui.shell_helpers import create_vault, make_window, unlock
from trustvault.actions import Actions
from trustvault.vault import Vault
from ui.dialogs.sharing import SharingDialog


def test_a_count_and_a_new_mark_for_what_the_partner_sent(tmp_path: Path, qtbot) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    said: dict[str, list[tuple[str, str]]] = {"alex": [], "sam": []}
    alex.notices.shown.connect(lambda t, m: said["alex"].append((t, m)))
    sam.notices.shown.connect(lambda t, m: said["sam"].append((t, m)))

    share_new(qtbot, alex, "Disclosure", "I kept the second phone")
    first = wait_for_row(qtbot, sam, "I kept the second phone")
    qtbot.waitUntil(lambda: said["sam"] == [("TrustVault", "1 update")])
    assert row_words(sam, first.id).startswith("New. Disclosure by Alex")
    assert not row_words(alex, first.id).startswith("New.")  # one's own entry is no news

    sam.settings.discreet = True
    sam._set_title()
    share_new(qtbot, alex, "Milestone", "Ninety days")
    second = wait_for_row(qtbot, sam, "Ninety days")
    qtbot.waitUntil(lambda: len(said["sam"]) == 2)
    assert said["sam"][1] == ("Notes", "1 update")  # the neutral name, and no title ever
    assert row_words(sam, second.id).startswith("New.")

    double_click_row(qtbot, sam, first.id)  # opening it is reading it: the mark goes
    open_dialog(sam, SharingDialog).reject()
    assert not row_words(sam, first.id).startswith("New.")
    assert row_words(sam, second.id).startswith("New.")

    sam.settings.notifications = False
    share_new(qtbot, alex, "Milestone", "A hundred days")
    third = wait_for_row(qtbot, sam, "A hundred days")
    assert row_words(sam, third.id).startswith("New.")
    assert len(said["sam"]) == 2, "a notification was shown with notifications switched off"
    assert said["alex"] == []  # receipts and Alex's own shares are not news on Alex's side


def test_the_tray_menu_opens_locks_and_hides_when_discreet(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    unlock(window, qtbot)
    menu = window.notices.menu
    assert [a.text() for a in menu.actions() if a.isVisible()] == ["Open", "Lock now"]
    window.showMinimized()
    window.notices.open_action.trigger()
    assert not window.isMinimized() and window.bridge.is_unlocked
    window.notices.lock_action.trigger()
    assert not window.bridge.is_unlocked
    window.settings.discreet = True
    window.notices.apply()
    assert window.notices.hide_action.isVisible() and window.notices.title == "Notes"
    window.settings.tray = False
    window.notices.apply()
    assert window.notices.icon is None  # off means no icon, where a tray exists too


def test_reminders_fire_once_when_due_and_not_when_switched_off(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    clock = ManualClock(datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    vault = Vault.unlock(tmp_path / "vault", PASSPHRASE, clock=clock)
    with_default = {"title": "Therapy", "start": "2026-11-01T11:00:00Z",
                    "end": "2026-11-01T12:00:00Z"}  # fmt: skip
    vault.entries.add("event", with_default)  # no alarm: the default, 30 minutes before
    vault.entries.add("event", {"title": "Date night", "start": "2026-11-01T12:00:00Z",
                                "end": "2026-11-01T14:00:00Z", "alarms": ["-PT15M"]})  # fmt: skip
    vault.entries.add("event", {"title": "Long ago", "start": "2026-10-01T12:00:00Z",
                                "end": "2026-10-01T13:00:00Z"})  # fmt: skip
    window = make_window(tmp_path, qtbot)
    said: list[tuple[str, str]] = []
    window.notices.shown.connect(lambda t, m: said.append((t, m)))
    reminders = window.reminders
    window.bridge.open_vault(Actions(vault))
    qtbot.waitUntil(lambda: reminders.timer.isActive())
    assert said == []  # nothing is due at 9:00
    assert 89 * 60_000 < reminders.timer.remainingTime() <= 90 * 60_000 + 1_000  # 10:30, one timer

    clock.advance(minutes=91)  # 10:31: what the timer wakes to
    reminders.check()
    assert said == [("TrustVault", "1 reminder")]  # a count, not "Therapy"
    reminders.check()
    assert said == [("TrustVault", "1 reminder")]  # once
    assert 73 * 60_000 < reminders.timer.remainingTime() <= 74 * 60_000 + 1_000  # next: 11:45

    window.settings.reminders = False
    window.notices_changed()
    clock.advance(minutes=75)
    reminders.check()
    assert said == [("TrustVault", "1 reminder")] and not reminders.timer.isActive()
