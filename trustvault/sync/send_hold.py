"""A newly shared entry waits a short hold before it leaves, so sharing can be undone.

Sharing records its ops at once, in the same transaction as the change (the one-door rule), and
starts a hold (:func:`begin`). :func:`trustvault.sync.outbox.pack` seals ops in sequence order
and stops before the first op of a share still in its hold: ops recorded after it wait behind
it, so the chain is never reordered. Withdrawing the entry while its share is still here
(:func:`undo`) drops the share's ops and renumbers the unsealed ops after them, so nothing of
it reaches the medium, not even a redacted placeholder, and its delivery record goes back to
what it was ("never shared" for a first share). Renumbering is sound because none of those ops
was sealed: the partner's device has never seen their numbers.

A hold of 0 writes no row: the person chose to send at once, so the share is sealed at the next
sync, and withdrawing it before then is an ordinary withdrawal (its ops are redacted), as it was
before holds existed. A share held past its moment but not yet sealed (no sync since, or waiting
behind an earlier hold) can still be undone: nothing of it has left.
"""

from datetime import datetime, timedelta

from trustvault.clock import Clock, iso_now
from trustvault.errors import InvalidField
from trustvault.storage import hold_store, meta_store, outbox_store, social_store
from trustvault.storage.connection import Connection
from trustvault.storage.hold_store import Hold
from trustvault.sync.ops import chain_step, op_digest, renumbered
from trustvault.sync.pair_state import PairState

__all__ = [
    "DEFAULT",
    "LONGEST",
    "Start",
    "begin",
    "departures",
    "forget_all",
    "hold_length",
    "pending",
    "sealed",
    "set_hold_length",
    "undo",
    "waiting_from",
]

DEFAULT = timedelta(minutes=5)
"""Long enough to have second thoughts about a disclosure, short enough not to feel withheld."""
LONGEST = timedelta(hours=1)
_KEY = "sync.send_hold"  # whole seconds; absent: DEFAULT


def hold_length(conn: Connection) -> timedelta:
    """How long a new share waits here (see :data:`DEFAULT`)."""
    value = meta_store.get(conn, _KEY)
    return DEFAULT if value is None else timedelta(seconds=int(value))


def set_hold_length(conn: Connection, hold: timedelta) -> None:
    """Choose how long a newly shared entry waits (0: it leaves at the next sync). Shares
    already waiting keep the moment they were given."""
    if not timedelta(0) <= hold <= LONGEST:
        raise InvalidField("hold", f"choose 0 to {int(LONGEST.total_seconds()) // 60} minutes")
    meta_store.put(conn, _KEY, str(int(hold.total_seconds())))


Start = tuple[str, int, bytes, tuple[int, str | None, str | None] | None]
"""(entry id, first seq, chain before it, delivery record before the share) of one share."""


def begin(conn: Connection, state: PairState, shares: list[Start], clock: Clock) -> None:
    """Shares just recorded, each from its first seq on (the chain value before it, the entry's
    delivery record before the share): hold them, unless the hold is 0. A share that recorded
    nothing holds nothing."""
    hold = hold_length(conn)
    if not hold:
        return
    until = _iso(clock() + hold)
    rows = []
    for entry_id, first_seq, chain_before, prior in shares:
        if state.send_seq < first_seq:
            continue
        last, delivered, withdrawn = prior if prior is not None else (None, None, None)
        had = prior is not None
        rows.append(Hold(entry_id, first_seq, until, chain_before, had, last, delivered, withdrawn))
    hold_store.add_many(conn, rows)


def pending(conn: Connection, entry_id: str) -> Hold | None:
    """The entry's share, while it has not left this device."""
    return hold_store.get(conn, entry_id)


def waiting_from(conn: Connection, now: datetime) -> int | None:
    """The first seq that may not be sealed at ``now`` (a share still in its hold), if any."""
    return hold_store.first_waiting(conn, _iso(now))


def departures(conn: Connection, now: datetime) -> tuple[int, str]:
    """How many shares are still in their hold at ``now``, and when the first of them may leave
    (ISO; "" when none waits)."""
    return hold_store.waiting(conn, _iso(now))


def sealed(conn: Connection, packed_seq: int) -> None:
    """Every op up to ``packed_seq`` is sealed: those shares have left the hold."""
    hold_store.release_sealed(conn, packed_seq)


def undo(conn: Connection, state: PairState, entry_id: str) -> bool:
    """Take back a share that has not left: True if there was one (the caller records no
    withdrawal, the partner's device never heard of it). Inside the caller's transaction."""
    hold = hold_store.get(conn, entry_id)
    if hold is None:
        return False
    ops = outbox_store.unsealed_ops(conn, hold.first_seq - 1)
    outbox_store.delete_ops(conn, [op[0] for op in ops if op[1] == entry_id])
    hold_store.delete(conn, entry_id)
    starts = {h.first_seq: h.entry_id for h in hold_store.holds_after(conn, hold.first_seq)}
    seq, chain, moves = hold.first_seq - 1, hold.chain_before, list[tuple[int, int]]()
    for old, _entry, text, digest in ops:
        if _entry == entry_id:
            continue
        seq += 1
        if old in starts:
            hold_store.move(conn, starts[old], seq, chain)
        # A redacted op (withdrawn, content gone) keeps its digest: nobody can recompute it.
        new_text = None if text is None else renumbered(text, seq)
        new_digest = bytes(digest) if new_text is None else op_digest(new_text)
        chain = chain_step(chain, seq, new_digest)
        outbox_store.rewrite_op(conn, old, seq, new_text, new_digest, chain)
        moves.append((old, seq))
    social_store.renumber_sharing(conn, moves)
    state.send_seq, state.send_chain = seq, chain
    prior = None
    if hold.had_sharing:
        assert hold.prior_last_seq is not None
        prior = (hold.prior_last_seq, hold.prior_delivered, hold.prior_withdrawn)
    social_store.restore_sharing(conn, entry_id, prior)
    return True


def forget_all(conn: Connection) -> None:
    """Unpairing: the shares still here never left; their delivery records say so again."""
    for hold in hold_store.all_holds(conn):
        prior = None
        if hold.had_sharing and hold.prior_last_seq is not None:
            prior = (hold.prior_last_seq, hold.prior_delivered, hold.prior_withdrawn)
        social_store.restore_sharing(conn, hold.entry_id, prior)
    hold_store.delete_all(conn)


def _iso(moment: datetime) -> str:
    """The stored form (``2026-11-01T09:05:00Z``): text order is time order."""
    return iso_now(lambda: moment)
