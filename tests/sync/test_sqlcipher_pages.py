"""The readers the trace tests rely on see what they claim to: a scan that cannot fail proves
nothing, so each is checked against a word known to be there and against damage."""

from pathlib import Path

import pytest

import tests.sync.fts5_index as fts5_index
from tests.helpers import PASSPHRASE, ManualClock
from tests.sync.sqlcipher_pages import PAGE_SIZE, PageError, database_pages, find_words, log_pages
from trustvault.paths import DB_NAME
from trustvault.storage.connection import truncate_wal
from trustvault.vault import Vault

LIVE = "Marzipanlighthouse"


@pytest.fixture
def filled(tmp_path: Path, clock: ManualClock) -> Vault:
    v = Vault.create(tmp_path / "v", PASSPHRASE, "Alex", kdf_profile="interactive", clock=clock)
    v.entries.add("disclosure", {"title": f"{LIVE} at dusk", "occurred_on": "2026-02-01"})
    return v


def test_reads_a_live_word_from_the_log_then_from_the_database(filled: Vault) -> None:
    db = filled.folder / DB_NAME
    in_log = list(log_pages(db, filled.key))
    assert in_log and find_words(in_log, [LIVE])
    truncate_wal(filled.conn)
    assert list(log_pages(db, filled.key)) == []
    pages = list(database_pages(db, filled.key))
    assert len(pages) == filled.conn.execute("PRAGMA page_count").fetchone()[0]
    assert pages[0].data.startswith(b"SQLite format 3\x00")
    assert find_words(pages, [LIVE]) and find_words(pages, [LIVE.lower()])  # row, then index
    assert find_words(pages, ["Nowhereinthisvault"]) == []
    filled.close()


def test_refuses_a_wrong_key_and_a_changed_byte(filled: Vault) -> None:
    db, key = filled.folder / DB_NAME, filled.key
    filled.close()
    with pytest.raises(PageError, match="page 1: HMAC"):
        list(database_pages(db, bytes(32)))
    data = bytearray(db.read_bytes())
    data[2 * PAGE_SIZE + 100] ^= 1
    db.write_bytes(bytes(data))
    with pytest.raises(PageError, match="page 3: HMAC"):
        list(database_pages(db, key))


def test_index_reader_agrees_with_fts5_and_sees_deleted_rows(filled: Vault) -> None:
    conn = filled.conn
    filled.entries.add_many(
        [("milestone", {"title": f"step {i} w{i % 97}x"}, "shared") for i in range(3000)]
    )
    assert fts5_index.segment_terms(conn) == fts5_index.live_terms(conn)
    assert LIVE.lower() in fts5_index.segment_terms(conn)
    entry = filled.entries.add("milestone", {"title": "Quicksilverwithdrawn"})
    filled.entries.edit(entry.id, {"title": "Plainer wording"})
    assert "quicksilverwithdrawn" not in fts5_index.live_terms(conn)
    assert "quicksilverwithdrawn" in fts5_index.segment_terms(conn)
    prefixes = fts5_index.idx_terms(conn)
    assert prefixes  # more than one leaf: the page index was read across pages
    assert all(any(t.startswith(p) for t in fts5_index.segment_terms(conn)) for p in prefixes)
    filled.close()
