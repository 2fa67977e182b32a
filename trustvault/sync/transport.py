"""The one interface every sync medium implements: a shared place of opaque, named blobs.

The folder transport (the default), the relay client and the in-memory transport used by tests all
implement :class:`Transport` (httpx's ``BaseTransport`` / ``MockTransport`` split). A transport
sees only ciphertext under opaque names; it knows nothing of entries, keys or partners.

Names match :data:`NAME_PATTERN`. Both devices see every blob; the sync engine tells its own from
the partner's. ``put`` is atomic (a reader sees the whole blob or nothing) and idempotent for a
name; ``delete`` of a missing name is not an error.
"""

import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from trustvault.errors import EnvelopeTooLarge, MediumFull

__all__ = [
    "NAME_PATTERN",
    "BatchTransport",
    "Transport",
    "delete_each",
    "get_each",
    "put_each",
    "valid_name",
]

Refusal = EnvelopeTooLarge | MediumFull

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,95}$")


def valid_name(name: str) -> bool:
    return NAME_PATTERN.fullmatch(name) is not None  # fullmatch: "$" alone lets "a\n" through


class Transport(Protocol):
    """A medium both partners' devices reach. Methods raise ``TransportError`` on failure;
    ``put`` raises its ``EnvelopeTooLarge`` when the medium will never take that blob."""

    def put(self, name: str, data: bytes) -> None:
        """Store ``data`` under ``name`` atomically; storing the same name again is harmless."""

    def names(self) -> list[str]:
        """Every complete blob present now (partial, temporary and conflict copies excluded)."""

    def get(self, name: str) -> bytes | None:
        """The blob's bytes, or None when it has gone since :meth:`names`."""

    def delete(self, name: str) -> None:
        """Remove the blob if present."""

    def wait(self, timeout: float) -> None:
        """Block until something may have changed or ``timeout`` seconds pass (best effort)."""

    def leave(self) -> None:
        """This device stops using the medium for its pair (after unpairing): a relay deletes
        the pair's mailbox; a folder stays, it is the people's own."""

    def close(self) -> None:
        """Release connections or watchers."""


@runtime_checkable
class BatchTransport(Transport, Protocol):
    """A medium that moves many blobs per request (the relay): a sync round then costs a few
    requests instead of one per envelope. :func:`put_each` and :func:`get_each` use it when
    the transport has it, else call ``put`` and ``get`` once per blob."""

    def put_many(self, items: Sequence[tuple[str, bytes]]) -> list[Refusal | None]:
        """Put each item in order: for each, None (stored or already held) or why the medium
        refused it; the list ends after the first :class:`MediumFull` (the rest were not
        tried). Raises ``TransportError`` for anything else, as ``put`` does."""

    def get_many(self, names: Sequence[str]) -> dict[str, bytes]:
        """The blobs among ``names`` still present (missing ones are left out)."""

    def delete_many(self, names: Sequence[str]) -> None:
        """Remove those of ``names`` present."""


def put_each(transport: Transport, items: Sequence[tuple[str, bytes]]) -> list[Refusal | None]:
    """:meth:`BatchTransport.put_many` on any transport."""
    if isinstance(transport, BatchTransport):
        return transport.put_many(items)
    outcomes: list[Refusal | None] = []
    for name, data in items:
        try:
            transport.put(name, data)
        except (EnvelopeTooLarge, MediumFull) as refused:
            outcomes.append(refused)
            if isinstance(refused, MediumFull):
                break
        else:
            outcomes.append(None)
    return outcomes


def get_each(transport: Transport, names: Sequence[str]) -> dict[str, bytes]:
    """:meth:`BatchTransport.get_many` on any transport."""
    if isinstance(transport, BatchTransport):
        return transport.get_many(names)
    found = {name: transport.get(name) for name in names}
    return {name: blob for name, blob in found.items() if blob is not None}


def delete_each(transport: Transport, names: Sequence[str]) -> None:
    """:meth:`BatchTransport.delete_many` on any transport."""
    if isinstance(transport, BatchTransport):
        transport.delete_many(names)
        return
    for name in names:
        transport.delete(name)
