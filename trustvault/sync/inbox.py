"""What this device receives: the partner's envelopes, verified, ordered and applied atomically.

Envelopes are applied strictly in the partner's sequence order; one that arrives early waits in the
transport until the gap before it fills. An envelope never spans two transactions, and its ops are
committed together with the new chain value, so a crash leaves all or none of it applied. An
envelope that repeats ops already applied is checked against the stored chain: identical means a
harmless duplicate, different means the partner's history was rewritten, which is reported and
never applied.

A withdrawal re-seals an envelope with its content redacted under a higher generation, and the
op digests stay the same, so the chain cannot tell the two copies apart. The highest generation
seen for each first sequence is stored; a copy of a lower generation (an old blob a medium put
back) is refused and never applied, whether the newer copy came in the same read or earlier.
"""

from dataclasses import dataclass, field
from functools import partial
from itertools import pairwise
from typing import Any

from crypto.envelope import Header, open_envelope
from crypto.errors import AuthenticationError
from crypto.identity import ChannelKeys
from trustvault.storage import inbox_store
from trustvault.storage.entry_store import EntryStore
from trustvault.storage.transaction import batched_transaction
from trustvault.sync import message_keys, tellings
from trustvault.sync.apply import OpApplier, OpRefused
from trustvault.sync.blob_memo import memo_key
from trustvault.sync.ops import DecodedOp, chain_step, decode_payload
from trustvault.sync.pair_state import PairState, refresh, save_pair
from trustvault.sync.prepared import Prepared
from trustvault.sync.rejection import Rejected

__all__ = ["BATCH_OPS", "Inbox", "Incoming", "incoming", "open_partner_blob"]

BATCH_OPS = 2000

Coming = tuple[list[dict[str, Any] | None], int]
"""What the next transaction will likely apply: its ops, and its last envelope's sequence."""


@dataclass
class Incoming:
    """A partner envelope that opened: its ops as (seq, digest, op-or-None), declared chain and
    generation (how many times the partner re-sealed it)."""

    name: str
    first_seq: int
    ops: list[DecodedOp]
    chain: bytes
    generation: int = 0
    format: int = 1
    ratchet: bytes = b""  # a v2 envelope's ratchet field: applying it uses its key up
    blob: bytes = b""  # as the medium holds it: a refusal remembers it (blob_memo)
    last_seq: int = field(init=False)  # its last op's, asked for many times per envelope

    def __post_init__(self) -> None:
        self.last_seq = self.ops[-1][0]


def open_partner_blob(
    keys: ChannelKeys, pair_id: bytes, name: str, blob: bytes
) -> Incoming | Rejected:
    """Open and decode a partner's v1 envelope, or say with a content-free reason why it is
    refused.

    Whatever this raises is a bug, not a verdict on the blob (see :mod:`.rejection`).
    """
    try:
        header, payload = open_envelope(keys.receive, blob)
    except AuthenticationError:
        return Rejected("did not authenticate (tampered, truncated or foreign)")
    return incoming(keys, pair_id, name, header, payload, blob=blob)


def incoming(
    keys: ChannelKeys,
    pair_id: bytes,
    name: str,
    header: Header,
    payload: bytes,
    fmt: int = 1,
    ratchet: bytes = b"",
    blob: bytes = b"",
) -> Incoming | Rejected:
    """Decode an opened partner envelope of either format (``fmt``), or say why it is refused."""
    if header.pair_id != pair_id or header.kind != b"E":
        return Rejected("belongs to another pair")
    if header.sender != (1 if keys.is_client else 0):
        return Rejected("has the wrong sender")
    decoded = decode_payload(payload)
    if isinstance(decoded, Rejected):
        # The person is told one reason for every malformed shape; the finer one is for tests.
        return Rejected("is malformed")
    ops, chain, generation = decoded
    if not ops or ops[0][0] != header.seq:
        return Rejected("is malformed")
    if any(b[0] != a[0] + 1 for a, b in pairwise(ops)):
        return Rejected("has a gap in its sequence")
    return Incoming(name, header.seq, ops, chain, generation, fmt, ratchet, blob)


