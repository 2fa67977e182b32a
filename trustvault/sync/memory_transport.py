"""An in-process transport for tests and the offline demo; the same contract as the folder."""

import threading
import time

from trustvault.errors import TransportError
from trustvault.sync.transport import valid_name

__all__ = ["MemoryTransport"]

_POLL_SECONDS = 0.05


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
        """Wake on a change made through any transport over the same dict.

        Each instance has its own condition, and the partner's device holds another instance
        over the shared dict, so its puts never notify ours: poll the dict as well.
        """
        deadline = time.monotonic() + timeout
        before = dict(self.blobs)
        with self._changed:
            while (remaining := deadline - time.monotonic()) > 0:
                if self._changed.wait(min(_POLL_SECONDS, remaining)) or self.blobs != before:
                    return

    def leave(self) -> None:
        return None

    def close(self) -> None:
        return None

    @staticmethod
    def _check(name: str) -> None:
        if not valid_name(name):
            raise TransportError(f"{name!r} is not a valid blob name.")
