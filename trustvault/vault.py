"""A vault: one folder with an encrypted database and its key file, opened under one key.

Creating a vault builds it in a hidden staging folder and moves the files into place only when
complete, so an interrupted ``init`` leaves nothing that looks like a vault. Re-keying writes the
new key file beside the old one before the database changes, so an interrupted re-key leaves a
vault that one of the two passphrases opens (:meth:`Vault.rekey`). Unlocking runs Argon2id (slow
by design): the UI calls it from a worker thread.
"""

import contextlib
import hmac
import os
import shutil
from pathlib import Path

import sqlcipher3

from crypto.errors import AuthenticationError
from crypto.kdf import KdfParams
from crypto.keywrap import (
    WrongPassphraseError,
    new_vault_key,
    unwrap_vault_key,
    wrap_vault_key,
)
from trustvault.atomic import fsync_dir
from trustvault.clock import Clock, iso_now, system_clock
from trustvault.errors import (
    CorruptFile,
    InvalidField,
    PassphraseReplaced,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    WrongPassphrase,
)
from trustvault.ids import new_id
from trustvault.keyfile import read_key_file, write_key_file
from trustvault.names import display_name
from trustvault.openings import record_opening
from trustvault.paths import DB_NAME, KEY_NAME, NEXT_KEY_NAME, vault_exists
from trustvault.storage import erasure, meta_store
from trustvault.storage.connection import (
    Connection,
    integrity_check,
    open_database,
    rekey_database,
    truncate_wal,
)
from trustvault.storage.db_errors import user_error
from trustvault.storage.entry_store import EntryStore
from trustvault.storage.migrations import migrate, schema_version
from trustvault.sync.pair_state import load_identity
from trustvault.sync.recorder import Recorder

__all__ = ["MIN_PASSPHRASE", "Vault"]

MIN_PASSPHRASE = 8


