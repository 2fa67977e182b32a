"""An op that must not wait behind a share in its hold: it goes ahead of the held ops.

Ops are sealed in sequence order and :func:`trustvault.sync.outbox.pack` stops before the first
op of a share still in its hold (:mod:`.send_hold`), so anything recorded after a share waits
with it, up to an hour. A pause (:mod:`trustvault.pauses`) must reach the partner within
seconds, so it takes the first held op's number and the unsealed ops from there move one on.
That is sound for the reason :func:`.send_hold.undo` renumbers: none of those ops was sealed, so
the partner's device has never seen their numbers; the holds and delivery records move with
their ops, and an undo afterwards works on the new numbers.
"""

from typing import Any

from trustvault.storage import hold_store, outbox_store, social_store
from trustvault.storage.connection import Connection
from trustvault.sync import closing_state, outbox
from trustvault.sync.ops import chain_step, encode_op, op_digest, renumbered
from trustvault.sync.pair_state import PairState

__all__ = ["record_ahead"]


def record_ahead(conn: Connection, state: PairState, op_type: str, body: dict[str, Any]) -> int:
    """Record an op (about no entry) before every share still held here; returns its seq.
    Inside the caller's transaction; the caller saves ``state``."""
    holds = hold_store.holds_after(conn, state.packed_seq)
    if not holds:
        return outbox.record(conn, state, op_type, body, None)
    closing_state.check_can_send(conn, op_type)
    first = holds[0]
    rows = outbox_store.unsealed_rows(conn, first.first_seq - 1)
    outbox_store.delete_ops(conn, [row[0] for row in rows])
    seq = first.first_seq
    text = encode_op(op_type, seq, body)
    digest = op_digest(text)
    chain = chain_step(first.chain_before, seq, digest)
    outbox_store.put_back_op(conn, seq, None, op_type, text, digest, chain)
    starts = {hold.first_seq: hold.entry_id for hold in holds}
    moves: list[tuple[int, int]] = []
    for old, entry_id, kind, old_text, old_digest in rows:
        seq += 1
        if old in starts:
            hold_store.move(conn, starts[old], seq, chain)
        # A redacted op (withdrawn, content gone) keeps its digest: nobody can recompute it.
        new_text = None if old_text is None else renumbered(old_text, seq)
        new_digest = bytes(old_digest) if new_text is None else op_digest(new_text)
        chain = chain_step(chain, seq, new_digest)
        outbox_store.put_back_op(conn, seq, entry_id, kind, new_text, new_digest, chain)
        moves.append((old, seq))
    # Each moves to a higher number: the highest first, so no record is moved twice.
    social_store.renumber_sharing(conn, moves[::-1])
    state.send_seq, state.send_chain = seq, chain
    return first.first_seq
