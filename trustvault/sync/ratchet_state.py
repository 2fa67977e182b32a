"""This device's side of the pair's Double Ratchet, kept in the vault (schema 20).

:mod:`crypto.ratchet` computes; this module decides what is kept and when it goes, inside the
caller's transaction:

- Sealing an ``E`` envelope takes the next key of the sending chain and keeps it, with the
  envelope's ratchet field, until the partner's receipt covers the envelope: a withdrawal
  re-seals it under the same key and field (new nonces), so the partner sees a newer generation
  of the same envelope. A receipt deletes the keys it covers.
- Opening the partner's envelope ahead of applying it changes nothing; applying it moves the
  receiving chain past its key (forgotten) and drops the chains the partner has left.
- A partner public is stepped on once: every public either device used is remembered, so an old
  receipt or envelope a medium puts back cannot move the root.
- Whenever keys leave the state, the write-ahead log is marked for erasure
  (:mod:`trustvault.storage.erasure`): an old page image of the state would otherwise hold them.

The first state comes from a seed the pairing (or the move from v1) agreed: :func:`start` stores
it there and then, so the seed itself is never kept (:mod:`.pair_seed` says where seeds come
from). A pair whose partner sent no seed (a client of v2 before seeds) has no stored state until
its first use, and that state is derived from the static channel keys alone (PROTOCOL.md §4b).
"""

from datetime import date

from crypto.errors import ParameterError
from crypto.identity import ChannelKeys, KeyPair, channel_keys
from crypto.ratchet import (
    MAX_SKIP,
    Chain,
    RatchetField,
    RatchetState,
    advertised,
    initial_state,
    kdf_chain,
    next_send_key,
    observe,
    received_through,
)
from trustvault.storage import erasure, ratchet_store
from trustvault.storage.connection import Connection
from trustvault.storage.ratchet_store import Stored
from trustvault.sync.pair_state import PairState, load_identity

__all__ = [
    "STEP_DAYS",
    "applied",
    "confirmed",
    "forget_in_memory",
    "key_to_open",
    "key_to_seal",
    "note_use",
    "partner_public",
    "receipt_public",
    "start",
    "step_due",
]

STEP_DAYS = 3
"""Days of use after which a device answers the partner's newest public with one of its own (in
a receipt) even if it has nothing to send, so a stolen state stops working within that."""


def start(
    conn: Connection, pair_id: bytes, identity: KeyPair, partner_public: bytes, seed: bytes
) -> None:
    """Store this pairing's first state, from ``seed`` (inside the caller's transaction), so the
    caller can delete what made the seed. A state this pairing already has stays as it is."""
    if ratchet_store.load(conn, pair_id) is not None:
        return
    first = _initial(
        pair_id, identity, channel_keys(identity, partner_public), partner_public, seed
    )
    _write(conn, pair_id, Stored(first.pack(), -1, 0, ""))
    ratchet_store.mark_seen(conn, first.partner_public)
    erasure.mark_pending(conn, index=False)


def key_to_seal(
    conn: Connection, pair: PairState, keys: ChannelKeys, first: int
) -> tuple[bytes, bytes]:
    """(message key, packed ratchet field) for the ``E`` envelope whose first op is ``first``.

    A re-seal of an unconfirmed envelope (same ``first``) gets the key and field it had."""
    kept = ratchet_store.sent_key(conn, first)
    if kept is not None:
        return kept
    state, stored = _load(conn, pair, keys)
    after, key, field = next_send_key(state)
    packed = field.pack()
    ratchet_store.add_sent_key(conn, first, key, packed)
    _save(conn, pair, state, after, stored)
    return key, packed


