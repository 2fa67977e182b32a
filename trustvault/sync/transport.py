"""The one interface every sync medium implements: a shared place of opaque, named blobs.

The folder transport (the default), the relay client and the in-memory transport used by tests all
implement :class:`Transport` (httpx's ``BaseTransport`` / ``MockTransport`` split). A transport
sees only ciphertext under opaque names; it knows nothing of entries, keys or partners.

Names match :data:`NAME_PATTERN`. Both devices see every blob; the sync engine tells its own from
the partner's. ``put`` is atomic (a reader sees the whole blob or nothing) and idempotent for a
name; ``delete`` of a missing name is not an error.
"""

import re
from typing import Protocol

__all__ = ["NAME_PATTERN", "Transport", "valid_name"]

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,95}$")


def valid_name(name: str) -> bool:
    return NAME_PATTERN.fullmatch(name) is not None  # fullmatch: "$" alone lets "a\n" through


class Transport(Protocol):
    """A medium both partners' devices reach. Methods raise ``TransportError`` on failure;
    ``put`` raises its ``EnvelopeTooLarge`` when the medium will never take that blob."""

    def put(self, name: str, data: bytes) -> None:
        """Store ``data`` under ``name`` atomically; storing the same name again is harmless."""
        ...

    def names(self) -> list[str]:
        """Every complete blob present now (partial, temporary and conflict copies excluded)."""
        ...

    def get(self, name: str) -> bytes | None:
        """The blob's bytes, or None when it has gone since :meth:`names`."""
        ...

    def delete(self, name: str) -> None:
        """Remove the blob if present."""
        ...

    def wait(self, timeout: float) -> None:
        """Block until something may have changed or ``timeout`` seconds pass (best effort)."""
        ...

    def leave(self) -> None:
        """This device stops using the medium for its pair (after unpairing): a relay deletes
        the pair's mailbox; a folder stays, it is the people's own."""
        ...

    def close(self) -> None:
        """Release connections or watchers."""
        ...
