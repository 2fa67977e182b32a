"""The shell offscreen: first-run wizard, unlock (and a wrong passphrase), locking, the bridge."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

from tests.ui.shell_helpers import PASSPHRASE, SECRET, create_vault, make_window, texts_in, unlock
from trustvault.actions import Actions
from trustvault.errors import InvalidField, WrongPassphrase
from trustvault.vault import Vault
from ui import theme
from ui.bridge import UNEXPECTED, VaultBridge
from ui.dialogs.preferences import PreferencesDialog
from ui.pages.partner_page import PartnerPage
from ui.pages.timeline_page import TimelinePage
from ui.unlock import UnlockScreen
from ui.widgets.strength_meter import passphrase_strength
from ui.wizard import SetupWizard


def test_wizard_creates_the_vault_and_opens_it(tmp_path: Path, qtbot) -> None:
    window = make_window(tmp_path, qtbot)
    wizard = window.gate
    assert isinstance(wizard, SetupWizard)
    assert not wizard.remember.isHidden()  # the in-memory keyring counts as a real keychain here
    wizard.next()  # past "Before you begin"
    wizard.name.setText("Alex")
    wizard.next()
    wizard.passphrase.setText(PASSPHRASE)
    assert wizard.strength.text() == "Fair"
    wizard.repeat.setText(PASSPHRASE)
    wizard.next()
    assert wizard.folder.text() == str(tmp_path / "vault")
    wizard.next()
    assert wizard.busy.isVisibleTo(wizard)
    qtbot.waitUntil(lambda: window.bridge.is_unlocked, timeout=10_000)
    assert Vault.exists(tmp_path / "vault")
    assert window.windowTitle() == "TrustVault — Alex"
    assert window.root.currentWidget() is window.app_area
    assert window.settings.vault_dir == tmp_path / "vault"
    # A new vault opens on pairing, the next step, and says so (not "last opened").
    assert isinstance(window.current_page(), PartnerPage)
    assert window.current_page().stack.currentIndex() == 0  # the pairing view
    assert window.statusBar().currentMessage().startswith("Your vault is ready. Next, connect")


def test_first_run_says_what_the_app_never_does_and_when_not_to_use_it(
    tmp_path: Path, qtbot
) -> None:
    """Before a name is asked for: the promise, the warning and where to find help; nothing is
    created by reading it, and Back returns to it."""
    window = make_window(tmp_path, qtbot)
    wizard = window.gate
    assert isinstance(wizard, SetupWizard)
    shown = " ".join(p.text() for p in wizard.intro).replace("\u00a0", " ")
    assert wizard.steps.currentIndex() == 0 and all(p.isVisible() for p in wizard.intro)
    for words in ("never captures your screen, your location, your messages",
                  "Do not use TrustVault if there is violence, threats or fear",
                  "1-800-799-7233", "0808 2000 247"):  # fmt: skip
        assert words in shown
    assert wizard.next_button.text() == "I understand, continue"
    assert not wizard.back_button.isVisible()
    wizard.next()
    assert wizard.steps.currentIndex() == 1
    wizard.back()
    assert wizard.steps.currentIndex() == 0
    assert not Vault.exists(tmp_path / "vault")


def test_wizard_refuses_different_passphrases(tmp_path: Path, qtbot) -> None:
    window = make_window(tmp_path, qtbot)
    wizard = window.gate
    assert isinstance(wizard, SetupWizard)
    wizard.next()  # past "Before you begin"
    wizard.next()
    assert wizard.steps.currentIndex() == 1
    assert "name" in wizard.message.text()
    wizard.name.setText("Alex")
    wizard.next()
    wizard.passphrase.setText(PASSPHRASE)
    wizard.repeat.setText(PASSPHRASE + "!")
    wizard.next()
    assert wizard.steps.currentIndex() == 2
    assert "different" in wizard.message.text()
    assert not Vault.exists(tmp_path / "vault")


def test_wizard_remembers_the_key_when_asked(tmp_path: Path, qtbot, memory_keyring) -> None:
    window = make_window(tmp_path, qtbot)
    wizard = window.gate
    assert isinstance(wizard, SetupWizard)
    wizard.name.setText("Alex")
    wizard.passphrase.setText(PASSPHRASE)
    wizard.repeat.setText(PASSPHRASE)
    wizard.remember.setChecked(True)
    wizard.create_vault()
    qtbot.waitUntil(lambda: window.bridge.is_unlocked, timeout=10_000)
    vault_id = window.bridge.queries.vault_id
    assert window.settings.remembered_vault_id(tmp_path / "vault") == vault_id
    assert ("TrustVault", vault_id) in memory_keyring.items
    window.bridge.lock()
    unlock_screen = window.gate
    assert isinstance(unlock_screen, UnlockScreen)
    assert not unlock_screen.saved_key_button.isHidden()
    unlock_screen.saved_key_button.click()
    qtbot.waitUntil(lambda: window.bridge.is_unlocked, timeout=10_000)
    window.close()
    again = make_window(tmp_path, qtbot)  # a new start opens with the saved key, no prompt
    qtbot.waitUntil(lambda: again.bridge.is_unlocked, timeout=10_000)


def test_unlock_with_a_wrong_then_the_right_passphrase(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    screen = window.gate
    assert isinstance(screen, UnlockScreen)
    assert window.windowTitle() == "TrustVault"
    qtbot.keyClicks(screen.passphrase, "not my passphrase")
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    assert not screen.unlock_button.isEnabled()  # busy while Argon2id runs on the worker
    qtbot.waitUntil(lambda: screen.message.isVisibleTo(screen), timeout=10_000)
    assert screen.message.text() == WrongPassphrase().message
    assert screen.unlock_button.isEnabled()
    assert not window.bridge.is_unlocked
    screen.passphrase.setText(PASSPHRASE)
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: window.bridge.is_unlocked, timeout=10_000)
    assert window.windowTitle() == "TrustVault — Alex"


def _seed(vault: Vault) -> None:
    vault.entries.add_many([
        ("disclosure", {"title": f"About the {SECRET}", "body": "more words",
                        "occurred_on": "2026-10-01"}, None),
        ("checkin", {"mood": 6, "safety": 7, "note": f"thinking of the {SECRET}"}, None),
        ("agreement", {"title": "Phones stay open", "text": f"Even at the {SECRET}"}, None),
    ])  # fmt: skip


def _no_secret_left(window: object) -> None:
    leftovers = [t for t in texts_in(window) if SECRET.lower() in t.lower()]  # type: ignore[arg-type]
    assert leftovers == []


def test_idle_lock_clears_every_view(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    _seed(unlock(window, qtbot))
    window.bridge.changed.emit()
    timeline = window.page(TimelinePage)
    assert isinstance(timeline, TimelinePage)
    assert timeline.model.rowCount() == 3
    assert any(SECRET in t for t in texts_in(window))  # the sweep does see decrypted text
    entry = timeline.model.entry_at(0)
    assert entry is not None
    timeline.show_history(entry.id)
    window.search_box.setText(SECRET)
    for page in window.page_widgets:  # every page has loaded while unlocked
        window.pages.setCurrentWidget(page)
        qtbot.wait(5)
    window.idle.set_interval(80)
    qtbot.waitUntil(lambda: not window.bridge.is_unlocked, timeout=5_000)
    assert isinstance(window.gate, UnlockScreen)
    assert timeline.model.rowCount() == 0
    assert not [d for d in window.findChildren(QDialog) if d.isVisible()]
    assert window.search_box.text() == ""
    _no_secret_left(window)


def test_activity_postpones_the_idle_lock(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    unlock(window, qtbot)
    # Twelve keys 250 ms apart outlast a 2 s idle time; each gap leaves 1.75 s for a loaded machine.
    window.idle.set_interval(2_000)
    for _ in range(12):
        qtbot.wait(250)
        qtbot.keyClick(window.search_box, Qt.Key.Key_Shift)
    assert window.bridge.is_unlocked
    qtbot.waitUntil(lambda: not window.bridge.is_unlocked, timeout=5_000)


def test_ctrl_l_locks_and_the_passphrase_reopens(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    _seed(unlock(window, qtbot))
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=2_000)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not window.bridge.is_unlocked
    _no_secret_left(window)
    screen = window.gate
    assert isinstance(screen, UnlockScreen)
    screen.passphrase.setText(PASSPHRASE)
    screen.unlock()
    qtbot.waitUntil(lambda: window.bridge.is_unlocked, timeout=10_000)
    timeline = window.page(TimelinePage)
    assert isinstance(timeline, TimelinePage)
    assert timeline.model.rowCount() == 3


def test_write_reports_field_errors_and_bugs_in_one_line(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    unlock(window, qtbot)
    errors: list[str] = []
    window.bridge.write(lambda a: a.add("checkin", {"mood": 11, "safety": 2}),
                        on_error=errors.append)  # fmt: skip
    qtbot.waitUntil(lambda: bool(errors))
    assert errors == [InvalidField("mood", "must be a whole number from 1 to 10, not 11").message]

    def broken() -> None:
        raise RuntimeError("a bug, with a secret in its message")

    with qtbot.waitSignal(window.bridge.error) as blocker:
        window.bridge.run(broken)
    assert blocker.args == [UNEXPECTED]


def test_results_computed_after_a_lock_are_dropped(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    bridge = VaultBridge()
    bridge.open_vault(Actions.unlock(tmp_path / "vault", PASSPHRASE))
    got: list[object] = []
    bridge.read(lambda q: q.count(), got.append)
    bridge.lock()
    bridge.wait_idle()
    qtbot.wait(50)
    assert got == []
    assert bridge.actions is None


def test_clipboard_is_wiped_but_only_if_still_ours(qtbot) -> None:
    bridge = VaultBridge()
    clipboard = QGuiApplication.clipboard()
    bridge.copy_to_clipboard("a private sentence", seconds=0.05)
    assert clipboard.text() == "a private sentence"
    mime = clipboard.mimeData()
    assert mime.data("x-kde-passwordManagerHint").data() == b"secret"
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=2_000)
    bridge.copy_to_clipboard("ours", seconds=0.05)
    clipboard.setText("someone else's")
    qtbot.wait(150)
    assert clipboard.text() == "someone else's"


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("", 0),
        ("short", 0),
        ("password123", 1),
        ("aaaaaaaaaaaa", 1),
        ("Tr0mbone!", 2),
        ("correct horse battery", 2),
        ("correct horse battery staple", 3),
        ("correct horse battery staple lantern", 4),
        ("x7#Lq9!vR2@m$Pz4", 4),
    ],
)
def test_passphrase_strength(text: str, score: int) -> None:
    assert passphrase_strength(text) == score


def test_preferences_change_lock_time_theme_and_keychain(
    tmp_path: Path, qtbot, qapp, memory_keyring
) -> None:
    theme.Theme(qapp, forced="light")
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    vault = unlock(window, qtbot)
    window.show_preferences()
    dialog = window.findChild(PreferencesDialog)
    assert isinstance(dialog, PreferencesDialog)
    dialog.minutes.setValue(12)
    assert window.settings.idle_minutes == 12
    assert window.idle.interval_ms == 12 * 60_000
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    assert theme.colors().dark and window.settings.theme == "dark"
    dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
    assert not theme.colors().dark
    dialog.remember.setChecked(True)
    qtbot.waitUntil(lambda: ("TrustVault", vault.vault_id) in memory_keyring.items, timeout=15_000)
    assert window.settings.remembered_vault_id(vault.folder) == vault.vault_id
    dialog.remember.setChecked(False)
    qtbot.waitUntil(lambda: memory_keyring.items == {}, timeout=15_000)
    assert window.settings.remembered_vault_id(vault.folder) is None
    window.bridge.lock()
    assert not dialog.isVisible()


def test_unlocking_says_when_the_vault_was_last_opened_here(tmp_path: Path, qtbot) -> None:
    """So the owner notices an opening that was not theirs; the first one says nothing."""
    window = make_window(tmp_path, qtbot)
    create_vault(window.folder)  # created (and so opened) a moment ago
    window.show_gate()
    unlock(window, qtbot)
    message = window.statusBar().currentMessage()
    assert message.startswith("Last opened on this device today at "), message
    assert window.statusBar().isVisible()
