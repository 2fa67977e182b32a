"""Vault > Change passphrase…: checked against the current one, Argon2id on the worker."""

from pathlib import Path

import pytest

from tests.helpers import MemoryKeyring
from tests.ui.shell_helpers import PASSPHRASE, create_vault, make_window, unlock
from trustvault.errors import CorruptFile, WrongPassphrase
from trustvault.vault import Vault
from ui.dialogs.change_passphrase import (
    DONE,
    DONE_REKEYED,
    OLD_COPIES,
    REKEY_NOTE,
    WRONG_CURRENT,
    ChangePassphraseDialog,
)
from ui.main_window import MainWindow

NEW = "lantern orchard pebble willow"


def _open_dialog(tmp_path: Path, qtbot) -> tuple[MainWindow, ChangePassphraseDialog]:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    unlock(window, qtbot)
    vault_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in vault_menu.actions()]  # type: ignore[union-attr]
    assert "Change passphrase…" in texts
    window.change_passphrase_action.trigger()
    dialog = window.findChild(ChangePassphraseDialog)
    assert isinstance(dialog, ChangePassphraseDialog) and dialog.isVisible()
    return window, dialog


def test_changing_the_passphrase(tmp_path: Path, qtbot) -> None:
    window, dialog = _open_dialog(tmp_path, qtbot)
    assert not dialog.rekey.isChecked()  # re-wrapping only, unless the person asks for more
    assert dialog.rekey_note.text() == OLD_COPIES and dialog.rekey_note.isVisibleTo(dialog)
    dialog.current.setText(PASSPHRASE)
    dialog.new.setText(NEW)
    assert dialog.meter.words.text() == "Good"
    dialog.repeat.setText(NEW)
    dialog.change()
    assert not dialog.change_button.isEnabled()  # Argon2id runs on the worker, not here
    assert dialog.busy.isVisibleTo(dialog)
    qtbot.waitUntil(lambda: dialog.done_note.isVisibleTo(dialog), timeout=10_000)
    assert dialog.done_note.text() == DONE
    assert dialog.rekey_note.text() == OLD_COPIES and dialog.rekey_note.isVisibleTo(dialog)
    assert dialog.current.text() == dialog.new.text() == dialog.repeat.text() == ""
    assert window.bridge.is_unlocked  # the open vault carries on
    Vault.unlock(tmp_path / "vault", NEW).close()
    with pytest.raises(WrongPassphrase):
        Vault.unwrap_key(tmp_path / "vault", PASSPHRASE)


def test_re_encrypting_forgets_the_old_key_and_offers_the_new_one(
    tmp_path: Path, qtbot, memory_keyring: MemoryKeyring
) -> None:
    window, dialog = _open_dialog(tmp_path, qtbot)
    folder = tmp_path / "vault"
    actions = window.bridge.actions
    assert actions is not None and actions.remember_key()
    old_key_file = (folder / "vault.key").read_bytes()
    dialog.rekey.setChecked(True)
    assert dialog.rekey_note.text() == REKEY_NOTE
    dialog.current.setText(PASSPHRASE)
    dialog.new.setText(NEW)
    dialog.repeat.setText(NEW)
    dialog.change()
    assert dialog.change_button.text() == "Re-encrypting…" and not dialog.rekey.isEnabled()
    qtbot.waitUntil(lambda: dialog.done_note.isVisibleTo(dialog), timeout=10_000)
    assert dialog.done_note.text() == DONE_REKEYED
    assert dialog.rekey_note.isHidden() and dialog.rekey.isHidden()
    assert memory_keyring.items == {}  # the old key opens nothing now
    assert dialog.remember_note.isVisibleTo(dialog)

    dialog.remember_button.click()
    qtbot.waitUntil(lambda: bool(memory_keyring.items), timeout=10_000)
    (stored,) = memory_keyring.items.values()
    assert bytes.fromhex(stored) == Vault.unwrap_key(folder, NEW)
    qtbot.waitUntil(lambda: dialog.remember_button.isHidden(), timeout=10_000)
    assert "remembered" in dialog.remember_note.text()
    assert window.bridge.is_unlocked  # the open vault carries on, under the new key
    window.bridge.lock()
    assert window.bridge.wait_idle()
    (folder / "vault.key").write_bytes(old_key_file)
    with pytest.raises(CorruptFile):
        Vault.unlock(folder, PASSPHRASE)


def test_a_wrong_current_passphrase_changes_nothing(tmp_path: Path, qtbot) -> None:
    _window, dialog = _open_dialog(tmp_path, qtbot)
    dialog.current.setText("not my passphrase")
    dialog.new.setText(NEW)
    dialog.repeat.setText(NEW)
    dialog.change()
    qtbot.waitUntil(lambda: dialog.message.isVisibleTo(dialog), timeout=10_000)
    assert dialog.message.text() == WRONG_CURRENT
    assert dialog.change_button.isEnabled() and dialog.done_note.isHidden()
    Vault.unlock(tmp_path / "vault", PASSPHRASE).close()


@pytest.mark.parametrize(
    ("current", "new", "repeat", "words"),
    [
        ("", NEW, NEW, "current passphrase"),
        (PASSPHRASE, "short", "short", "at least"),
        (PASSPHRASE, NEW, NEW + "!", "different"),
        (PASSPHRASE, PASSPHRASE, PASSPHRASE, "same as the current"),
    ],
)
def test_the_form_is_checked_before_any_work(
    tmp_path: Path, qtbot, current: str, new: str, repeat: str, words: str
) -> None:
    _window, dialog = _open_dialog(tmp_path, qtbot)
    dialog.current.setText(current)
    dialog.new.setText(new)
    dialog.repeat.setText(repeat)
    dialog.change()
    assert words in dialog.message.text()
    assert dialog.change_button.isEnabled()


def test_locking_closes_the_dialog_and_forgets_what_was_typed(tmp_path: Path, qtbot) -> None:
    window, dialog = _open_dialog(tmp_path, qtbot)
    dialog.current.setText(PASSPHRASE)
    dialog.new.setText(NEW)
    window.bridge.lock()
    assert dialog.current.text() == "" and dialog.new.text() == ""
    assert not dialog.isVisible()
    assert window.menuBar().isHidden()


def test_enter_in_the_last_field_changes_once_and_says_it_worked(tmp_path: Path, qtbot) -> None:
    """Enter used to run the change twice (the field's returnPressed and the default button):
    the second, with the old passphrase, failed and said so over a change that had worked."""
    from PySide6.QtCore import Qt

    window, dialog = _open_dialog(tmp_path, qtbot)
    qtbot.keyClicks(dialog.current, PASSPHRASE)
    qtbot.keyClicks(dialog.new, NEW)
    qtbot.keyClicks(dialog.repeat, NEW)
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.done_note.isVisibleTo(dialog), timeout=10_000)
    window.bridge.wait_idle()
    qtbot.wait(50)  # a second run's failure, had there been one, arrives after the first
    assert dialog.done_note.text() == DONE and not dialog.message.isVisibleTo(dialog)
    assert dialog.isVisible()
    Vault.unlock(tmp_path / "vault", NEW).close()
