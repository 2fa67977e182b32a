"""What this device sends: ops recorded with the change that caused them, packed into envelopes.

An op is recorded inside the same transaction as the local change, so a change without its op (or
the reverse) can never be committed. Ops are packed into envelopes of up to :data:`MAX_OPS` ops;
sealed bytes are stored so a re-put is byte-identical. Confirmed envelopes leave the transport.
Revoking an entry redacts its ops that the partner has not confirmed and re-seals their envelopes
under a new name and a higher generation, sealed into the payload (``"gen"``), so the partner
refuses the old copy if a medium puts it back; the old blobs are deleted on the next push.
A newly shared entry's ops are sealed only once its hold has passed (:mod:`.send_hold`); the ops
after them wait behind them, in order.
"""

import json
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from crypto.envelope import bucket_size
from crypto.identity import ChannelKeys
from trustvault.storage import outbox_store, social_store
from trustvault.storage.connection import Connection
from trustvault.storage.outbox_store import OpRow
from trustvault.sync import closing_state, ratchet_state, sealing, send_hold, tellings
from trustvault.sync.ops import chain_step, encode_op, op_digest, redacted
from trustvault.sync.pair_state import PairState

__all__ = ["MAX_OPS", "confirm", "new_name", "pack", "record", "record_many", "redact_entry"]

MAX_OPS = 256
MAX_BYTES = 60 * 1024  # of encoded payload: an envelope of several ops pads to 64 KiB at most


def new_name() -> str:
    """A blob's name: 32 random hex digits, stored with what it names. A keyed name of kind and
    sequence hid them too, but let the medium see a re-seal's name family; a random one is just
    one more unrelated file."""
    return secrets.token_hex(16)


def record(
    conn: Connection, state: PairState, op_type: str, body: dict[str, Any], entry_id: str | None
) -> int:
    """Append an op to the outbox (inside the caller's transaction); returns its sequence number.

    Once the shared space is closed only what :data:`.closing_state.STILL_SENT` names may go:
    anything else raises :class:`~trustvault.errors.PairingError` and the change it belongs to
    is rolled back with it."""
    record_many(conn, state, op_type, [(body, entry_id)])
    return state.send_seq


def record_many(
    conn: Connection,
    state: PairState,
    op_type: str,
    bodies: Sequence[tuple[Mapping[str, Any], str | None]],
) -> None:
    """:func:`record` of many ops of one type, (body, entry id) each, in one statement."""
    closing_state.check_can_send(conn, op_type)
    rows = []
    seq, chain = state.send_seq, state.send_chain
    for body, entry_id in bodies:
        seq += 1
        text = encode_op(op_type, seq, body)
        op_hash = op_digest(text)
        chain = chain_step(chain, seq, op_hash)
        rows.append((seq, entry_id, op_type, text, op_hash, chain))
    outbox_store.add_ops(conn, rows)
    state.send_seq, state.send_chain = seq, chain


def pack(conn: Connection, state: PairState, keys: ChannelKeys, now: datetime) -> int:
    """Seal every recorded op not yet in an envelope, up to the first op of a share still in its
    hold at ``now``; returns the number of envelopes made."""
    made, stop = 0, send_hold.waiting_from(conn, now)
    while True:
        rows = outbox_store.ops_after(conn, state.packed_seq, MAX_OPS, before=stop)
        if not rows:
            send_hold.sealed(conn, state.packed_seq)
            return made
        rows = _fit(rows)
        tellings.note_shared(conn, rows, now.astimezone().date())
        _store_envelope(conn, state, keys, rows, generation=0)
        state.packed_seq = rows[-1][0]
        made += 1


def redact_entry(conn: Connection, state: PairState, keys: ChannelKeys, entry_id: str) -> int:
    """Withdraw the unconfirmed content ops of ``entry_id`` from the outbox and the transport."""
    seqs = outbox_store.unconfirmed_content_ops(conn, entry_id, state.confirmed_seq)
    if not seqs:
        return 0
    outbox_store.redact_ops(conn, seqs)
    retired = outbox_store.envelopes_with_redacted_ops(conn, entry_id)
    for first, last, generation, name, bucket in retired:
        rows = outbox_store.ops_between(conn, first, last)
        outbox_store.retire_envelope(conn, first, name)
        _store_envelope(conn, state, keys, rows, generation + 1, bucket)
    return len(seqs)


def confirm(conn: Connection, state: PairState, through: int, day: str) -> None:
    """The partner applied every op up to ``through``: mark deliveries (on ``day``, this
    device's local date), retire envelopes."""
    if through <= state.confirmed_seq:
        return
    through = min(through, state.packed_seq)
    social_store.mark_delivered(conn, through, day)
    outbox_store.retire_confirmed(conn, through)
    ratchet_state.confirmed(conn, through)  # their message keys go with them
    state.confirmed_seq = through


def _fit(rows: list[OpRow]) -> list[OpRow]:
    """The first ops of ``rows`` whose payload stays within :data:`MAX_BYTES` once encoded, as
    bytes (an emoji is one character but four bytes); always at least one op, and an op larger
    than that alone (the longest text an entry may hold still seals under a relay's 1 MiB)."""
    total, kept = len(_payload([], bytes(32))), list[OpRow]()
    for row in rows:
        total += len(json.dumps(_item(row), ensure_ascii=False).encode()) + 2  # and ", "
        if kept and total > MAX_BYTES:
            break
        kept.append(row)
    return kept


def _item(row: OpRow) -> Any:
    seq, op, digest, _ = row
    return op if op is not None else redacted(seq, bytes(digest))


def _payload(items: list[Any], chain: bytes, generation: int = 0) -> bytes:
    """UTF-8 JSON, not ASCII: escaped, an emoji would take twelve bytes instead of four.

    ``gen`` is written only for a re-sealed envelope, so a first sealing is byte for byte what
    older versions wrote and older receivers still read it."""
    doc: dict[str, Any] = {"ops": items, "chain": chain.hex()}
    if generation:
        doc["gen"] = generation
    return json.dumps(doc, ensure_ascii=False).encode()


def _store_envelope(
    conn: Connection,
    state: PairState,
    keys: ChannelKeys,
    rows: list[OpRow],
    generation: int,
    min_bucket: int = 0,
) -> None:
    """Seal and store one envelope; a re-seal (``generation`` above 0) pads to at least the
    bucket of the first sealing, so the medium sees a withdrawal the size of an edit."""
    first, last = rows[0][0], rows[-1][0]
    payload = _payload([_item(row) for row in rows], bytes(rows[-1][3]), generation)
    blob = sealing.seal(conn, state, keys, b"E", first, payload, min_bucket)
    bucket = max(bucket_size(len(payload)), min_bucket)
    outbox_store.add_envelope(conn, first, last, generation, new_name(), blob, bucket)
