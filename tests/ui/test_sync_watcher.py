"""A partner's change shows within seconds because the medium is watched, not only polled."""

import time
from pathlib import Path

from tests.ui.shell_helpers import PASSPHRASE, create_vault, two_windows
from trustvault.sync.service import SyncService
from trustvault.sync.transports import folder_spec
from trustvault.vault import Vault


def _pair(alex_dir: Path, sam_dir: Path, folder: Path) -> None:
    with Vault.unlock(alex_dir, PASSPHRASE) as alex, Vault.unlock(sam_dir, PASSPHRASE) as sam:
        code = SyncService(alex).invite(folder_spec(folder))
        SyncService(sam).join(code, folder_spec(folder))
        SyncService(alex).sync()
        SyncService(sam).sync()


def test_a_shared_entry_arrives_long_before_the_next_timed_sync(tmp_path: Path, qtbot) -> None:
    folder = tmp_path / "sync"
    folder.mkdir()
    create_vault(tmp_path / "alex", "Alex")
    create_vault(tmp_path / "sam", "Sam")
    _pair(tmp_path / "alex", tmp_path / "sam", folder)
    alex, sam = two_windows(tmp_path, qtbot, sync_ms=10 * 60 * 1000)  # timed: every 10 min
    for window in (alex, sam):
        qtbot.waitUntil(lambda w=window: w.bridge.last_sync is not None, timeout=10_000)

    started = time.monotonic()
    alex.bridge.write(
        lambda a: a.add("disclosure", {"title": "BRISK-WREN", "occurred_on": "2026-11-01"})
    )

    def arrived() -> bool:
        q = sam.bridge.queries
        return q is not None and any(e.title == "BRISK-WREN" for e in q.all())

    qtbot.waitUntil(arrived, timeout=8_000)
    assert time.monotonic() - started < 8
    for window in (alex, sam):
        window.bridge.shutdown()