class Vault:
    """An open vault. Use :meth:`create`, :meth:`unlock` or :meth:`open_with_key`; then close."""

    def __init__(
        self, folder: Path, conn: Connection, key: bytes | bytearray, clock: Clock
    ) -> None:
        self.folder = folder
        self._conn: Connection | None = conn
        self._key = bytearray(key)  # zeroed by close(); see the limits in PROTOCOL.md §1
        self.clock = clock
        self.device_id = self.meta("device_id")
        self.vault_id = self.meta("vault_id")
        self.entries = EntryStore(conn, self.device_id, clock)
        self.recorder = Recorder(self.entries, clock)
        self.previous_opening: str | None = None  # ISO, UTC; see trustvault.openings

    # -- lifecycle -------------------------------------------------------------------------

    @staticmethod
    def exists(folder: Path) -> bool:
        return vault_exists(folder)

    @classmethod
    def create(
        cls,
        folder: Path,
        passphrase: str,
        name: str,
        *,
        kdf_profile: str = "moderate",
        clock: Clock = system_clock,
    ) -> "Vault":
        """Make a new vault in ``folder`` (created if missing) and return it open."""
        name = display_name(name)
        _check_new_passphrase(passphrase)
        _finish_interrupted_create(folder)
        if (folder / KEY_NAME).exists() or (folder / DB_NAME).exists():
            raise VaultExists(f"A vault already exists in {folder}; nothing was changed.")
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for leftover in folder.glob(".init-*"):
            # A create killed before its files moved: an unfinished vault that nothing can open.
            shutil.rmtree(leftover, ignore_errors=True)
        stage = folder / f".init-{os.urandom(6).hex()}"
        stage.mkdir(mode=0o700)
        try:
            key = new_vault_key()
            conn = open_database(stage / DB_NAME, key, create=True)
            try:
                migrate(conn)
                now = iso_now(clock)
                meta_store.put_many(
                    conn,
                    [
                        ("device_id", new_id()),
                        ("vault_id", new_id()),
                        ("name", name),
                        ("created", now),
                    ],
                )
                load_identity(conn)
                truncate_wal(conn)
            finally:
                conn.close()
            write_key_file(
                stage / KEY_NAME, wrap_vault_key(passphrase, key, KdfParams.new(kdf_profile))
            )
            os.replace(stage / DB_NAME, folder / DB_NAME)
            os.replace(stage / KEY_NAME, folder / KEY_NAME)
            fsync_dir(folder)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        return cls.open_with_key(folder, key, clock=clock)

    @classmethod
    def unwrap_key(cls, folder: Path, passphrase: str) -> bytes:
        """Check the passphrase and return the database key (runs Argon2id). A re-key that was
        interrupted is settled here first (see :meth:`rekey`)."""
        path = _key_path(folder)
        if (folder / NEXT_KEY_NAME).exists():
            return _settle_interrupted_rekey(folder, passphrase)
        return _unwrap(path, passphrase)

    @classmethod
    def unlock(cls, folder: Path, passphrase: str, *, clock: Clock = system_clock) -> "Vault":
        return cls.open_with_key(folder, cls.unwrap_key(folder, passphrase), clock=clock)

    @classmethod
    def open_with_key(cls, folder: Path, key: bytes, *, clock: Clock = system_clock) -> "Vault":
        """Open with an already-unwrapped key (from the keychain, or right after unlocking)."""
        _key_path(folder)
        conn = open_database(folder / DB_NAME, key)
        try:
            if schema_version(conn) == 0:
                raise CorruptFile(folder / DB_NAME, "it holds no vault tables")
            migrate(conn)
            # A withdrawal whose erasure a crash or a reader interrupted: finish it now if
            # nobody else reads (without waiting: another process may hold the vault open).
            erasure.finish(conn)
            vault = cls(folder, conn, key, clock)
            vault.previous_opening = record_opening(conn, iso_now(clock))
            return vault
        except sqlcipher3.DatabaseError as exc:
            conn.close()
            raise (user_error(exc, folder / DB_NAME) or exc) from None
        except BaseException:
            conn.close()
            raise

    def close(self) -> None:
        """Close the database and zero this object's copy of the key (the app locks by closing);
        closing again does nothing, and any later use raises :class:`VaultLocked`.

        A withdrawal's erasure still pending (another connection was reading) is finished
        first if that reader is done within :data:`~trustvault.storage.erasure.CLOSE_WAIT`;
        otherwise it stays marked, and the next open or sync finishes it. Closing the
        connection also ends SQLCipher's own copy of the key (PROTOCOL.md §1 lists what stays).
        """
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(sqlcipher3.Error):
                erasure.finish(conn, erasure.CLOSE_WAIT)
            with contextlib.suppress(sqlcipher3.Error):
                conn.close()
        _zero(self._key)

    def __enter__(self) -> "Vault":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- settings --------------------------------------------------------------------------

    @property
    def conn(self) -> Connection:
        """The open database connection; :class:`VaultLocked` once the vault is closed."""
        if self._conn is None:
            raise VaultLocked()
        return self._conn

    @property
    def key(self) -> bytes:
        """A copy of the database key, for the keychain; never log or display it.

        The copy is immutable and cannot be zeroed: ask for it only where bytes are needed, and
        use :meth:`has_key` to compare."""
        return bytes(self._open_key())

    def has_key(self, key: bytes | bytearray) -> bool:
        """Whether ``key`` is this vault's database key (in constant time, without a copy)."""
        return hmac.compare_digest(key, self._open_key())

    def _open_key(self) -> bytearray:
        if self._conn is None:
            raise VaultLocked()
        return self._key

    @property
    def name(self) -> str:
        return self.meta("name")

    def meta(self, key: str, default: str | None = None) -> str:
        value = meta_store.get(self.conn, key)
        if value is None:
            if default is not None:
                return default
            raise CorruptFile(self.folder / DB_NAME, f"the setting {key!r} is missing")
        return value

    def set_meta(self, key: str, value: str) -> None:
        meta_store.put(self.conn, key, value)

    def change_passphrase(self, new_passphrase: str, *, kdf_profile: str = "moderate") -> None:
        """Re-wrap the database key under a new passphrase; the database is untouched, so an
        old copy of the key file still opens it with the old passphrase (:meth:`rekey` stops
        that)."""
        _check_new_passphrase(new_passphrase)
        # PyNaCl takes only bytes: this short-lived copy is freed, not zeroed.
        key = bytes(self._open_key())
        wrapped = wrap_vault_key(new_passphrase, key, KdfParams.new(kdf_profile))
        write_key_file(self.folder / KEY_NAME, wrapped)

    def rekey(self, new_passphrase: str, *, kdf_profile: str = "moderate") -> None:
        """Re-encrypt the whole database under a new random key, wrapped by ``new_passphrase``:
        old copies of the key file (a backup, a synced copy) no longer open it.

        Three steps, so that a kill at any point leaves a vault one of the two passphrases
        opens, with nothing lost:

        1. the new key file is written beside the old one, as ``vault.key.next``;
        2. the database is rekeyed in one transaction (the commit point);
        3. ``vault.key.next`` replaces ``vault.key``.

        Killed before the commit point, the database is under the old key: the old passphrase
        opens it and drops the stale ``vault.key.next``. Killed after it, the new passphrase
        opens it through ``vault.key.next`` and finishes step 3 (:meth:`unwrap_key`). Every other
        connection to the database must be closed (another program holding the vault makes this
        fail before anything changed). Pairing keys live inside the database and are untouched.
        """
        _check_new_passphrase(new_passphrase)
        self._open_key()
        new_key = new_vault_key()
        wrapped = wrap_vault_key(new_passphrase, new_key, KdfParams.new(kdf_profile))
        pending = self.folder / NEXT_KEY_NAME
        write_key_file(pending, wrapped)
        try:
            rekey_database(self.conn, new_key)
        except Exception as exc:
            committed = _opens_quietly(self.folder, new_key)
            if committed is False:
                pending.unlink(missing_ok=True)  # the database still has the old key
            if not committed:
                if isinstance(exc, sqlcipher3.DatabaseError):
                    raise (user_error(exc, self.folder / DB_NAME) or exc) from None
                raise
        _zero(self._key)
        self._key = bytearray(new_key)
        os.replace(pending, self.folder / KEY_NAME)
        fsync_dir(self.folder)

    def integrity_check(self) -> str:
        """SQLCipher's page-level HMAC check; returns 'ok' or the first problem found."""
        return integrity_check(self.conn)