def key_to_open(conn: Connection, pair: PairState, keys: ChannelKeys, field: bytes) -> bytes | None:
    """The message key of the partner's envelope with ratchet ``field``, without using it up;
    None when this vault cannot open it (applied already, or a public it will not step on).

    The chain walked to reach it is remembered in memory (:class:`_Walks`), so opening a
    listing of n envelopes of one chain, in any order, costs n steps, not n²/2; and so are the
    stored row and what it makes of each public (:func:`_peek`), so a listing reads the row
    once. A key found from a row another process has since moved on is still the envelope's
    key (one already applied there is then found a duplicate, as it is); a refusal is only ever
    the stored row's own, read afresh."""
    try:
        parsed = RatchetField.unpack(field)
    except ParameterError:
        return None
    key = _key_in(_peek(conn, pair, keys, parsed.public), pair, parsed)
    if key is None and _ROWS.pop(pair.pair_id, None) is not None:
        key = _key_in(_peek(conn, pair, keys, parsed.public), pair, parsed)
    return key


def _key_in(stepped: RatchetState | None, pair: PairState, parsed: RatchetField) -> bytes | None:
    chain = None if stepped is None else _chain_of(stepped, parsed.public)
    return None if chain is None else _WALKS.message_key(pair.pair_id, chain, parsed.index)


def _chain_of(state: RatchetState, public: bytes) -> Chain | None:
    """The receiving chain of ``public`` (a loop, not next() over a generator: this runs for
    every envelope opened)."""
    for chain in state.receiving:
        if chain.public == public:
            return chain
    return None


def _peek(
    conn: Connection, pair: PairState, keys: ChannelKeys, public: bytes
) -> RatchetState | None:
    """:func:`_observed` of the stored state (or the start, before there is one), remembered by
    the state's packed bytes.

    Safe to remember for as long as the row holds the same bytes: a public only ever becomes
    "seen" (:func:`_save`) along with a new state, which the row's bytes would show."""
    row = _ROWS.get(pair.pair_id)
    if row is None or row[0] is not conn:
        stored = ratchet_store.load(conn, pair.pair_id)
        start = None if stored is not None else _load(conn, pair, keys)[0]
        row = _ROWS[pair.pair_id] = (conn, stored.state if stored is not None else b"", start)
    _, packed, start = row
    slot = (pair.pair_id, packed or (start.pack() if start else b""), public)
    if slot not in _PEEKS:
        if len(_PEEKS) >= _PEEKS_KEPT:
            _PEEKS.clear()
        _PEEKS[slot] = _observed(conn, start or RatchetState.unpack(packed), public)
    return _PEEKS[slot]


def applied(conn: Connection, pair: PairState, keys: ChannelKeys, fields: list[bytes]) -> None:
    """The partner's envelopes with these ratchet fields were applied, in this order: their
    keys are forgotten (here and in memory), and chains the partner has left go with them.

    Each run of envelopes on one chain moves the state once, to the chain key the opening
    walked to already (:class:`_Walks`), rather than deriving every key a second time."""
    state, stored = _load(conn, pair, keys)
    after = state
    for public, indexes in _runs(fields):
        stepped = _observed(conn, after, public)
        chain = None if stepped is None else _chain_of(stepped, public)
        if stepped is None or chain is None:
            raise ParameterError(_CANNOT_OPEN)
        walked = _WALKS.following(pair.pair_id, chain, indexes[-1])
        moved = received_through(stepped, public, indexes, walked)
        if moved is None:
            raise ParameterError(_CANNOT_OPEN)
        after = moved
    _WALKS.forget_before(pair.pair_id, after.receiving)
    _save(conn, pair, state, after, stored)


_CANNOT_OPEN = "an envelope was applied that this ratchet cannot open"


def _runs(fields: list[bytes]) -> list[tuple[bytes, list[int]]]:
    """The fields as runs of one public each, in order: (public, their indexes)."""
    runs: list[tuple[bytes, list[int]]] = []
    for raw in fields:
        try:
            field = RatchetField.unpack(raw)
        except ParameterError:
            raise ParameterError(_CANNOT_OPEN) from None
        if runs and runs[-1][0] == field.public:
            runs[-1][1].append(field.index)
        else:
            runs.append((field.public, [field.index]))
    return runs


