"""The seam between the relay and where it keeps mailboxes: one :class:`MailboxStore` protocol,
two engines behind it.

    store.py      SQLite, one file, one process: the embedded default (``--data``)
    pg_store.py   PostgreSQL, shared by several relay processes (``--postgres``)

Both keep the same rows (hashes of the two device credentials and of the join token, envelope
bytes under the names devices chose, per-mailbox counts) and answer the same calls; the relay's
test contract runs against each. What differs is who else must hear of a put: one SQLite process
wakes its own long-polls, while a PostgreSQL relay also tells the other processes (NOTIFY), which
:meth:`MailboxStore.follow` listens for.

:func:`plan_puts` is the one rule for a batch of puts, shared so both engines refuse alike: in
order, a name already held answers first (same bytes: a retry; other bytes: a conflict), then the
mailbox quota, then the relay-wide cap; the first refusal for room ends the batch, because the
partner applies envelopes in order and one after a gap would only wait there.
"""

import asyncio
import hashlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from trustvault.clock import Clock, system_clock

__all__ = [
    "INVITER",
    "JOINER",
    "Mailbox",
    "MailboxStore",
    "NewBlob",
    "PutResult",
    "StoreBase",
    "StoredBlob",
    "Wake",
    "plan_puts",
]

INVITER = 1
JOINER = 2

# Called with (mailbox id, author) after a put on another process; author 0 wakes every device
# of the mailbox (it was deleted), and a mailbox id of "" wakes every long-poll (the listener
# reconnected and may have missed something).
Wake = Callable[[str, int], None]


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
    seq: int  # in its mailbox
    author: int
    data: bytes


class PutResult(Enum):
    CREATED = "created"  # new name, stored
    SAME = "same"  # the name already held exactly these bytes: a retried upload
    CONFLICT = "conflict"  # the name already held other bytes; nothing changed
    OVER_QUOTA = "over_quota"  # storing would exceed the mailbox quota; nothing changed
    RELAY_FULL = "relay_full"  # storing would exceed the relay-wide byte cap; nothing changed
    NO_MAILBOX = "no_mailbox"  # the mailbox was deleted meanwhile; nothing stored


class MailboxStore(Protocol):
    """What the relay asks of its storage. Calls are synchronous and short. With ``threads``
    0 the event loop makes them, one at a time; otherwise the relay makes them from a pool of
    that many threads, so they may run at once (each engine says how it copes).
    ``total_bytes`` may lag other processes' writes by one sweep."""

    total_bytes: int
    threads: int

    def close(self) -> None: ...

    def scrub(self) -> bool: ...

    def mailbox(self, mailbox_id: str) -> Mailbox | None: ...

    def mailbox_count(self) -> int: ...

    def usage(self) -> tuple[int, int]:
        """(envelope bytes stored, mailboxes) across the whole store, for /metrics."""

    def create_mailbox(self, mailbox_id: str, inviter_hash: bytes, join_hash: bytes) -> bool: ...

    def set_joiner(self, mailbox_id: str, joiner_hash: bytes) -> bool: ...

    def touch(self, mailbox_id: str) -> None: ...

    def delete_mailbox(self, mailbox_id: str) -> None: ...

    def expire(
        self, unjoined_seconds: float, idle_seconds: float
    ) -> tuple[list[str], list[str]]: ...

    def put(
        self,
        mailbox_id: str,
        name: str,
        author: int,
        data: bytes,
        quota_bytes: int,
        quota_blobs: int,
        total_cap: int | None = None,
    ) -> tuple[PutResult, int]: ...

    def put_many(
        self,
        mailbox_id: str,
        author: int,
        items: Sequence[tuple[str, bytes]],
        quota_bytes: int,
        quota_blobs: int,
        total_cap: int | None = None,
    ) -> list[tuple[PutResult, int]]:
        """Each item's outcome and mailbox seq, in order, in one transaction; shorter than
        ``items`` when a refusal for room ended the batch (the rest were not tried)."""

    def get(self, mailbox_id: str, name: str) -> StoredBlob | None: ...

    def get_many(self, mailbox_id: str, names: Sequence[str]) -> dict[str, StoredBlob]: ...

    def names(self, mailbox_id: str) -> list[str]: ...

    def delete(self, mailbox_id: str, name: str) -> bool: ...

    def delete_many(self, mailbox_id: str, names: Sequence[str]) -> int:
        """Delete those of ``names`` present, in one transaction; how many were."""

    def latest_from_partner(self, mailbox_id: str, reader: int) -> int: ...

    def listing(self, mailbox_id: str, reader: int) -> tuple[list[str], int]:
        """(:meth:`names`, :meth:`latest_from_partner`) at once: what ``GET blobs`` answers."""

    async def follow(self, wake: Wake, ready: asyncio.Event) -> None:
        """Until cancelled, call ``wake`` for puts and deletions made by other processes; set
        ``ready`` once listening (a store no other process writes sets it and returns)."""


