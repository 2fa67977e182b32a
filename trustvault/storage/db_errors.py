"""What a SQLite error from the vault's database means for the person, in words that tell them
what to do. Only an error SQLite itself calls corruption is reported as damage: a full disk, a
read-only folder or another program holding the lock are not the file's fault, and a person told
their vault is damaged may delete it.
"""

from pathlib import Path

import sqlcipher3

from trustvault.errors import (
    CorruptFile,
    DiskFull,
    StorageError,
    TrustVaultError,
    VaultBusy,
    VaultReadOnly,
)

__all__ = ["user_error"]

# Primary result codes (https://www.sqlite.org/rescode.html); extended codes carry them in the
# low byte (SQLITE_READONLY_DBMOVED is 1032 = 8 | 4 << 8).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


def user_error(exc: BaseException, db_path: Path) -> TrustVaultError | None:
    """The user-facing error for ``exc`` met on ``db_path``, or None when it is our bug
    (a closed connection, a misused cursor: ``ProgrammingError`` and ``InterfaceError``)."""
    if isinstance(exc, TrustVaultError):
        return exc
    if not isinstance(exc, sqlcipher3.DatabaseError) or isinstance(
        exc, sqlcipher3.ProgrammingError | sqlcipher3.InterfaceError
    ):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else _from_text(str(exc))
    if primary == _FULL:
        return DiskFull(db_path)
    if primary == _READONLY:
        return VaultReadOnly(db_path)
    if primary in (_BUSY, _LOCKED):
        return VaultBusy(db_path)
    if primary == _CANTOPEN:
        return StorageError(
            f"{db_path} could not be opened: its folder may have moved, be read-only or be on a"
            " disk that is gone. Nothing was changed."
        )
    if primary == _IOERR:
        return StorageError(
            f"The disk reported an error while reading or writing {db_path}. Nothing was"
            " changed; check the disk, then try again."
        )
    return CorruptFile(db_path, "a part of it cannot be read")


def _from_text(text: str) -> int | None:
    """Older builds set no error code: the message SQLite gives each code is fixed text."""
    text = text.lower()
    for needle, code in (
        ("disk is full", _FULL),
        ("readonly", _READONLY),
        ("read-only", _READONLY),
        ("is locked", _BUSY),
        ("unable to open", _CANTOPEN),
        ("disk i/o error", _IOERR),
    ):
        if needle in text:
            return code
    return None
