"""A withdrawn entry leaves no trace in the partner's vault files, even for someone with the key.

The partner holds the vault key, so SQL is not the bar: every page of the database file and of
its write-ahead log is decrypted (:mod:`sqlcipher_pages`) and searched for the withdrawn words:
the title and body whole, and each long word on its own. They must be gone from deleted cells and
free pages (``secure_delete``), from the full-text index's segments (FTS5 only marks a deleted row
of a contentless index, so its terms and their positions stay until the segment is rewritten) and
from the log, including when another connection was reading while the withdrawal arrived.
Each scan first proves it can see: the same words before the withdrawal, a live word after.
"""

import random
import re
from pathlib import Path

import pytest

import tests.sync.fts5_index as fts5_index
from tests.sync.sqlcipher_pages import find_words, vault_pages
from tests.sync.sync_helpers import Couple, make_couple, pair_up
from trustvault.paths import DB_NAME
from trustvault.storage import erasure
from trustvault.storage.connection import open_database
from trustvault.vault import Vault


def _invented_words(seed: int, count: int) -> list[str]:
    """Words found nowhere else in a vault (no key, no setting, no other entry)."""
    rng = random.Random(seed)  # noqa: S311  (test words, not a secret)
    syllables = ["quo", "zan", "vel", "mir", "thax", "plo", "dru", "kesh", "wim", "yor", "bek"]
    return ["".join(rng.choice(syllables) for _ in range(4)) + f"x{i}" for i in range(count)]


FIRST = _invented_words(1, 40)
EDITED = _invented_words(2, 40)
TITLE = "Quietheron Marmalade Bellwether"
EDITED_TITLE = "Lanternfish Quillfeather"
# Long enough to spill into overflow pages (the row and each revision are over one 4 KiB page).
BODY = "\n".join(" ".join(FIRST[i : i + 8]) for i in range(0, 40, 8)) * 8
EDITED_BODY = "\n".join(" ".join(EDITED[i : i + 8]) for i in range(0, 40, 8)) * 8
assert min(len(BODY), len(EDITED_BODY)) > 4096
AUTHOR_COMMENT = "Wintergreenapology, Gossamerpledge"
LIVE = ["Persimmonlive", "Saffronreply"]  # another entry of the author's; the partner's comment

WITHDRAWN_TEXTS = [TITLE, EDITED_TITLE, BODY, EDITED_BODY, AUTHOR_COMMENT]
WITHDRAWN_WORDS = sorted({w for text in WITHDRAWN_TEXTS for w in re.findall(r"\w+", text)})
WITHDRAWN = WITHDRAWN_TEXTS + WITHDRAWN_WORDS
INDEXED_TERMS = {w.lower() for w in WITHDRAWN_WORDS} - {"wintergreenapology", "gossamerpledge"}
"""Comments are not indexed."""


def _share_and_read(c: Couple) -> str:
    """Alex shares an entry, edits it, comments on it; Sam reads it and comments too."""
    pair_up(c)
    entry = c.a.entries.add(
        "disclosure", {"title": TITLE, "body": BODY, "occurred_on": "2026-02-01"}
    )
    c.a.entries.add("disclosure", {"title": LIVE[0], "occurred_on": "2026-02-02"})
    c.settle()
    c.a.entries.edit(entry.id, {"title": EDITED_TITLE, "body": EDITED_BODY})
    c.sa.comment(entry.id, AUTHOR_COMMENT)
    c.settle()
    c.sb.comment(entry.id, LIVE[1])
    c.settle()
    assert c.b.entries.get(entry.id).title == EDITED_TITLE
    assert c.b.entries.search(FIRST[3]) == []  # the edited-away wording: no longer found
    assert [e.id for e in c.b.entries.search(EDITED[5])] == [entry.id]
    return entry.id


