"""Erasing what a withdrawal deleted from the two places SQLite keeps old copies of it.

The partner holds the vault key, so deleting the rows is not enough: whatever the files still
hold, decrypted, is readable. ``secure_delete`` (on for every connection) overwrites deleted cells
and freed pages, overflow pages of a long body included, but two copies outlive it:

- **The full-text index.** It is contentless (schema 4): deleting a row only marks it deleted in
  the segment that holds it, whose terms and their positions, enough to read the text back in
  order, stay until a merge rewrites that segment. ``optimize`` rewrites every segment without
  the deleted rows; it costs the whole index (measured ~0.1-0.4 s at 10,000 entries, ~0.7-3 s
  at 100,000), so it runs once per sync round that applied withdrawals, never per edit. (An
  incremental ``merge`` rewrites only small segments: a row in the big one would stay.)
- **The write-ahead log.** It keeps the page images from before the deletion until a checkpoint
  copies the newest ones into the database file and the log is emptied (``TRUNCATE``). While
  another connection reads, SQLite keeps the log for it and the checkpoint cannot finish.

So a withdrawal marks the erasure pending in the transaction that deletes (:func:`mark_pending`),
and :func:`finish` does it and clears the mark; the sync round calls it at its end, the vault when
it closes and when it opens. A crash or a long reader delays the erasure; it cannot lose it.
The mark is ``meta.erase_pending``: ``index N`` (optimize, then the log) or ``log N``, where
``N`` counts the marks, so an erasure never clears a mark another process wrote after it looked.

An edit only marks the older wording deleted too, on either device, and is not erased: that
wording stays in the entry's history (``revisions``), which both partners can read anyway, and
on the partner's device the next withdrawal's ``optimize`` rewrites it away with the rest.
"""

from trustvault.storage import meta_store
from trustvault.storage.connection import Connection, truncate_wal
from trustvault.storage.transaction import transaction

__all__ = ["CLOSE_WAIT", "ROUND_WAIT", "finish", "mark_pending", "pending"]

ROUND_WAIT = 0.25
"""Seconds a sync round lets another connection's read finish before leaving the log for later."""

CLOSE_WAIT = 1.0
"""The same when the vault closes (the person is done; a little more patience is fine)."""

_KEY = "erase_pending"
_INDEX, _LOG = "index", "log"
_ROUNDS = 3


def mark_pending(conn: Connection, *, index: bool = True) -> None:
    """Record, inside the caller's transaction, that deleted content must be erased: from the
    index and the log, or (``index=False``: nothing indexed was deleted) the log alone.

    Each mark is numbered, so :func:`finish` never clears one written after it looked."""
    stage, count = _read(conn) or (_LOG, 0)
    meta_store.put(conn, _KEY, f"{_INDEX if index else stage} {count + 1}")


def pending(conn: Connection) -> bool:
    return _read(conn) is not None


def finish(conn: Connection, wait: float = 0.0) -> bool:
    """Erase what :func:`mark_pending` recorded; True once nothing of it is left.

    False while another connection reads the log (waiting up to ``wait`` seconds for it) or this
    one is inside a transaction: the mark stays, and a later call finishes the job.
    """
    for _ in range(_ROUNDS):  # again only if another process marked more meanwhile
        mark = _read(conn)
        if mark is None:
            return True
        if conn.in_transaction:
            return False
        if mark[0] == _INDEX:
            with transaction(conn):
                mark = _read(conn)  # another process may have done it since
                if mark is not None and mark[0] == _INDEX:
                    conn.execute("INSERT INTO entries_fts (entries_fts) VALUES ('optimize')")
                    mark = (_LOG, mark[1])
                    meta_store.put(conn, _KEY, f"{_LOG} {mark[1]}")
        if not truncate_wal(conn, wait):
            return False
        with transaction(conn):
            if _read(conn) == mark:
                meta_store.delete(conn, _KEY)
        # The log now holds only the page that cleared the mark: empty it too if nobody reads.
        truncate_wal(conn)
    return not pending(conn)


def _read(conn: Connection) -> tuple[str, int] | None:
    value = meta_store.get(conn, _KEY)
    if value is None:
        return None
    stage, _, count = value.partition(" ")
    return (stage if stage == _LOG else _INDEX, int(count) if count.isdigit() else 0)