def _key_path(folder: Path) -> Path:
    path = folder / KEY_NAME
    if not path.exists():
        _finish_interrupted_create(folder)
    if not path.exists():
        if (folder / DB_NAME).exists():
            raise CorruptFile(path, "the key file is missing beside the database")
        raise VaultNotFound(f"No vault in {folder}. Create one with 'trustvault-cli init'.")
    return path


def _unwrap(path: Path, passphrase: str) -> bytes:
    wrapped = read_key_file(path)
    try:
        return unwrap_vault_key(passphrase, wrapped)
    except WrongPassphraseError:
        raise WrongPassphrase() from None
    except AuthenticationError:
        raise CorruptFile(path, "the wrapped key fails its integrity check") from None


def _settle_interrupted_rekey(folder: Path, passphrase: str) -> bytes:
    """Finish or undo a :meth:`Vault.rekey` that stopped with ``vault.key.next`` in place.

    Which key opens the database tells which side of the commit point it stopped on: the old
    key (the rekey never happened, the next key file is dropped) or the new one (the next key
    file replaces the old one). The passphrase unwraps one of the two key files.
    """
    current, pending = folder / KEY_NAME, folder / NEXT_KEY_NAME
    old = _unwrap_or_none(current, passphrase)
    if old is not None and _opens(folder, old):
        pending.unlink(missing_ok=True)
        fsync_dir(folder)
        return old
    new = _unwrap_or_none(pending, passphrase)
    if new is not None and _opens(folder, new):
        os.replace(pending, current)
        fsync_dir(folder)
        return new
    if old is not None:
        raise PassphraseReplaced()
    raise WrongPassphrase()


def _unwrap_or_none(path: Path, passphrase: str) -> bytes | None:
    try:
        return _unwrap(path, passphrase)
    except WrongPassphrase:
        return None


def _opens(folder: Path, key: bytes) -> bool:
    """Whether ``key`` decrypts the vault's database (a busy or unreadable disk still raises)."""
    try:
        conn = open_database(folder / DB_NAME, key)
    except CorruptFile:
        return False
    try:
        return schema_version(conn) > 0
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def _opens_quietly(folder: Path, key: bytes) -> bool | None:
    """:func:`_opens`, or None when it cannot tell (the disk or another program said no)."""
    try:
        return _opens(folder, key)
    except Exception:
        return None


def _finish_interrupted_create(folder: Path) -> None:
    """Roll forward a :meth:`Vault.create` killed between moving the database and the key file.

    That window leaves ``vault.db`` in place and ``vault.key`` in the staging folder; completing
    the move yields the vault the person asked for instead of a database nobody can open.
    """
    if not (folder / DB_NAME).exists():
        return
    for stage in folder.glob(".init-*"):
        staged_key = stage / KEY_NAME
        if staged_key.is_file() and not (stage / DB_NAME).exists():
            os.replace(staged_key, folder / KEY_NAME)
            fsync_dir(folder)
            shutil.rmtree(stage, ignore_errors=True)
            return


def _zero(buffer: bytearray) -> None:
    """Overwrite ``buffer`` with zeros where it lies (a same-length slice assignment does not
    move a bytearray)."""
    buffer[:] = bytes(len(buffer))


def _check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidField("passphrase", f"must be at least {MIN_PASSPHRASE} characters")
