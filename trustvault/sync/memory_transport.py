"""An in-process transport for tests and the offline demo; the same contract as the folder."""

import threading

from trustvault.errors import TransportError
from trustvault.sync.transport import valid_name

__all__ = ["MemoryTransport"]


class MemoryTransport:
    """Blobs in a dict shared by the two devices' transports; ``wait`` wakes on any change."""

    def __init__(self, blobs: dict[str, bytes] | None = None) -> None:
        self.blobs: dict[str, bytes] = {} if blobs is None else blobs
        self._changed = threading.Condition()

    def put(self, name: str, data: bytes) -> None:
        self._check(name)
        with self._changed:
            self.blobs[name] = bytes(data)
            self._changed.notify_all()

    def names(self) -> list[str]:
        return sorted(self.blobs)

    def get(self, name: str) -> bytes | None:
        self._check(name)
        return self.blobs.get(name)

    def delete(self, name: str) -> None:
        self._check(name)
        with self._changed:
            self.blobs.pop(name, None)
            self._changed.notify_all()

    def wait(self, timeout: float) -> None:
        with self._changed:
            self._changed.wait(timeout)

    def close(self) -> None:
        return None

    @staticmethod
    def _check(name: str) -> None:
        if not valid_name(name):
            raise TransportError(f"{name!r} is not a valid blob name.")
