"""The default medium: a folder both devices reach (Syncthing, Nextcloud, Dropbox, a USB stick).

Each blob is one file ``<name>.bin``: an opaque name and a suffix any program might use, so a
glance at the folder (or its provider's file list) does not name this app. Blobs that earlier
builds wrote as ``<name>.tvb`` are still read and deleted. Writes are atomic (temp file, fsync,
rename), so a file-sync tool never ships half a blob. Readers skip what such tools leave behind:
temporary and partial files, hidden files and the conflict copies Syncthing, Dropbox and
Nextcloud make. Only ciphertext under opaque names is ever written here; the live database never
lives in this folder.
"""

import contextlib
import errno
import os
import time
from pathlib import Path

from trustvault.atomic import atomic_write
from trustvault.bounded_read import FileTooLarge, NotRegularFile, read_regular_file
from trustvault.errors import MediumFull, TransportError
from trustvault.sync.transport import valid_name

__all__ = ["LEGACY_SUFFIX", "SUFFIX", "FolderTransport"]

SUFFIX = ".bin"
LEGACY_SUFFIX = ".tvb"
"""What earlier builds wrote: still read and deleted, never written."""
_SUFFIXES = (SUFFIX, LEGACY_SUFFIX)
_MAX_BLOB = 32 * 1024 * 1024
_POLL_SECONDS = 0.2
_FULL = (errno.ENOSPC, errno.EDQUOT)  # the disk, or the person's quota on it


class FolderTransport:
    """A :class:`~trustvault.sync.transport.Transport` over a plain folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise TransportError(
                f"The sync folder {self.folder} does not exist or is not a folder."
            )

    def put(self, name: str, data: bytes) -> None:
        path = self._path(name)
        try:
            atomic_write(path, data, mode=0o600)
        except OSError as exc:
            if exc.errno in _FULL:  # temporary: see MediumFull; atomic_write left no temp file
                raise MediumFull(
                    f"The sync folder {self.folder} is full ({exc.strerror}); it empties as"
                    " your partner's device reads.",
                    "The sync folder",
                ) from None
            raise TransportError(
                f"Cannot write to the sync folder {self.folder}: {exc.strerror}."
            ) from None

    def names(self) -> list[str]:
        names: set[str] = set()
        try:
            with os.scandir(self.folder) as entries:
                for entry in entries:
                    stem, dot, suffix = entry.name.rpartition(".")
                    if not dot or f".{suffix}" not in _SUFFIXES:
                        continue
                    # Only regular files: a folder named like a blob would make get() fail
                    # and with it every sync.
                    if valid_name(stem) and entry.is_file():
                        names.add(stem)
        except OSError as exc:
            raise TransportError(
                f"Cannot read the sync folder {self.folder}: {exc.strerror}."
            ) from None
        return sorted(names)

    def get(self, name: str) -> bytes | None:
        for path in self._paths(name):
            try:
                return read_regular_file(path, _MAX_BLOB)
            except FileNotFoundError:
                continue  # under the other suffix, or gone meanwhile
            except (FileTooLarge, NotRegularFile):
                return None  # not a blob this app wrote: skipped
            except OSError as exc:
                raise TransportError(
                    f"Cannot read from the sync folder {self.folder}: {exc.strerror}."
                ) from None
        return None

    def delete(self, name: str) -> None:
        for path in self._paths(name):
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise TransportError(
                    f"Cannot delete from the sync folder {self.folder}: {exc.strerror}."
                ) from None

    def wait(self, timeout: float) -> None:
        """Poll the folder until its listing changes or ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        before = self._signature()
        while time.monotonic() < deadline:
            time.sleep(min(_POLL_SECONDS, max(0.0, deadline - time.monotonic())))
            if self._signature() != before:
                return

    def leave(self) -> None:
        return None  # the folder is the people's own; this device's blobs were deleted

    def close(self) -> None:
        return None

    def _signature(self) -> tuple[str, ...]:
        with contextlib.suppress(TransportError):
            return tuple(self.names())
        return ()

    def _path(self, name: str) -> Path:
        return self._paths(name)[0]

    def _paths(self, name: str) -> tuple[Path, Path]:
        """Where ``name`` is written, then where an earlier version may have written it."""
        if not valid_name(name):
            raise TransportError(f"{name!r} is not a valid blob name.")
        return self.folder / f"{name}{SUFFIX}", self.folder / f"{name}{LEGACY_SUFFIX}"