@dataclass(frozen=True, slots=True)
class NewBlob:
    name: str
    data: bytes
    digest: bytes
    seq: int


def digest_of(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def plan_puts(
    items: Sequence[tuple[str, bytes]],
    held: dict[str, tuple[int, bytes]],
    usage: tuple[int, int, int] | None,
    total_bytes: int,
    quota_bytes: int,
    quota_blobs: int,
    total_cap: int | None,
) -> tuple[list[tuple[PutResult, int]], list[NewBlob]]:
    """The outcomes of ``items`` and the rows to insert, given the names ``held`` (name ->
    (seq, digest)) and the mailbox's ``usage`` (bytes, blobs, last seq; None: no mailbox)."""
    if usage is None:
        return [(PutResult.NO_MAILBOX, 0)], []
    used, count, seq = usage
    held = dict(held)
    outcomes: list[tuple[PutResult, int]] = []
    new: list[NewBlob] = []
    added = 0
    for name, data in items:
        digest = digest_of(data)
        if name in held:
            old_seq, old_digest = held[name]
            same = old_digest == digest
            outcomes.append((PutResult.SAME if same else PutResult.CONFLICT, old_seq))
            continue
        if used + len(data) > quota_bytes or count + 1 > quota_blobs:
            outcomes.append((PutResult.OVER_QUOTA, 0))
        elif total_cap is not None and total_bytes + added + len(data) > total_cap:
            outcomes.append((PutResult.RELAY_FULL, 0))
        else:
            seq += 1
            used, count, added = used + len(data), count + 1, added + len(data)
            new.append(NewBlob(name, data, digest, seq))
            held[name] = (seq, digest)
            outcomes.append((PutResult.CREATED, seq))
            continue
        break  # a refusal for room: nothing after the gap
    return outcomes, new


class StoreBase(ABC):
    """The engine-independent half of a :class:`MailboxStore`. An engine supplies the SQL:
    :meth:`_write_touch`, :meth:`_delete_mailboxes`, :meth:`put_many`, :meth:`get_many` and
    :meth:`delete_many`; ``_P`` is its driver's parameter marker ("?" or "%s")."""

    _P = "?"
    total_bytes: int
    threads = 0

    def __init__(self, *, touch_every: float = 60.0, clock: Clock = system_clock) -> None:
        self.touch_every = touch_every
        self._clock = clock
        self._touched: dict[str, float] = {}  # mailbox id -> touched_at last written
        self._scrub_due = False  # something was deleted since the last scrub
        self._bytes_lock = threading.Lock()  # total_bytes, when calls come from threads

    def _add_bytes(self, delta: int) -> None:
        with self._bytes_lock:
            self.total_bytes += delta

    def _now(self) -> float:
        return self._clock().timestamp()

    # -- what each engine writes ------------------------------------------------------------------

    @abstractmethod
    def _write_touch(self, mailbox_id: str, now: float) -> None:
        """Write ``now`` as the mailbox's touched_at (the throttle above decides when)."""

    @abstractmethod
    def _delete_mailboxes(self, where: str, value: object) -> list[tuple[str, int]]:
        """Delete the mailboxes matching ``where`` (SQL with one parameter, ``value``) in one
        transaction, their blobs with them; (id, used bytes) of each."""

    @abstractmethod
    def put_many(
        self,
        mailbox_id: str,
        author: int,
        items: Sequence[tuple[str, bytes]],
        quota_bytes: int,
        quota_blobs: int,
        total_cap: int | None = None,
    ) -> list[tuple[PutResult, int]]:
        """:meth:`MailboxStore.put_many`, in the engine's SQL."""

    @abstractmethod
    def get_many(self, mailbox_id: str, names: Sequence[str]) -> dict[str, StoredBlob]:
        """:meth:`MailboxStore.get_many`, in the engine's SQL."""

    @abstractmethod
    def delete_many(self, mailbox_id: str, names: Sequence[str]) -> int:
        """:meth:`MailboxStore.delete_many`, in the engine's SQL."""

    @abstractmethod
    def names(self, mailbox_id: str) -> list[str]:
        """:meth:`MailboxStore.names`, in the engine's SQL."""

    @abstractmethod
    def latest_from_partner(self, mailbox_id: str, reader: int) -> int:
        """:meth:`MailboxStore.latest_from_partner`, in the engine's SQL."""

    # -- alike in both ----------------------------------------------------------------------------

    def touch(self, mailbox_id: str) -> None:
        """Record that a device used the mailbox; writes at most once per ``touch_every``, so
        a busy mailbox costs no write per request."""
        now = self._now()
        if now - self._touched.get(mailbox_id, 0.0) < self.touch_every:
            return
        self._write_touch(mailbox_id, now)
        self._touched[mailbox_id] = now

    def put(
        self,
        mailbox_id: str,
        name: str,
        author: int,
        data: bytes,
        quota_bytes: int,
        quota_blobs: int,
        total_cap: int | None = None,
    ) -> tuple[PutResult, int]:
        """Store ``data`` under ``name`` once; the outcome and the blob's mailbox seq (0 if none).

        ``total_cap`` bounds :attr:`total_bytes` across all mailboxes (None: no bound). A name
        already held is answered before any limit, so a retried upload is never refused.
        """
        (outcome,) = self.put_many(
            mailbox_id, author, [(name, data)], quota_bytes, quota_blobs, total_cap
        )
        return outcome

    def listing(self, mailbox_id: str, reader: int) -> tuple[list[str], int]:
        return self.names(mailbox_id), self.latest_from_partner(mailbox_id, reader)

    def get(self, mailbox_id: str, name: str) -> StoredBlob | None:
        return self.get_many(mailbox_id, [name]).get(name)

    def delete(self, mailbox_id: str, name: str) -> bool:
        return self.delete_many(mailbox_id, [name]) == 1

    def delete_mailbox(self, mailbox_id: str) -> None:
        self._drop(f"id = {self._P}", mailbox_id)

    def expire(self, unjoined_seconds: float, idle_seconds: float) -> tuple[list[str], list[str]]:
        """Drop abandoned invites (nobody joined within ``unjoined_seconds`` of creation) and
        mailboxes nobody used for ``idle_seconds``; the ids dropped, (unjoined, idle)."""
        now = self._now()
        unjoined = self._drop(
            f"joiner_hash IS NULL AND created_at < {self._P}", now - unjoined_seconds
        )
        idle = self._drop(f"touched_at < {self._P}", now - idle_seconds)
        self._touched = {k: t for k, t in self._touched.items() if now - t < self.touch_every}
        return unjoined, idle

    def _drop(self, where: str, value: object) -> list[str]:
        return self._released(self._delete_mailboxes(where, value))

    def _released(self, rows: Iterable[tuple[str, int]]) -> list[str]:
        """After mailboxes were deleted: their bytes leave the total, and a scrub is due."""
        dropped: list[str] = []
        for mailbox_id, used in rows:
            self._add_bytes(-int(used))
            self._touched.pop(mailbox_id, None)
            dropped.append(str(mailbox_id))
        self._scrub_due = self._scrub_due or bool(dropped)
        return dropped
