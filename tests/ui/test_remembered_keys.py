"""One remembered-key map for the CLI and the app: a key remembered by either opens both."""

import io
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.ui.shell_helpers import PASSPHRASE, create_vault, make_window
from trustvault import remembered
from ui.settings import AppSettings, _folder_key
from ui.unlock import UnlockScreen


def _cli(folder: Path, tmp_path: Path, *args: str) -> tuple[int, str]:
    (pass_file := tmp_path / "pass").write_text(PASSPHRASE)
    done = run_cli(folder, "--passphrase-file", str(pass_file), *args)
    return done.code, done.err


def test_a_key_the_cli_remembered_opens_the_app_unasked(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    assert _cli(tmp_path / "vault", tmp_path, "remember") == (0, "")
    window = make_window(tmp_path, qtbot)
    qtbot.waitUntil(lambda: window.bridge.is_unlocked, timeout=10_000)


def test_a_key_the_app_remembered_serves_the_cli(
    tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    screen = window.gate
    assert isinstance(screen, UnlockScreen)
    screen.passphrase.setText(PASSPHRASE)
    screen.remember.setChecked(True)
    screen.unlock()
    qtbot.waitUntil(lambda: window.bridge.is_unlocked, timeout=10_000)
    vault_id = window.bridge.queries.vault_id
    assert remembered.remembered_vault_id(tmp_path / "vault") == vault_id
    window.close()
    monkeypatch.delenv("TRUSTVAULT_PASSPHRASE", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no passphrase anywhere
    done = run_cli(tmp_path / "vault", "list")
    assert done.code == 0, done.err
    assert "No entries." in done.out


def test_an_entry_older_versions_kept_in_qsettings_moves_to_the_shared_map(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "vault"
    settings = AppSettings(tmp_path / "settings.ini")
    settings.qs.setValue(f"keychain/{_folder_key(folder)}", "vault-id-from-before")
    assert settings.remembered_vault_id(folder) == "vault-id-from-before"
    assert remembered.remembered_vault_id(folder) == "vault-id-from-before"
    assert settings.qs.value(f"keychain/{_folder_key(folder)}") is None


def test_a_key_saved_for_an_older_vault_in_the_folder_asks_for_the_passphrase(
    tmp_path: Path, qtbot
) -> None:
    folder = tmp_path / "vault"
    create_vault(folder)
    assert _cli(folder, tmp_path, "remember") == (0, "")
    for child in folder.iterdir():
        child.unlink()
    create_vault(folder, "Alex again")  # same folder, new vault: the saved key is stale
    window = make_window(tmp_path, qtbot)
    screen = window.gate
    assert isinstance(screen, UnlockScreen)
    qtbot.waitUntil(lambda: screen.message.isVisibleTo(screen), timeout=10_000)
    assert "does not open this vault" in screen.message.text()
    assert not window.bridge.is_unlocked
    screen.passphrase.setText(PASSPHRASE)
    screen.unlock()
    qtbot.waitUntil(lambda: window.bridge.is_unlocked, timeout=10_000)
