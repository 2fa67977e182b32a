"""A vault written at schema 1 (before sync) opens with today's app, upgrades, and loses nothing."""

import shutil
from pathlib import Path

from trustvault.storage.migrations import LATEST_VERSION
from trustvault.sync.pair_state import load_identity
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

FIXTURE = Path(__file__).parent / "data" / "schema1_vault"


def test_schema1_vault_upgrades_with_every_entry_and_its_history(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    shutil.copytree(FIXTURE, folder)
    assert LATEST_VERSION > 1

    with Vault.unlock(folder, "schema one passphrase") as vault:
        assert vault.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert vault.name == "Robin"
        titles = sorted(e.title for e in vault.entries.all())
        assert titles == ["Check-in: mood 6, safety 7", "Old schema disclosure", "Phones stay open"]
        disclosure = next(e for e in vault.entries.all() if e.kind == "disclosure")
        assert [r.fields["body"] for r in vault.entries.history(disclosure.id)] == [
            "written by schema 1",
            "written by schema 1, edited",
        ]
        assert [e.title for e in vault.entries.search("edited")] == ["Old schema disclosure"]
        # The full-text index is rebuilt by the upgrade (schema 4): every kind's text is found.
        assert [e.kind for e in vault.entries.search("hopeful")] == ["checkin"]
        assert [e.kind for e in vault.entries.search("unlocked")] == ["agreement"]
        assert vault.integrity_check() == "ok"
        # Sync works on an upgraded vault: the device key pair is made on first use.
        assert len(load_identity(vault.conn).public) == 32
        assert SyncService(vault).status() == "unpaired"

    # Upgrading twice is a no-op: the second open finds the latest schema already.
    with Vault.unlock(folder, "schema one passphrase") as vault:
        assert vault.entries.count() == 3
