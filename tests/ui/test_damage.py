"""Damage inside vault.db found after opening reaches the person as one plain line, no traceback."""

from pathlib import Path

import pytest
import sqlcipher3

from tests.helpers import damaged_vault
from tests.ui.shell_helpers import PASSPHRASE, create_vault
from trustvault.actions import Actions
from trustvault.errors import CorruptFile
from trustvault.paths import DB_NAME
from trustvault.queries import Queries
from trustvault.vault import Vault
from ui.bridge import UNEXPECTED, VaultBridge, report_exception


def _read_everything(q: Queries) -> int:
    return len(q.all("disclosure"))


def test_damage_found_by_a_worker_read_is_the_corrupt_file_line(tmp_path: Path, qtbot) -> None:
    folder = tmp_path / "vault"
    damaged_vault(folder)
    bridge = VaultBridge()
    bridge.open_vault(Actions.unlock(folder, PASSPHRASE))
    with qtbot.waitSignal(bridge.error, timeout=10_000) as blocker:
        bridge.read(_read_everything, lambda _n: None)
    expected = CorruptFile(folder / DB_NAME, "a part of it cannot be read").message
    assert blocker.args == [expected]
    assert "vault.db is damaged" in expected
    bridge.shutdown()


def test_damage_found_by_a_read_on_the_ui_thread_is_the_same_line(tmp_path: Path, qtbot) -> None:
    folder = tmp_path / "vault"
    damaged_vault(folder)
    bridge = VaultBridge()
    vault = Vault.unlock(folder, PASSPHRASE)
    bridge.open_vault(Actions(vault))
    with pytest.raises(sqlcipher3.DatabaseError) as raised:
        _read_everything(Queries(vault))
    with qtbot.waitSignal(bridge.error) as blocker:
        report_exception(raised.value)
    assert blocker.args == [CorruptFile(folder / DB_NAME, "a part of it cannot be read").message]
    bridge.shutdown()


def test_a_closed_connection_is_a_bug_not_damage(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    vault = Vault.unlock(tmp_path / "vault", PASSPHRASE)
    vault.close()
    bridge = VaultBridge()
    with qtbot.waitSignal(bridge.error) as blocker:
        bridge.run(lambda: vault.entries.count())
    assert blocker.args == [UNEXPECTED]
