"""What the vault's FTS5 index (``entries_fts``) really holds, read with plain SQL from its shadow
tables.

Search (and ``fts5vocab``) skips rows deleted from a contentless index, but the segments still
hold their terms until a merge rewrites them. :func:`segment_terms` decodes every leaf page of
``entries_fts_data`` itself, so a deleted row's terms show. Leaf format (``fts5_index.c``)::

    u16be first-rowid offset | u16be page-index offset | terms and doclists | page index

The page index is one varint per term starting on the page, each the delta of its offset; the
first such term is stored whole (``varint n | n bytes``), the next ones against the term before
(``varint shared | varint n | n bytes``). A term's first byte names the index (``0``: the main
one). Leaf ids are ``segid << 37 | height << 31 | page``; other ids (averages, structure, doclist
indexes, tombstone hashes) hold no terms.
"""

from sqlite3 import Connection

__all__ = ["docsize_rowids", "idx_terms", "live_terms", "segment_terms"]

_SEGID_SHIFT = 37
_DLI_BIT = 1 << 36
_HEIGHT_MASK = 0x1F << 31
_MAX_SEGID = 1 << 16  # tombstone hash pages use segid + 2**16


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """SQLite's big-endian varint: (value, next offset)."""
    value = 0
    for i in range(8):
        byte = data[at + i]
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at + i + 1
    return (value << 8) | data[at + 8], at + 9


def _leaf_terms(page: bytes) -> list[bytes]:
    footer = int.from_bytes(page[2:4], "big")
    offsets, at, pos = [], footer, 0
    while at < len(page):
        delta, at = _varint(page, at)
        pos += delta
        offsets.append(pos)
    terms: list[bytes] = []
    for i, start in enumerate(offsets):
        if i == 0:
            n, at = _varint(page, start)
            term = page[at : at + n]
        else:
            shared, at = _varint(page, start)
            n, at = _varint(page, at)
            term = terms[-1][:shared] + page[at : at + n]
        terms.append(term)
    return terms


def segment_terms(conn: Connection) -> set[str]:
    """Every term of the main index in any segment, deleted rows' included."""
    found: set[str] = set()
    for rowid, block in conn.execute("SELECT id, block FROM entries_fts_data"):
        segid = rowid >> _SEGID_SHIFT
        if segid == 0 or segid >= _MAX_SEGID or rowid & (_DLI_BIT | _HEIGHT_MASK):
            continue
        page = bytes(block)
        if len(page) < 4 or int.from_bytes(page[2:4], "big") >= len(page):
            continue  # a leaf that starts no term (a long doclist running on)
        found.update(t[1:].decode() for t in _leaf_terms(page) if t[:1] == b"0")
    return found


def live_terms(conn: Connection) -> set[str]:
    """The terms search can find: FTS5's own reading, which skips deleted rows."""
    conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, entries_fts, instance)")
    try:
        return {str(r[0]) for r in conn.execute("SELECT DISTINCT term FROM temp.vocab")}
    finally:
        conn.execute("DROP TABLE temp.vocab")


def idx_terms(conn: Connection) -> set[str]:
    """The term prefixes ``entries_fts_idx`` keeps to find each leaf."""
    rows = conn.execute("SELECT term FROM entries_fts_idx")
    return {bytes(r[0])[1:].decode() for r in rows if bytes(r[0])[:1] == b"0"}


def docsize_rowids(conn: Connection) -> set[int]:
    """The rows the index keeps sizes for."""
    return {int(r[0]) for r in conn.execute("SELECT id FROM entries_fts_docsize")}
