"""The relay's embedded store: mailboxes of opaque envelopes in one SQLite file (WAL); the
other engine behind the same seam (:mod:`.stores`) is PostgreSQL (:mod:`.pg_store`).

A mailbox row holds the hashes of its two device credentials (inviter, joiner) and of the one-time
join token, and when it was last used (``touched_at``, written at most once per ``touch_every``
seconds so a busy mailbox costs no write per request); a blob row holds the envelope bytes under
the name a device chose. Nothing else is kept: no IP addresses, no request history. Each blob
gets its mailbox's next ``mailbox_seq`` (``mailboxes.last_seq`` counts them, never reused), so a
device can ask "anything from my partner after N?" (the long-poll cursor). The count is per
mailbox because a relay-wide one would show each pair how busy the others are, and when; the
relay-wide ``seq`` (the row id) is never shown to a client.

All methods are synchronous and short; the server calls them from its single event-loop thread,
which is also why one connection is enough and why the relay-wide byte total can live in memory
(summed once at start, then kept up to date by every write). Not off the loop as PostgreSQL's
are: a call here takes a fraction of a millisecond with no server to wait on, and handing it to a
store thread (``threads=1``) cost the relay 30-40% more CPU per request and up to a third of its
throughput in bench.relay_load, for no better latency. ``synchronous=NORMAL`` in WAL mode
survives a killed process without losing a committed transaction (a power cut may lose the last
few: docs/relay.md).

What is deleted must not stay in the files for a backup to copy: ``secure_delete`` overwrites a
deleted row, and the pages it frees, with zeros; but in WAL mode those zeros first go to the log,
whose older frames still hold the envelope, and the database file keeps its old page until a
checkpoint. :meth:`RelayStore.scrub` (the relay's periodic sweep) therefore checkpoints and
truncates the log to nothing whenever something was deleted since it last ran;
``journal_size_limit`` keeps the log from staying large in between.

Every time it stores or compares comes from the ``clock`` passed in (kept as Unix seconds; the
system clock, to the second, unless a test passes its own), so expiry and the once-a-minute touch
are tested by moving a fake clock instead of waiting.
"""

import asyncio
import json
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from trustvault.clock import Clock, system_clock
from trustvault.relay.stores import (
    INVITER,
    JOINER,
    Mailbox,
    PutResult,
    StoreBase,
    StoredBlob,
    Wake,
    plan_puts,
)

__all__ = ["INVITER", "JOINER", "Mailbox", "PutResult", "RelayStore", "StoredBlob"]

log = logging.getLogger("trustvault.relay")

_WAL_LIMIT = 4 * 1024 * 1024  # bytes the log may keep after a checkpoint (about SQLite's default
# automatic checkpoint of 1,000 pages), so it never stays larger than one busy stretch needs
_BUSY_MS = 5000

# Upgrade steps, applied in order; PRAGMA user_version records how many ran.
_SCHEMA: tuple[str, ...] = (
    """
    CREATE TABLE mailboxes (
        id            TEXT PRIMARY KEY,
        inviter_hash  BLOB NOT NULL,
        join_hash     BLOB NOT NULL,
        joiner_hash   BLOB,
        created_at    REAL NOT NULL,
        joined_at     REAL,
        used_bytes    INTEGER NOT NULL DEFAULT 0,
        blob_count    INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE TABLE blobs (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        mailbox     TEXT NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        author      INTEGER NOT NULL,
        digest      BLOB NOT NULL,
        size        INTEGER NOT NULL,
        created_at  REAL NOT NULL,
        data        BLOB NOT NULL,
        UNIQUE (mailbox, name)
    );
    CREATE INDEX blobs_by_author ON blobs (mailbox, author, seq);
    """,
    """
    ALTER TABLE mailboxes ADD COLUMN touched_at REAL NOT NULL DEFAULT 0;
    UPDATE mailboxes SET touched_at = max(created_at, coalesce(joined_at, 0));
    CREATE INDEX mailboxes_by_touch ON mailboxes (touched_at);
    """,
    # No change to the tables: rows are deleted with secure_delete from here on. A file written
    # before still holds what was deleted then in its free pages; upgrading rewrites it once.
    "SELECT 1",
    # The cursor clients see counts per mailbox. Mailboxes start past every seq handed out so
    # far, so a cursor a running client holds from the relay-wide count stays behind the next
    # envelope (the one relay-wide number this shows is from before the upgrade).
    """
    ALTER TABLE mailboxes ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE blobs ADD COLUMN mailbox_seq INTEGER NOT NULL DEFAULT 0;
    UPDATE blobs SET mailbox_seq = seq;
    UPDATE mailboxes SET last_seq =
        (SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'blobs');
    DROP INDEX blobs_by_author;
    CREATE INDEX blobs_by_author ON blobs (mailbox, author, mailbox_seq);
    """,
)
_SECURE_DELETE_FROM = 3  # the first version written with secure_delete


