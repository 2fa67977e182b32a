"""The relay's only state: mailboxes of opaque envelopes in one SQLite file (WAL).

A mailbox row holds the hashes of its two device credentials (inviter, joiner) and of the one-time
join token; a blob row holds the envelope bytes under the name a device chose. Nothing else is kept:
no IP addresses, no request history. ``seq`` is an AUTOINCREMENT counter, never reused, so a device
can ask "anything from my partner after seq N?" (the long-poll cursor).

All methods are synchronous and short; the server calls them from its single event-loop thread,
which is also why one connection is enough. ``synchronous=NORMAL`` in WAL mode survives a killed
process without losing a committed transaction (a power cut may lose the last few: docs/relay.md).
"""

import hashlib
import sqlite3
import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

__all__ = ["INVITER", "JOINER", "Mailbox", "PutResult", "RelayStore", "StoredBlob"]

INVITER = 1
JOINER = 2

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
)


@dataclass(frozen=True, slots=True)
class Mailbox:
    id: str
    inviter_hash: bytes
    join_hash: bytes
    joiner_hash: bytes | None
    used_bytes: int
    blob_count: int


@dataclass(frozen=True, slots=True)
class StoredBlob:
    seq: int
    author: int
    data: bytes


class PutResult(Enum):
    CREATED = "created"  # new name, stored
    SAME = "same"  # the name already held exactly these bytes: a retried upload
    CONFLICT = "conflict"  # the name already held other bytes; nothing changed
    OVER_QUOTA = "over_quota"  # storing would exceed the mailbox quota; nothing changed
    NO_MAILBOX = "no_mailbox"  # the mailbox was deleted meanwhile; nothing stored


class RelayStore:
    """One SQLite file of mailboxes and blobs. One thread (the event loop) uses it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._migrate()

    def _migrate(self) -> None:
        (version,) = self._db.execute("PRAGMA user_version").fetchone()
        for number, step in enumerate(_SCHEMA[version:], start=version + 1):
            self._db.executescript(f"BEGIN; {step}; PRAGMA user_version={number}; COMMIT;")

    def close(self) -> None:
        self._db.close()

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

    def create_mailbox(self, mailbox_id: str, inviter_hash: bytes, join_hash: bytes) -> bool:
        """Create the mailbox; False when the id is taken (the caller checks whether by the same
        inviter, which makes a retried create harmless)."""
        try:
            self._db.execute(
                "INSERT INTO mailboxes (id, inviter_hash, join_hash, created_at) VALUES (?,?,?,?)",
                (mailbox_id, inviter_hash, join_hash, time.time()),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    def set_joiner(self, mailbox_id: str, joiner_hash: bytes) -> bool:
        """Register the joiner once: False when someone already joined."""
        cursor = self._db.execute(
            "UPDATE mailboxes SET joiner_hash = ?, joined_at = ? "
            "WHERE id = ? AND joiner_hash IS NULL",
            (joiner_hash, time.time(), mailbox_id),
        )
        return cursor.rowcount == 1

    def delete_mailbox(self, mailbox_id: str) -> None:
        self._db.execute("DELETE FROM mailboxes WHERE id = ?", (mailbox_id,))

    def expire_unjoined(self, older_than_seconds: float) -> int:
        """Drop mailboxes nobody joined in time (abandoned invites); returns how many."""
        cursor = self._db.execute(
            "DELETE FROM mailboxes WHERE joiner_hash IS NULL AND created_at < ?",
            (time.time() - older_than_seconds,),
        )
        return cursor.rowcount

    # -- blobs ------------------------------------------------------------------------------------

    def put(
        self,
        mailbox_id: str,
        name: str,
        author: int,
        data: bytes,
        quota_bytes: int,
        quota_blobs: int,
    ) -> tuple[PutResult, int]:
        """Store ``data`` under ``name`` once; the outcome and the blob's seq (0 if none)."""
        digest = hashlib.sha256(data).digest()
        self._db.execute("BEGIN IMMEDIATE")
        try:
            row = self._db.execute(
                "SELECT seq, digest FROM blobs WHERE mailbox = ? AND name = ?", (mailbox_id, name)
            ).fetchone()
            if row is not None:
                self._db.execute("COMMIT")
                same = row[1] == digest
                return (PutResult.SAME if same else PutResult.CONFLICT), int(row[0])
            usage = self._db.execute(
                "SELECT used_bytes, blob_count FROM mailboxes WHERE id = ?", (mailbox_id,)
            ).fetchone()
            if usage is None:
                self._db.execute("COMMIT")
                return PutResult.NO_MAILBOX, 0
            used, count = usage
            if used + len(data) > quota_bytes or count + 1 > quota_blobs:
                self._db.execute("COMMIT")
                return PutResult.OVER_QUOTA, 0
            cursor = self._db.execute(
                "INSERT INTO blobs (mailbox, name, author, digest, size, created_at, data) "
                "VALUES (?,?,?,?,?,?,?)",
                (mailbox_id, name, author, digest, len(data), time.time(), data),
            )
            self._db.execute(
                "UPDATE mailboxes SET used_bytes = used_bytes + ?, blob_count = blob_count + 1 "
                "WHERE id = ?",
                (len(data), mailbox_id),
            )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return PutResult.CREATED, int(cursor.lastrowid or 0)

    def get(self, mailbox_id: str, name: str) -> StoredBlob | None:
        row = self._db.execute(
            "SELECT seq, author, data FROM blobs WHERE mailbox = ? AND name = ?", (mailbox_id, name)
        ).fetchone()
        return StoredBlob(int(row[0]), int(row[1]), bytes(row[2])) if row else None

    def names(self, mailbox_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT name FROM blobs WHERE mailbox = ? ORDER BY seq", (mailbox_id,)
        ).fetchall()
        return [name for (name,) in rows]

    def delete(self, mailbox_id: str, name: str) -> bool:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            row = self._db.execute(
                "DELETE FROM blobs WHERE mailbox = ? AND name = ? RETURNING size",
                (mailbox_id, name),
            ).fetchone()
            if row is not None:
                self._db.execute(
                    "UPDATE mailboxes SET used_bytes = used_bytes - ?, blob_count = blob_count - 1 "
                    "WHERE id = ?",
                    (row[0], mailbox_id),
                )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return row is not None

    def latest_from_partner(self, mailbox_id: str, reader: int) -> int:
        """The highest seq of a blob present now that ``reader`` did not put (0 if none)."""
        (seq,) = self._db.execute(
            "SELECT coalesce(max(seq), 0) FROM blobs WHERE mailbox = ? AND author = ?",
            (mailbox_id, JOINER if reader == INVITER else INVITER),
        ).fetchone()
        return int(seq)
