"""The erasure of deleted content (``trustvault.storage.erasure``) on one real vault: it says
"done" only when the log is really empty, waits for readers only as long as asked, and a mark
survives until a call that could finish the job."""

import time
from pathlib import Path

import pytest

from trustvault.paths import DB_NAME
from trustvault.storage import erasure
from trustvault.storage.connection import Connection, open_database, truncate_wal
from trustvault.storage.transaction import transaction
from trustvault.vault import Vault


def _wal(vault: Vault) -> Path:
    return vault.folder / f"{DB_NAME}-wal"


def _reader(vault: Vault) -> Connection:
    """Another connection in the middle of a read, as another thread or process might be."""
    reader = open_database(vault.folder / DB_NAME, vault.key)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM entries").fetchone()
    return reader


def _mark(vault: Vault, *, index: bool = True) -> None:
    with transaction(vault.conn):
        erasure.mark_pending(vault.conn, index=index)


def test_truncate_says_done_only_when_the_log_is_empty(vault: Vault) -> None:
    vault.entries.add("milestone", {"title": "one"})
    reader = _reader(vault)
    vault.entries.add("milestone", {"title": "two"})
    started = time.monotonic()
    assert not truncate_wal(vault.conn, wait=0.3)
    assert time.monotonic() - started >= 0.25  # SQLite's busy handler kept trying meanwhile
    assert _wal(vault).stat().st_size > 0
    assert vault.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    reader.execute("COMMIT")
    assert truncate_wal(vault.conn)
    assert _wal(vault).stat().st_size == 0
    reader.close()


def test_truncate_is_not_done_while_this_connection_reads_or_writes(vault: Vault) -> None:
    vault.entries.add_many([("milestone", {"title": f"m{i}"}, None) for i in range(50)])
    rows = vault.conn.execute("SELECT id FROM entries")
    rows.fetchone()  # a statement still stepping (the app's UI thread reading, say)
    assert not truncate_wal(vault.conn)
    rows.fetchall()
    with transaction(vault.conn):
        assert not truncate_wal(vault.conn)
    assert truncate_wal(vault.conn)


def test_a_log_mark_never_downgrades_an_index_mark(vault: Vault) -> None:
    _mark(vault)
    _mark(vault, index=False)
    assert vault.meta("erase_pending") == "index 2"
    assert erasure.finish(vault.conn)
    assert not erasure.pending(vault.conn)
    _mark(vault, index=False)
    assert vault.meta("erase_pending") == "log 1"


def test_a_mark_a_reader_blocks_stays_until_a_later_call(vault: Vault) -> None:
    vault.entries.add("milestone", {"title": "one"})
    reader = _reader(vault)
    _mark(vault)
    assert not erasure.finish(vault.conn, wait=0.05)
    assert vault.meta("erase_pending") == "log 1"  # the index part is done; the log is not
    reader.execute("COMMIT")
    assert erasure.finish(vault.conn)
    assert not erasure.pending(vault.conn)
    assert _wal(vault).stat().st_size == 0
    reader.close()


def test_an_interrupted_erasure_finishes_when_the_vault_opens(
    vault_dir: Path, vault: Vault
) -> None:
    key = vault.key
    reader = _reader(vault)
    _mark(vault)
    vault.close()  # the reader outlasts the close's patience: the mark must stay
    reader.execute("COMMIT")
    assert erasure.pending(reader)
    again = Vault.open_with_key(vault_dir, key)
    assert not erasure.pending(again.conn)
    again.close()
    reader.close()


@pytest.mark.parametrize("index", [True, False])
def test_nothing_pending_is_done_at_once(vault: Vault, index: bool) -> None:
    assert erasure.finish(vault.conn, wait=5)
    _mark(vault, index=index)
    assert erasure.finish(vault.conn)