class RelayStore(StoreBase):
    """One SQLite file of mailboxes and blobs on one connection, which one thread uses: the
    event loop, or with ``threads=1`` the relay's one store thread (never both at once).

    ``total_bytes`` is the sum of all stored envelope sizes, kept without a query per request.
    """

    def __init__(
        self,
        path: Path,
        *,
        touch_every: float = 60.0,
        clock: Clock = system_clock,
        threads: int = 0,
    ) -> None:
        super().__init__(touch_every=touch_every, clock=clock)
        self.threads = threads
        self.path = path
        self._scrub_due = True  # deleted rows may linger in the log (at start: from a last run)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA secure_delete=ON")
        self._db.execute(f"PRAGMA journal_size_limit={_WAL_LIMIT}")
        self._db.execute(f"PRAGMA busy_timeout={_BUSY_MS}")
        self._migrate()
        (total,) = self._db.execute("SELECT coalesce(sum(used_bytes), 0) FROM mailboxes").fetchone()
        self.total_bytes = int(total)

    def _migrate(self) -> None:
        (version,) = self._db.execute("PRAGMA user_version").fetchone()
        for number, step in enumerate(_SCHEMA[version:], start=version + 1):
            self._db.executescript(f"BEGIN; {step}; PRAGMA user_version={number}; COMMIT;")
        if 0 < version < _SECURE_DELETE_FROM:
            try:
                self._db.execute("VACUUM")  # rebuilt from live rows only: free pages are gone
            except sqlite3.OperationalError as exc:  # e.g. no room on the disk for the copy
                log.warning(
                    "could not rewrite the database (%s): its free pages may still hold envelopes"
                    " deleted before this version; stop the relay and run VACUUM on it",
                    exc,
                )

    def close(self) -> None:
        self._db.close()

    def scrub(self) -> bool:
        """If anything was deleted since the last scrub, copy the log into the database and
        truncate it to nothing, so no old frame keeps a deleted envelope; True when it ran.

        Never waits: while another process reads the database (an operator's ``.backup``) the
        checkpoint cannot finish, and the next scrub tries again rather than block every request.
        """
        if not self._scrub_due:
            return False
        self._db.execute("PRAGMA busy_timeout=0")
        try:
            (busy, _, _) = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            self._db.execute(f"PRAGMA busy_timeout={_BUSY_MS}")
        self._scrub_due = bool(busy)
        return not busy

    # -- mailboxes --------------------------------------------------------------------------------

    def mailbox(self, mailbox_id: str) -> Mailbox | None:
        row = self._db.execute(
            "SELECT id, inviter_hash, join_hash, joiner_hash, used_bytes, blob_count "
            "FROM mailboxes WHERE id = ?",
            (mailbox_id,),
        ).fetchone()
        return Mailbox(*row) if row else None

    def mailbox_count(self) -> int:
        (count,) = self._db.execute("SELECT count(*) FROM mailboxes").fetchone()
        return int(count)

    def usage(self) -> tuple[int, int]:
        return self.total_bytes, self.mailbox_count()

    async def follow(self, wake: Wake, ready: asyncio.Event) -> None:
        """Nothing to follow: this process is the file's only writer."""
        ready.set()

    def create_mailbox(self, mailbox_id: str, inviter_hash: bytes, join_hash: bytes) -> bool:
        """Create the mailbox; False when the id is taken (the caller checks whether by the same
        inviter, which makes a retried create harmless)."""
        now = self._now()
        try:
            self._db.execute(
                "INSERT INTO mailboxes (id, inviter_hash, join_hash, created_at, touched_at) "
                "VALUES (?,?,?,?,?)",
                (mailbox_id, inviter_hash, join_hash, now, now),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    def set_joiner(self, mailbox_id: str, joiner_hash: bytes) -> bool:
        """Register the joiner once: False when someone already joined."""
        now = self._now()
        cursor = self._db.execute(
            "UPDATE mailboxes SET joiner_hash = ?, joined_at = ?, touched_at = ? "
            "WHERE id = ? AND joiner_hash IS NULL",
            (joiner_hash, now, now, mailbox_id),
        )
        return cursor.rowcount == 1

    def _write_touch(self, mailbox_id: str, now: float) -> None:
        self._db.execute("UPDATE mailboxes SET touched_at = ? WHERE id = ?", (now, mailbox_id))

    def _delete_mailboxes(self, where: str, value: object) -> list[tuple[str, int]]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            rows = self._db.execute(
                f"DELETE FROM mailboxes WHERE {where} RETURNING id, used_bytes",  # noqa: S608  (our own SQL)
                (value,),
            ).fetchall()
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return [(str(mailbox_id), int(used)) for mailbox_id, used in rows]

    # -- blobs ------------------------------------------------------------------------------------

    def put_many(
        self,
        mailbox_id: str,
        author: int,
        items: Sequence[tuple[str, bytes]],
        quota_bytes: int,
        quota_blobs: int,
        total_cap: int | None = None,
    ) -> list[tuple[PutResult, int]]:
        """Store ``items`` in order in one transaction (the rule: :func:`.stores.plan_puts`)."""
        names = [name for name, _ in items]
        self._db.execute("BEGIN IMMEDIATE")
        try:
            held = {
                str(name): (int(seq), bytes(digest))
                for name, seq, digest in self._db.execute(
                    "SELECT name, mailbox_seq, digest FROM blobs WHERE mailbox = ? AND name IN "
                    "(SELECT value FROM json_each(?))",
                    (mailbox_id, json.dumps(names)),
                )
            }
            usage = self._db.execute(
                "SELECT used_bytes, blob_count, last_seq FROM mailboxes WHERE id = ?",
                (mailbox_id,),
            ).fetchone()
            outcomes, new = plan_puts(
                items, held, usage, self.total_bytes, quota_bytes, quota_blobs, total_cap
            )
            if new:
                now = self._now()
                self._db.executemany(
                    "INSERT INTO blobs (mailbox, name, author, digest, size, created_at, data, "
                    "mailbox_seq) VALUES (?,?,?,?,?,?,?,?)",
                    [
                        (mailbox_id, b.name, author, b.digest, len(b.data), now, b.data, b.seq)
                        for b in new
                    ],
                )
                size = sum(len(b.data) for b in new)
                self._db.execute(
                    "UPDATE mailboxes SET used_bytes = used_bytes + ?, "
                    "blob_count = blob_count + ?, last_seq = ? WHERE id = ?",
                    (size, len(new), new[-1].seq, mailbox_id),
                )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._add_bytes(sum(len(b.data) for b in new))
        return outcomes

    def get_many(self, mailbox_id: str, names: Sequence[str]) -> dict[str, StoredBlob]:
        rows = self._db.execute(
            "SELECT name, mailbox_seq, author, data FROM blobs WHERE mailbox = ? AND name IN "
            "(SELECT value FROM json_each(?))",
            (mailbox_id, json.dumps(list(names))),
        )
        return {str(r[0]): StoredBlob(int(r[1]), int(r[2]), bytes(r[3])) for r in rows}

    def names(self, mailbox_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT name FROM blobs WHERE mailbox = ? ORDER BY mailbox_seq", (mailbox_id,)
        ).fetchall()
        return [name for (name,) in rows]

    def delete_many(self, mailbox_id: str, names: Sequence[str]) -> int:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            sizes = self._db.execute(
                "DELETE FROM blobs WHERE mailbox = ? AND name IN "
                "(SELECT value FROM json_each(?)) RETURNING size",
                (mailbox_id, json.dumps(list(names))),
            ).fetchall()
            count, size = len(sizes), sum(int(n) for (n,) in sizes)
            if count:
                self._db.execute(
                    "UPDATE mailboxes SET used_bytes = used_bytes - ?, blob_count = blob_count - ? "
                    "WHERE id = ?",
                    (size, count, mailbox_id),
                )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        if count:
            self._add_bytes(-int(size))
            self._scrub_due = True
        return int(count)

    def latest_from_partner(self, mailbox_id: str, reader: int) -> int:
        """The highest mailbox seq of a blob present now that ``reader`` did not put (0 if none):
        the cursor. It can go down (when the partner deletes what it put); the next is higher."""
        (seq,) = self._db.execute(
            "SELECT coalesce(max(mailbox_seq), 0) FROM blobs WHERE mailbox = ? AND author = ?",
            (mailbox_id, JOINER if reader == INVITER else INVITER),
        ).fetchone()
        return int(seq)
