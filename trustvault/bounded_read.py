"""Reading a small file the app owns, so a swapped-in device, pipe or huge file cannot hang it.

The key file beside the database, the remembered-vault note and the blobs in a sync folder are
read by size-bounded calls on a regular file opened without blocking: a symlink to ``/dev/zero``
is refused instead of read whole, a named pipe is refused instead of waited on forever. (Files a
person names on the command line, such as a passphrase file, may well be pipes: those are read
with a bound but not refused.)
"""

import errno
import os
import stat
from pathlib import Path

__all__ = ["FileTooLarge", "NotRegularFile", "read_regular_file"]


class NotRegularFile(OSError):
    def __init__(self, path: Path) -> None:
        super().__init__(errno.EINVAL, "it is not a regular file", str(path))


class FileTooLarge(OSError):
    def __init__(self, path: Path, limit: int) -> None:
        super().__init__(errno.EFBIG, f"it is larger than {limit} bytes", str(path))


def read_regular_file(path: Path, limit: int) -> bytes:
    """The whole content of the regular file at ``path``, at most ``limit`` bytes.

    Raises :class:`NotRegularFile`, :class:`FileTooLarge` or the ``OSError`` of opening it
    (``FileNotFoundError`` when absent).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(path)
        if info.st_size > limit:
            raise FileTooLarge(path, limit)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # it grew while being read
            raise FileTooLarge(path, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)
