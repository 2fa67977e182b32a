"""Where the ratchet's seed comes from, and when what made it is deleted (PROTOCOL.md §4b).

The pair's first ratchet state is keyed by a seed both devices agree and then delete, so a vault
seized later (its long-term keys, every row) cannot re-derive what the first chains sealed:

- **Short code** (:mod:`.pake_pairing`): each side's ``keys`` says ``"seed": "spake2"``; when both
  did, the seed is a subkey of the SPAKE2 key, and the first state is stored as the pairing
  completes, in the transaction that erases the key.
- **Long code** (:mod:`.pairing`): the join request carries ``"seed": <hex X25519 public>`` of an
  ephemeral the joiner keeps (schema 22) until the answer comes; the inviter answers a request
  that has one with its own ephemeral public in its yes, stores the first state from their
  agreement at once and never keeps its secret; the joiner does the same on reading the yes.
- **From v1** (:mod:`.migration`): each ``V`` announcement carries the public of an ephemeral
  made when the announcement was named; the secret is kept until the partner's ``V`` is read,
  then the first state is stored from their agreement (if the partner's ``V`` carried one) and
  the secret deleted.

A seed is used only when both devices sent a public (or both said ``spake2``); a partner of v2
before seeds sends none and ignores the field, and the pair then starts unseeded, as it did.
Each message carries the field inside its sealed payload, so the medium does not learn it.
"""

from crypto.errors import ParameterError
from crypto.identity import KeyPair, check_public_key, generate_keypair
from crypto.ratchet import seed_from_dh, seed_from_pake
from trustvault.storage import erasure, seed_store
from trustvault.storage.connection import Connection
from trustvault.storage.seed_store import Ephemeral
from trustvault.sync import ratchet_state, sealing
from trustvault.sync.pair_state import load_identity

__all__ = [
    "FIELD",
    "PAKE",
    "agree",
    "announced_public",
    "answer_offer",
    "forget_join",
    "join_offer",
    "joiner_agrees",
    "new_announcement",
    "pake_agree",
    "pake_offer",
    "read_public",
    "seeds",
    "waiting_for_announcement",
]

FIELD = "seed"
PAKE = "spake2"
_UNSEEDED: set[bytes] = set()  # public keys of devices a test made act as v2 before seeds


def seeds(conn: Connection) -> bool:
    """Whether this device sends seeds (not while a test makes it act as v1 or as v2 before)."""
    if sealing.acts_as_v1(conn):
        return False
    return not (_UNSEEDED and load_identity(conn).public in _UNSEEDED)


def read_public(doc: dict[str, object]) -> bytes | None:
    """The seed public a pairing message carries: ``b""`` when it has none, None when the field
    is there but is not the hex of a public key an honest device makes (the message is then
    malformed)."""
    value = doc.get(FIELD, "")
    if value == "":
        return b""
    if not isinstance(value, str) or len(value) != 64:
        return None
    try:
        public = bytes.fromhex(value)
        check_public_key(public)
    except (ValueError, ParameterError):
        return None
    return public


def pake_offer(conn: Connection) -> dict[str, str]:
    """What this device adds to its short code's ``keys``."""
    return {FIELD: PAKE} if seeds(conn) else {}


def pake_agree(
    conn: Connection, pair_id: bytes, partner: bytes, key: bytes, doc: dict[str, object]
) -> None:
    """The short code's pairing completes: store the first state from the PAKE key's subkey
    when both sides said so (the caller then erases the key)."""
    if seeds(conn) and doc.get(FIELD) == PAKE:
        seed = seed_from_pake(key)
        ratchet_state.start(conn, pair_id, load_identity(conn), partner, seed)


def join_offer(conn: Connection, inviter_public: bytes) -> dict[str, str]:
    """The joiner's field: the public of its ephemeral for this inviter, made now or kept from a
    join to the same inviter that was cancelled (its request may have been answered there)."""
    if not seeds(conn):
        _forget(conn, "join")
        return {}
    kept = seed_store.load(conn, "join")
    if kept is None or kept.peer != inviter_public or not kept.secret:
        _forget(conn, "join")
        fresh = generate_keypair()
        kept = Ephemeral(inviter_public, fresh.public, fresh.secret)
        seed_store.save(conn, "join", kept)
    return {FIELD: kept.public.hex()}


