"""Opening a SQLCipher database with a raw 256-bit key, and the settings every connection needs.

The key goes to SQLCipher as a raw key (``x'…'``), so SQLCipher's own PBKDF2 is skipped: the
passphrase was already stretched by Argon2id. Connections refuse anything older than SQLCipher 4,
keep temporary tables in memory (``temp_store``) so no plaintext spills into temp files, and use
WAL with ``synchronous=FULL`` so that a committed write survives a killed process.
"""

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from trustvault.errors import CorruptFile, UnsupportedVault
from trustvault.storage.db_errors import user_error

__all__ = [
    "BUSY_TIMEOUT_MS",
    "Connection",
    "integrity_check",
    "open_database",
    "rekey_database",
    "truncate_wal",
    "without_waiting",
]

BUSY_TIMEOUT_MS = 5000
"""How long a statement waits for another connection's lock before failing as busy."""

if TYPE_CHECKING:  # sqlcipher3 ships no stubs; its API is the standard library's sqlite3
    from sqlite3 import Connection
else:
    Connection = sqlcipher3.Connection


def open_database(path: Path, key: bytes | bytearray, *, create: bool = False) -> Connection:
    """Open (or with ``create``, make) the encrypted database at ``path`` under ``key``.

    A limit the caller cannot fix by zeroing its own buffer: SQL takes text, so the key is
    written into the ``PRAGMA key`` statement as hex, and that ``str`` (and the statement built
    from it) is an immutable copy Python frees without zeroing. SQLCipher keeps its own copy of
    the key for as long as the connection is open, and wipes it when the connection closes (by
    its design; nothing here can check that).
    """
    if not create:
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise CorruptFile(path, "the database file is missing") from None
        if size == 0:
            # SQLite would treat an empty file as a new database and write a schema into it.
            raise CorruptFile(path, "the database file is empty")
    if create:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    conn: Connection = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        version = conn.execute("PRAGMA cipher_version").fetchone()
        if not version or not str(version[0]).startswith("4."):
            raise UnsupportedVault(
                "TrustVault needs SQLCipher 4; this build of sqlcipher3 is older."
            )
        conn.execute("PRAGMA temp_store = MEMORY")
        # Deleted content (a partner's withdrawn entry) is overwritten, not left in free pages
        # for anyone holding the key to recover.
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        problem = user_error(exc, path)
        if isinstance(problem, CorruptFile):
            raise CorruptFile(path, _describe(exc)) from None
        raise (problem or exc) from None
    except BaseException:
        conn.close()
        raise
    return conn


@contextlib.contextmanager
def without_waiting(conn: Connection) -> Iterator[None]:
    """Statements inside fail at once as busy instead of waiting for another connection's lock:
    for work that may simply be skipped (noting an opening) rather than delay the person."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def truncate_wal(conn: Connection, wait: float = 0.0) -> bool:
    """Fold the write-ahead log into the database file and empty it, so no page image from
    before a deletion (where ``secure_delete`` has since overwritten the content) stays in it.

    Returns whether the log is now empty. It cannot be while another connection reads (a reader
    may need the old pages, and SQLite keeps the log for it) or while this one is inside a
    transaction; SQLite's busy handler retries for up to ``wait`` seconds, then this gives up
    and the caller must try again later. ``PRAGMA wal_checkpoint(TRUNCATE)`` answers (busy,
    frames in the log, frames copied): (0, 0, 0) once the log is truncated to zero bytes.
    """
    if conn.in_transaction:
        return False
    conn.execute(f"PRAGMA busy_timeout = {max(0, round(wait * 1000))}")
    try:
        row = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlcipher3.OperationalError as exc:
        # This connection is reading elsewhere (a statement still stepping on another thread):
        # SQLite refuses with SQLITE_LOCKED, which only means "not now".
        if getattr(exc, "sqlite_errorcode", None) == _SQLITE_LOCKED:
            return False
        raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    busy, frames, _ = row
    return bool(busy == 0 and frames == 0)


def rekey_database(conn: Connection, new_key: bytes | bytearray) -> None:
    """Re-encrypt every page of the open database under ``new_key`` (SQLCipher's ``rekey``),
    as one transaction: a crash leaves the database wholly under the old key or the new one.

    SQLCipher 4 cannot rekey safely in WAL mode (frames written under the old key would be read
    under the new one, and other connections would keep the old key), so the log is folded in
    and emptied, the journal switched to a rollback journal for the rekey, and WAL restored
    after. Leaving WAL needs every other connection closed, so another program holding the vault
    makes this raise ``database is locked`` before anything changed. The new key's hex text in
    the ``PRAGMA rekey`` statement is an immutable copy, as in :func:`open_database`.
    """
    truncate_wal(conn)
    mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()
    if not mode or str(mode[0]).lower() != "delete":
        raise sqlcipher3.OperationalError("database is locked")
    try:
        done = conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"").fetchall()
        if done and str(done[0][0]) != "ok":
            raise sqlcipher3.DatabaseError(f"rekey failed: {done[0][0]}")
    finally:
        # The next open sets WAL again if this fails; it must not hide whether the rekey happened.
        with contextlib.suppress(sqlcipher3.Error):
            conn.execute("PRAGMA journal_mode = WAL").fetchone()


def integrity_check(conn: Connection) -> str:
    """SQLCipher's page-level HMAC check; returns 'ok' or the first problem found."""
    rows = conn.execute("PRAGMA cipher_integrity_check").fetchall()
    return "ok" if not rows else str(rows[0][0])


_SQLITE_LOCKED = 6


def _describe(exc: Exception) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return "the database cannot be decrypted or is truncated"
    return text
