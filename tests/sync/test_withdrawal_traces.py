"""A withdrawn entry leaves no old copy behind in the partner's vault files.

Its rows are deleted with ``secure_delete`` on (freed space is overwritten, not left for anyone
holding the key to recover), and the write-ahead log, which still held page images from before
the withdrawal, is folded into the database and emptied.
"""

from pathlib import Path

import pytest

from tests.sync.sync_helpers import make_couple, pair_up
from trustvault.paths import DB_NAME


def test_partner_vault_overwrites_withdrawn_content_and_empties_its_log(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = make_couple(tmp_path, tmp_path_factory)
    pair_up(c)
    assert c.b.conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    entry = c.a.entries.add(
        "disclosure", {"title": "QUIET-HERON", "body": "x" * 3000, "occurred_on": "2026-02-01"}
    )
    c.settle()
    assert c.b.entries.get(entry.id).title == "QUIET-HERON"
    wal = c.b.folder / f"{DB_NAME}-wal"
    assert wal.exists() and wal.stat().st_size > 0

    c.sa.revoke(entry.id)
    c.sa.sync()
    result = c.sb.sync()
    assert result.received == 1
    assert c.b.entries.get(entry.id).visibility == "withdrawn"
    assert wal.stat().st_size == 0