def answer_offer(
    conn: Connection, pair_id: bytes, joiner_public: bytes, joiner_seed: bytes, again: bool
) -> dict[str, str] | None:
    """The inviter's field in a yes, storing the first state when it is the first yes.

    A repeated request (its answer was lost, or the join was made again) gets the public of the
    first yes, which the joiner can use only if its request carried the same ephemeral. None
    when it cannot: the first yes seeded a state this request's ephemeral (or its lack of one)
    would not reach, and a yes would leave the two devices on different ratchets for good; the
    caller says no instead ("used"), so the joiner is told to ask for a new code."""
    if again:
        kept = seed_store.load(conn, "answer")
        if kept is None:
            return {}  # the first yes was unseeded, and so is this one
        return {FIELD: kept.public.hex()} if kept.peer == joiner_seed else None
    if not seeds(conn) or not joiner_seed:
        return {}
    fresh = generate_keypair()
    seed = seed_from_dh(fresh, joiner_seed)
    ratchet_state.start(conn, pair_id, load_identity(conn), joiner_public, seed)
    seed_store.save(conn, "answer", Ephemeral(joiner_seed, fresh.public, b""))
    return {FIELD: fresh.public.hex()}


def joiner_agrees(conn: Connection, pair_id: bytes, inviter: bytes, inviter_seed: bytes) -> None:
    """The joiner read a yes: store the first state when both sent a public; the ephemeral goes
    either way (any answer ends the join)."""
    kept = seed_store.load(conn, "join")
    if kept is not None and kept.secret and kept.peer == inviter and inviter_seed:
        seed = seed_from_dh(KeyPair(kept.public, kept.secret), inviter_seed)
        ratchet_state.start(conn, pair_id, load_identity(conn), inviter, seed)
    _forget(conn, "join")


def forget_join(conn: Connection) -> None:
    """A no ended the join: its ephemeral goes."""
    _forget(conn, "join")


def new_announcement(conn: Connection, pair_id: bytes) -> None:
    """A ``V`` is being named: make the ephemeral its payload will carry (none while a test
    makes this device act as v2 before seeds)."""
    _forget(conn, "announce")
    if seeds(conn):
        fresh = generate_keypair()
        seed_store.save(conn, "announce", Ephemeral(pair_id, fresh.public, fresh.secret))


def announced_public(conn: Connection, pair_id: bytes) -> bytes:
    """The public this device's ``V`` carries (``b""``: none, the payload of v2 before seeds)."""
    kept = seed_store.load(conn, "announce")
    return kept.public if kept is not None and kept.peer == pair_id else b""


def waiting_for_announcement(conn: Connection, pair_id: bytes) -> bool:
    """Whether this device's ``V`` carried a public and the partner's ``V`` was not read yet:
    until it is, the partner's v2 blobs wait unread, since the first state depends on it."""
    kept = seed_store.load(conn, "announce")
    return kept is not None and kept.peer == pair_id and bool(kept.secret)


def agree(conn: Connection, pair_id: bytes, partner: bytes, partner_seed: bytes) -> None:
    """The partner's ``V`` was read: store the first state when both carried a public, then
    delete this device's secret (its public stays, for its own ``V`` while that is out)."""
    kept = seed_store.load(conn, "announce")
    if kept is None or kept.peer != pair_id or not kept.secret:
        return
    if partner_seed:
        seed = seed_from_dh(KeyPair(kept.public, kept.secret), partner_seed)
        ratchet_state.start(conn, pair_id, load_identity(conn), partner, seed)
    seed_store.forget_secret(conn, "announce")
    erasure.mark_pending(conn, index=False)


def _forget(conn: Connection, purpose: str) -> None:
    if seed_store.forget(conn, purpose):
        erasure.mark_pending(conn, index=False)


def _behave_unseeded(conn: Connection, on: bool) -> None:
    """Test only: make this vault's device pair and announce as a client of v2 before seeds (no
    seed field; a ``V`` with one is malformed to it), until called again with ``on`` False."""
    device = load_identity(conn).public
    if on:
        _UNSEEDED.add(device)
    else:
        _UNSEEDED.discard(device)