def _pages_of(folder: Path, key: bytes) -> list[str]:
    """What the scan finds of the withdrawn words; asserts it sees the live ones."""
    pages = vault_pages(folder / DB_NAME, key)
    assert {hit.rsplit(": ", 1)[1] for hit in find_words(pages, LIVE)} == set(LIVE)
    return find_words(pages, WITHDRAWN)


def _withdraw(c: Couple, entry_id: str) -> None:
    c.sa.revoke(entry_id)
    c.sa.sync()


def test_partner_pages_hold_no_withdrawn_word(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = make_couple(tmp_path, tmp_path_factory)
    entry_id = _share_and_read(c)
    key, folder = c.b.key, c.b.folder
    assert c.b.conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert _pages_of(folder, key)  # the scan sees the entry while it is there

    _withdraw(c, entry_id)
    result = c.sb.sync()
    assert result.received == 1
    assert not result.erase_pending
    assert c.b.entries.get(entry_id).visibility == "withdrawn"
    assert c.b.entries.search(FIRST[3]) == []
    assert (folder / f"{DB_NAME}-wal").stat().st_size == 0
    assert _pages_of(folder, key) == []
    c.close()
    assert _pages_of(folder, key) == []


def test_partner_index_keeps_no_term_of_withdrawn_text(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Read with plain SQL on the partner's own vault: the index's shadow tables hold nothing
    that search cannot find, so no term or position of the withdrawn text."""
    c = make_couple(tmp_path, tmp_path_factory)
    entry_id = _share_and_read(c)
    conn = c.b.conn
    rowid = c.b.entries.get(entry_id).rowid
    # The decoder sees what search does not: the edited-away wording is only marked deleted.
    assert {FIRST[0], FIRST[1]} <= fts5_index.segment_terms(conn)
    assert FIRST[0] not in fts5_index.live_terms(conn)

    _withdraw(c, entry_id)
    c.sb.sync()
    held, live = fts5_index.segment_terms(conn), fts5_index.live_terms(conn)
    assert LIVE[0].lower() in live
    assert sorted(INDEXED_TERMS & held) == []
    assert held == live
    assert all(any(t.startswith(p) for t in live) for p in fts5_index.idx_terms(conn))
    assert rowid not in fts5_index.docsize_rowids(conn)
    c.close()


def test_a_reader_during_the_withdrawal_delays_the_erasure_until_it_ends(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Another connection reading (as the app's UI thread might) keeps the log's old pages alive:
    the round says so instead of claiming the content is gone, and the vault finishes the job
    once the reader is done, at the latest when it closes."""
    c = make_couple(tmp_path, tmp_path_factory)
    entry_id = _share_and_read(c)
    key, folder = c.b.key, c.b.folder
    reader = open_database(folder / DB_NAME, key)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM entries").fetchone()[0] == 2

    _withdraw(c, entry_id)
    result = c.sb.sync()
    assert result.received == 1
    assert result.erase_pending  # the log still holds the pages the reader may need
    assert c.b.entries.search(FIRST[3]) == []
    assert reader.execute("SELECT title FROM entries WHERE id = ?", (entry_id,)).fetchone() == (
        EDITED_TITLE,
    )
    reader.execute("COMMIT")
    c.close()
    assert _pages_of(folder, key) == []
    reader.close()
    assert _pages_of(folder, key) == []


def test_an_erasure_a_reader_outlasted_finishes_when_the_vault_next_opens(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = make_couple(tmp_path, tmp_path_factory)
    entry_id = _share_and_read(c)
    key, folder = c.b.key, c.b.folder
    reader = open_database(folder / DB_NAME, key)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM entries").fetchone()
    _withdraw(c, entry_id)
    assert c.sb.sync().erase_pending
    c.close()  # the reader still reads: closing cannot finish, and must not pretend it did
    assert _pages_of(folder, key)
    reader.execute("COMMIT")

    again = Vault.open_with_key(folder, key)
    assert not erasure.pending(again.conn)
    assert _pages_of(folder, key) == []
    again.close()
    reader.close()
    assert _pages_of(folder, key) == []