def partner_public(conn: Connection, pair: PairState, keys: ChannelKeys, public: bytes) -> bool:
    """The partner's public from a receipt: step on it if it is new; True when it was."""
    state, stored = _load(conn, pair, keys)
    after = _observed(conn, state, public)
    if after is None or after is state:
        return False
    _save(conn, pair, state, after, stored)
    return True


def receipt_public(conn: Connection, pair: PairState, keys: ChannelKeys) -> bytes:
    """The public a new receipt carries, stepping first if the partner answered the last one
    and every envelope this device sealed was confirmed (see :func:`_may_step_in_receipt`)."""
    state, stored = _load(conn, pair, keys)
    if not _may_step_in_receipt(conn):
        return state.own_public
    after, public = advertised(state)
    if after is not state:
        _save(conn, pair, state, after, stored)
    return public


def note_use(conn: Connection, pair: PairState, keys: ChannelKeys, today: date) -> None:
    """This device syncs on ``today`` (its local day): one more day of use if it is a new one."""
    state, stored = _load(conn, pair, keys)
    if stored.last_day != today.isoformat():
        stored = stored._replace(used=stored.used + 1, last_day=today.isoformat())
        _write(conn, pair.pair_id, stored._replace(state=state.pack()))


def step_due(conn: Connection, pair: PairState, keys: ChannelKeys) -> bool:
    """Whether a receipt should go out only to step: the partner answered this device's public,
    which is :data:`STEP_DAYS` days of use old (or this device never made one)."""
    state, stored = _load(conn, pair, keys)
    if not state.steps_pending or not _may_step_in_receipt(conn):
        return False
    return stored.stepped < 0 or stored.used - stored.stepped >= STEP_DAYS


def confirmed(conn: Connection, through: int) -> None:
    """The partner's receipt covers every envelope up to op ``through``: their keys go."""
    if ratchet_store.forget_sent_keys(conn, through):
        erasure.mark_pending(conn, index=False)


def _may_step_in_receipt(conn: Connection) -> bool:
    """A receipt steps only while no envelope of this device waits for confirmation.

    Each step makes the partner keep one more receiving chain until an envelope of a later one
    arrives; envelopes sealed before the step and still on their way (a full medium, a partner
    that reads slowly) would otherwise see their chain pushed out by receipts stepping every
    round. Sealing an envelope still steps (its chain is the one it uses)."""
    return ratchet_store.sent_key_count(conn) == 0


class _Walks:
    """Receiving chains walked ahead while opening, in memory only, one per chain public.

    Each holds the chain keys and message keys from the stored chain's index on; they are what
    the stored chain key derives anyway, and :meth:`forget_before` drops those of envelopes
    applied (and chains left) as the state moves on."""

    def __init__(self) -> None:
        self._walks: dict[tuple[bytes, bytes], tuple[int, list[bytes], list[bytes]]] = {}

    def message_key(self, pair_id: bytes, chain: Chain, index: int) -> bytes | None:
        if not 0 <= index - chain.index <= MAX_SKIP:
            return None
        slot = (pair_id, chain.public)
        start, chain_keys, message_keys = self._walks.get(slot, (chain.index, [chain.key], []))
        at = chain.index - start
        if not 0 <= at < len(chain_keys) or chain_keys[at] != chain.key:
            start, chain_keys, message_keys = chain.index, [chain.key], []  # another walk
        elif at:
            start, chain_keys, message_keys = chain.index, chain_keys[at:], message_keys[at:]
        while len(message_keys) <= index - start:
            message_key, following = kdf_chain(chain_keys[len(message_keys)])
            message_keys.append(message_key)
            chain_keys.append(following)
        self._walks[slot] = (start, chain_keys, message_keys)
        return message_keys[index - start]

    def following(self, pair_id: bytes, chain: Chain, index: int) -> bytes | None:
        """The chain key after message ``index`` of ``chain``, if a walk from it reached it."""
        start, chain_keys, _ = self._walks.get((pair_id, chain.public), (0, [], []))
        at = chain.index - start
        if not 0 <= at < len(chain_keys) or chain_keys[at] != chain.key:
            return None
        after = index + 1 - start
        return chain_keys[after] if 0 <= after < len(chain_keys) else None

    def clear(self) -> None:
        self._walks.clear()

    def forget_before(self, pair_id: bytes, chains: tuple[Chain, ...]) -> None:
        kept = {c.public: c.index for c in chains}
        for slot in [s for s in self._walks if s[0] == pair_id]:
            start, chain_keys, message_keys = self._walks.pop(slot)
            index = kept.get(slot[1])
            if index is not None and 0 <= index - start < len(chain_keys):
                at = index - start
                self._walks[slot] = (index, chain_keys[at:], message_keys[at:])