@dataclass
class Inbox:
    """Applies opened envelopes to one vault's store; counts what happened."""

    store: EntryStore
    state: PairState
    keys: ChannelKeys  # a v2 envelope applied moves the ratchet on (:mod:`.message_keys`)
    applied_ops: int = 0
    refused_ops: int = 0
    rejected: int = 0
    duplicates: int = 0
    problems: list[str] = field(default_factory=list)
    arrived: dict[str, None] = field(default_factory=dict)
    """The entries the applied ops touched (new, edited, withdrawn, answered), first-seen order."""

    def apply_in_order(self, incoming: list[Incoming]) -> None:
        """Apply every envelope that continues the chain; leave later ones for a later sync.

        Envelopes are applied in transactions of up to :data:`BATCH_OPS` ops: each envelope is
        still all-or-nothing (it never spans two transactions), and one commit serves many. New
        entries and chain rows are written in batches, flushed before the commit (and before a
        duplicate check, which reads the chain rows). While a batch commits, the next one's
        versions are validated (:mod:`.prepared`).
        """
        conn = self.store.connection
        batch = 0
        self._prepared = Prepared()
        with batched_transaction(conn) as commit_and_continue:
            refresh(conn, self.state)
            newest = self._newest_generations(incoming)
            ordered = sorted(incoming, key=lambda e: e.first_seq)
            self._begin_batch(self._coming(ordered))
            for at, env in enumerate(ordered):
                if env.generation < newest.get(env.first_seq, 0):
                    self._reject(env, "was replaced by a newer copy")
                elif env.last_seq <= self.state.recv_seq:
                    self._flush()
                    self._check_duplicate(env)
                elif env.first_seq == self.state.recv_seq + 1:
                    if batch >= BATCH_OPS:
                        self._flush()
                        save_pair(conn, self.state)
                        coming = self._coming(ordered[at:])
                        commit_and_continue(partial(self._prepared.prepare, coming[0]))
                        refresh(conn, self.state)
                        self._begin_batch(coming)
                        batch = 0
                    self._apply(env)
                    batch += len(env.ops)
                elif env.first_seq <= self.state.recv_seq:
                    self._reject(env, "overlaps changes already received with different content")
            self._flush()
            save_pair(conn, self.state)
        self._prepared.clear()

    def _newest_generations(self, incoming: list[Incoming]) -> dict[int, int]:
        """The highest generation known for each first sequence, stored and in ``incoming``;
        stores what ``incoming`` raises (inside the caller's transaction)."""
        conn = self.store.connection
        newest = inbox_store.generations(conn)
        for env in incoming:
            newest[env.first_seq] = max(newest.get(env.first_seq, 0), env.generation)
        inbox_store.raise_generations(conn, [(e.first_seq, e.generation) for e in incoming])
        return newest

    def _coming(self, ordered: list[Incoming]) -> Coming:
        """The ops of the envelopes the next transaction will likely apply (those after what
        is applied, up to a batch), and the last of those envelopes' sequence: a guess, which
        only decides what is looked up and validated ahead."""
        ops: list[dict[str, Any] | None] = []
        through = 0
        for env in ordered:
            if len(ops) >= BATCH_OPS:
                break
            if env.last_seq > self.state.recv_seq:
                ops.extend(op for _, _, op in env.ops)
                through = env.last_seq
        return ops, through

    def _begin_batch(self, coming: Coming) -> None:
        """A new applier for the next transaction, which looks up the entries of the ops it will
        likely apply (:meth:`_coming`) in one query per 500 (rather than one per envelope)."""
        self._applier = OpApplier(self.store, self.state.partner_device, self._prepared)
        self._applier.prefetch(coming[0])
        self._covered = coming[1]
        self._chains: list[tuple[int, bytes]] = []
        self._used: list[bytes] = []  # ratchet fields of the v2 envelopes applied, in order

    def _flush(self) -> None:
        self._applier.flush()
        if self._applier.told:
            today = self.store.clock().astimezone().date()
            tellings.note_arrivals(self.store.connection, self.state, self._applier.told, today)
            self._applier.told = []
        if self._chains:
            inbox_store.add_chain_steps(self.store.connection, self._chains)
            self._chains = []
        if self._used:
            # In the transaction that applies them: their keys go with the ops' commit.
            message_keys.used(self.store.connection, self.state, self.keys, self._used)
            self._used = []

    def waiting(self, incoming: list[Incoming]) -> int:
        """How many envelopes are held back by a gap (the partner's earlier ones are missing)."""
        return sum(1 for e in incoming if e.first_seq > self.state.recv_seq + 1)

    def _apply(self, env: Incoming) -> None:
        """Apply one envelope inside the open transaction, if its chain continues ours."""
        chain = self.state.recv_chain
        chains = []
        for seq, op_hash, _ in env.ops:
            chain = chain_step(chain, seq, op_hash)
            chains.append((seq, chain))
        if chain != env.chain:
            self._reject(env, "does not match the partner's history (rewritten or damaged)")
            return
        applier = self._applier
        if env.last_seq > self._covered or applier.forgot:
            applier.prefetch([op for _, _, op in env.ops])  # not looked up with its batch
        for _, _, op in env.ops:
            if op is None:
                continue
            try:
                applier.apply(op)
                self.applied_ops += 1
                # A receipt of one's own disclosure touches no content: it is no news.
                if isinstance(entry_id := op.get("id"), str) and op.get("t") != "received":
                    self.arrived[entry_id] = None
            except OpRefused as exc:
                self.refused_ops += 1
                self.problems.append(f"A change from your partner was not applied: {exc}")
        self._chains.extend(chains)
        self.state.recv_seq, self.state.recv_chain = env.last_seq, chain
        if env.format >= 2:
            self._used.append(env.ratchet)
        if env.format >= 2 and not self.state.v2_from:
            self.state.v2_from = env.first_seq  # from here on, a v1 envelope is refused

    def _check_duplicate(self, env: Incoming) -> None:
        conn = self.store.connection
        start = inbox_store.chain_at(conn, env.first_seq - 1)
        if start is None and env.first_seq == 1:
            start = bytes(32)
        if start is None:
            self.duplicates += 1  # older than the kept chain: already applied long ago
            return
        chain = start
        for seq, op_hash, _ in env.ops:
            chain = chain_step(chain, seq, op_hash)
        # Consistent with itself is not enough (a rewriter can always manage that): the ops
        # must chain to the value stored when the originals were applied.
        end = inbox_store.chain_at(conn, env.last_seq)
        if chain != env.chain or (end is not None and chain != end):
            self._reject(env, "rewrites changes already received")
            return
        self.duplicates += 1

    def _reject(self, env: Incoming, reason: str) -> None:
        self.rejected += 1
        self.problems.append(f"An envelope from your partner was refused: it {reason}.")
        inbox_store.remember_rejected(self.store.connection, memo_key(env.name, env.blob), reason)