_WALKS = _Walks()


def forget_in_memory() -> None:
    """Drop the walks and the last receive step kept in memory: they serve one round's opening
    and applying only, and are key material (message keys, a whole ratchet state with its root)
    that must not outlive the round, nor a lock or an unpairing after it."""
    global _LAST_STEP
    _WALKS.clear()
    _PEEKS.clear()
    _ROWS.clear()
    _LAST_STEP = None


def _observed(conn: Connection, state: RatchetState, public: bytes) -> RatchetState | None:
    """``state`` after seeing ``public`` (the same object if it is known); None when it is one
    this pairing used before and left, or one no honest partner sends.

    The last receive step is remembered in memory: opening every envelope of a listing that
    starts a new chain makes its two X25519 operations once, not once per envelope."""
    global _LAST_STEP
    if state.knows(public):
        return state
    if ratchet_store.seen(conn, public):
        return None
    packed = state.pack()
    if _LAST_STEP is not None and _LAST_STEP[:2] == (packed, public):
        return _LAST_STEP[2]
    try:
        stepped = observe(state, public)
    except ParameterError:
        return None
    _LAST_STEP = (packed, public, stepped)
    return stepped


_LAST_STEP: tuple[bytes, bytes, RatchetState] | None = None

_PEEKS: dict[tuple[bytes, bytes, bytes], RatchetState | None] = {}
"""(pair id, stored state, public) -> what :func:`key_to_open` observed, for the round only."""
_ROWS: dict[bytes, tuple[Connection, bytes, RatchetState | None]] = {}
"""Pair id -> the vault read, the stored state's bytes (or the start, before there is a row) as
:func:`key_to_open` last read them, for the round only; this process's own writes drop it."""
_PEEKS_KEPT = 16  # a listing holds envelopes of a chain or two; a foreign flood only re-computes


def _load(conn: Connection, pair: PairState, keys: ChannelKeys) -> tuple[RatchetState, Stored]:
    stored = ratchet_store.load(conn, pair.pair_id)
    if stored is not None:
        return RatchetState.unpack(stored.state), stored
    first = _initial(pair.pair_id, load_identity(conn), keys, pair.partner_public, b"")
    return first, Stored(first.pack(), -1, 0, "")


def _initial(
    pair_id: bytes, identity: KeyPair, keys: ChannelKeys, partner_public: bytes, seed: bytes
) -> RatchetState:
    c2s, s2c = (keys.send, keys.receive) if keys.is_client else (keys.receive, keys.send)
    return initial_state(c2s, s2c, pair_id, identity, partner_public, keys.is_client, seed)


def _save(
    conn: Connection, pair: PairState, before: RatchetState, after: RatchetState, stored: Stored
) -> None:
    for public in {after.own_public, after.partner_public} - {before.own_public}:
        ratchet_store.mark_seen(conn, public)
    if after.own_public != before.own_public:
        stored = stored._replace(stepped=stored.used)
    _write(conn, pair.pair_id, stored._replace(state=after.pack()))
    erasure.mark_pending(conn, index=False)


def _write(conn: Connection, pair_id: bytes, stored: Stored) -> None:
    """Every write of the row goes here: it drops the row an opening kept (:data:`_ROWS`), so
    no opening derives keys from a state this process has replaced (a seeded start included)."""
    ratchet_store.save(conn, pair_id, stored)
    _ROWS.pop(pair_id, None)
