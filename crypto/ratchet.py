"""The Double Ratchet (Signal's, revision 1), adapted to envelopes applied strictly in order.

Forward secrecy comes from a KDF chain per direction: each envelope's message key is the output
of one step of its chain, and the chain key moves on, so a key deleted after use cannot be
recomputed from the state that is left. Recovery comes from the Diffie-Hellman step: each device
keeps one ephemeral X25519 pair whose public travels in every ``E`` head and every receipt; seeing
the partner's new public mixes a fresh DH output into the root, so a stolen state stops working
after the next step. The steps alternate (a device makes a new ephemeral only after it saw the
partner's answer to its last one), which gives both devices the same order of root steps without
talking about it, however their envelopes and receipts cross on the medium.

Differences from the specification, and why:

- No skipped-message keys: the receiver applies envelopes strictly in sequence order and an early
  one waits unopened until the gap fills, so a chain is only ever read forward, one key at a
  time. A chain whose sender has moved on (a DH step seen in a receipt before the last envelopes
  of the old chain arrived) is kept until an envelope of a later chain is applied.
- The new ephemeral is made lazily, at the first sealing after a receive step, so no unused
  private key sits in the state while the device is idle.
- Start: the root comes from a **seed** both devices agreed while pairing (or migrating) and then
  deleted, keyed over the static channel keys and the pair id (so re-pairing the same two devices
  starts a different ratchet); the server's first ephemeral is its static key and the first
  envelopes of the server travel on a chain made from that root alone (``NO_PUBLIC`` in the
  ratchet field). The seed is what keeps those first envelopes from anyone who later holds the
  static keys: it is the PAKE key's subkey (:func:`seed_from_pake`) or an X25519 agreement of
  two ephemerals (:func:`seed_from_dh`). A pair whose partner sent no seed (a client of protocol
  v2 before seeds) starts unseeded, from the static keys alone, and its first chains are then
  only as safe as those keys, as in protocol v1.

Functions are pure: they take a :class:`RatchetState` and return a new one, so opening an
envelope ahead of applying it ("peek") is the same call with the new state thrown away.

KDFs (keyed BLAKE2b from :mod:`crypto.hashing`, each with its own label)::

    root', chain = KDF_RK(root, dh)   dh = X25519(own, partner) | stepping public | other public
    message, chain' = KDF_CK(chain)
    root0 = keyed(seed, c2s | s2c | pair id, "tv:ratchet:start:seeded:v2")   (seeded)
    root0 = keyed(c2s, s2c | pair id, "tv:ratchet:start:v2")                  (unseeded)
    seed  = subkey(pake key, "tv:ratchet:seed:v2")
          | keyed(X25519(own, peer), lower public | higher public, "tv:ratchet:seed:dh:v2")

Serialised layout (:meth:`RatchetState.pack`), all integers big-endian::

    version=1 (1) | flags (1) | root (32) | own public (32) | own secret (32) | partner public (32)
    | previous sending length (4) | sending chain (68) | count (1) | receiving chains (68 each)
    chain = public (32) | key (32) | index (4)
"""

import struct
from collections.abc import Sequence
from dataclasses import dataclass, replace

import nacl.bindings as sodium
import nacl.exceptions

from crypto.errors import ParameterError
from crypto.hashing import derive_subkey, keyed_digest
from crypto.identity import KeyPair, check_public_key, generate_keypair

__all__ = [
    "FIELD_BYTES",
    "NO_PUBLIC",
    "SEED_BYTES",
    "Chain",
    "RatchetField",
    "RatchetState",
    "advertised",
    "initial_state",
    "kdf_chain",
    "kdf_root",
    "next_send_key",
    "observe",
    "receive_key",
    "received_through",
    "seed_from_dh",
    "seed_from_pake",
]

NO_PUBLIC = bytes(32)
SEED_BYTES = 32
MAX_SKIP = 1 << 18  # envelopes in flight on one chain; further ahead is refused, not computed
MAX_RECEIVING = 8  # chains kept for envelopes still in flight; an honest partner needs two
_FIELD = struct.Struct(">32sII")
FIELD_BYTES = _FIELD.size
_CHAIN = struct.Struct(">32s32sI")
_HEAD = struct.Struct(">BB32s32s32s32sI")
_VERSION = 1
_CLIENT, _HAS_OWN = 1, 2


@dataclass(frozen=True, repr=False)
class Chain:
    """One direction's KDF chain under one sender public: ``key`` derives message ``index``."""

    public: bytes
    key: bytes
    index: int


@dataclass(frozen=True)
class RatchetField:
    """What an ``E`` head carries: the sender's public, its previous chain's length, the index."""

    public: bytes
    previous: int
    index: int

    def pack(self) -> bytes:
        return _FIELD.pack(self.public, self.previous, self.index)

    @classmethod
    def unpack(cls, raw: bytes) -> "RatchetField":
        if len(raw) != FIELD_BYTES:
            raise ParameterError("a ratchet field is 40 bytes")
        return cls(*_FIELD.unpack(raw))


@dataclass(frozen=True, repr=False)
class RatchetState:
    """One device's side of one pair's ratchet. ``own_secret`` is empty when no ephemeral is
    current (the partner answered the last one); the next sealing makes one."""

    root: bytes
    is_client: bool
    own_public: bytes
    own_secret: bytes
    partner_public: bytes
    previous: int
    sending: Chain
    receiving: tuple[Chain, ...]

    def __repr__(self) -> str:
        return f"RatchetState(is_client={self.is_client}, sent={self.sending.index})"

    @property
    def steps_pending(self) -> bool:
        """Whether the next sealing makes a new ephemeral (a DH step on the sending side)."""
        return not self.own_secret and self.partner_public != NO_PUBLIC

    def knows(self, public: bytes) -> bool:
        """Whether ``public`` is one this state already stepped on (or the start's none)."""
        return (
            public in (NO_PUBLIC, self.partner_public)
            or public == self.own_public
            or any(chain.public == public for chain in self.receiving)
        )

    def pack(self) -> bytes:
        flags = (_CLIENT if self.is_client else 0) | (_HAS_OWN if self.own_secret else 0)
        own_secret = self.own_secret or bytes(32)
        head = _HEAD.pack(
            _VERSION,
            flags,
            self.root,
            self.own_public,
            own_secret,
            self.partner_public,
            self.previous,
        )
        chains = b"".join(_CHAIN.pack(c.public, c.key, c.index) for c in self.receiving)
        sending = _CHAIN.pack(self.sending.public, self.sending.key, self.sending.index)
        return head + sending + bytes([len(self.receiving)]) + chains

    @classmethod
    def unpack(cls, raw: bytes) -> "RatchetState":
        """Read :meth:`pack`'s bytes; :class:`ParameterError` for anything else."""
        fixed = _HEAD.size + _CHAIN.size + 1
        if len(raw) < fixed or raw[0] != _VERSION:
            raise ParameterError("not a stored ratchet state")
        _, flags, root, own_public, own_secret, partner, previous = _HEAD.unpack_from(raw)
        sending = Chain(*_CHAIN.unpack_from(raw, _HEAD.size))
        count = raw[fixed - 1]
        if len(raw) != fixed + count * _CHAIN.size or count > MAX_RECEIVING:
            raise ParameterError("not a stored ratchet state")
        receiving = tuple(
            Chain(*_CHAIN.unpack_from(raw, fixed + i * _CHAIN.size)) for i in range(count)
        )
        return cls(
            root=root,
            is_client=bool(flags & _CLIENT),
            own_public=own_public,
            own_secret=own_secret if flags & _HAS_OWN else b"",
            partner_public=partner,
            previous=previous,
            sending=sending,
            receiving=receiving,
        )


def kdf_root(root: bytes, dh: bytes) -> tuple[bytes, bytes]:
    """KDF_RK: the next root key and a fresh chain key from the root and a DH output."""
    return (
        keyed_digest(root, dh, b"tv:ratchet:root:v2"),
        keyed_digest(root, dh, b"tv:ratchet:chain:v2"),
    )


def kdf_chain(chain: bytes) -> tuple[bytes, bytes]:
    """KDF_CK: this step's message key and the next chain key (one-way: the old key is gone)."""
    return derive_subkey(chain, b"tv:ratchet:message:v2"), derive_subkey(chain, _CHAIN_LABEL)


_CHAIN_LABEL = b"tv:ratchet:ck:v2"


def seed_from_pake(pake_key: bytes) -> bytes:
    """The ratchet seed of a short-code pairing: a subkey of the SPAKE2 key, which both devices
    erase once the first state is stored."""
    if len(pake_key) != SEED_BYTES:
        raise ParameterError("a PAKE key is 32 bytes")
    return derive_subkey(pake_key, b"tv:ratchet:seed:v2")


def seed_from_dh(own: KeyPair, peer_public: bytes) -> bytes:
    """The ratchet seed of two pairing (or migration) ephemerals: their X25519 agreement, bound
    to both publics in a fixed order (the lower first), so both sides hash the same bytes.

    :class:`ParameterError` for a public no honest peer sends (malformed, of small order)."""
    check_public_key(peer_public)
    shared = _dh(own.secret, peer_public, stepping=b"", other=b"")
    low, high = sorted((own.public, peer_public))
    return keyed_digest(shared, low + high, b"tv:ratchet:seed:dh:v2")


def initial_state(
    client_to_server: bytes,
    server_to_client: bytes,
    pair_id: bytes,
    identity: KeyPair,
    partner_static: bytes,
    is_client: bool,
    seed: bytes = b"",
) -> RatchetState:
    """Both devices' start, from what pairing gave them.

    ``client_to_server`` and ``server_to_client`` are the two directions' static channel keys
    (each device holds both); ``seed`` the secret both agreed and deleted (empty: unseeded, for a
    partner that sent none). The client steps at its first sealing, against the server's static
    public; the server's first envelopes use a chain from the root alone until it sees that step.
    """
    statics = client_to_server + server_to_client + pair_id
    if seed:
        if len(seed) != SEED_BYTES:
            raise ParameterError("a ratchet seed is 32 bytes")
        root = keyed_digest(seed, statics, b"tv:ratchet:start:seeded:v2")
    else:
        root = keyed_digest(client_to_server, server_to_client + pair_id, b"tv:ratchet:start:v2")
    to_server = Chain(NO_PUBLIC, derive_subkey(root, b"tv:ratchet:c2s:v2"), 0)
    to_client = Chain(NO_PUBLIC, derive_subkey(root, b"tv:ratchet:s2c:v2"), 0)
    if is_client:
        check_public_key(partner_static)
        return RatchetState(root, True, NO_PUBLIC, b"", partner_static, 0, to_server, (to_client,))
    return RatchetState(
        root, False, identity.public, identity.secret, NO_PUBLIC, 0, to_client, (to_server,)
    )


def next_send_key(
    state: RatchetState, fresh: KeyPair | None = None
) -> tuple[RatchetState, bytes, RatchetField]:
    """The message key and ratchet field for the next envelope, and the state after it.

    Makes the sending DH step first when one is pending (``fresh`` is that step's ephemeral;
    tests pass a fixed one, everyone else lets it be generated)."""
    if state.steps_pending:
        state = _send_step(state, fresh or generate_keypair())
    chain = state.sending
    message_key, next_key = kdf_chain(chain.key)
    field = RatchetField(chain.public, state.previous, chain.index)
    return (
        replace(state, sending=Chain(chain.public, next_key, chain.index + 1)),
        message_key,
        field,
    )


def advertised(state: RatchetState, fresh: KeyPair | None = None) -> tuple[RatchetState, bytes]:
    """The public a receipt carries, making the pending sending step first if there is one."""
    if state.steps_pending:
        state = _send_step(state, fresh or generate_keypair())
    return state, state.own_public


def observe(state: RatchetState, public: bytes) -> RatchetState:
    """The partner's public, seen in a head or a receipt: a receive step if it is new.

    :class:`ParameterError` if it cannot be a step (malformed, or a second new public before
    this device answered the first: no honest partner does that)."""
    if state.knows(public):
        return state
    check_public_key(public)
    if not state.own_secret:
        raise ParameterError("the partner stepped twice without an answer")
    dh = _dh(state.own_secret, public, stepping=public, other=state.own_public)
    root, chain_key = kdf_root(state.root, dh)
    receiving = (*state.receiving, Chain(public, chain_key, 0))[-MAX_RECEIVING:]
    # The sending chain is dead from here (the next sealing steps): its key goes, its length
    # stays for the next step's "previous chain length".
    sending = Chain(state.sending.public, bytes(32), state.sending.index)
    return replace(
        state,
        root=root,
        own_secret=b"",
        partner_public=public,
        sending=sending,
        receiving=receiving,
    )


def receive_key(state: RatchetState, field: RatchetField) -> tuple[RatchetState, bytes] | None:
    """The message key of the partner's envelope with ``field``, and the state once it is used
    (that key forgotten, older chains dropped); None if this state cannot open it any more.

    The envelope's public must already be known (call :func:`observe` first)."""
    for position, chain in enumerate(state.receiving):
        if chain.public != field.public:
            continue
        ahead = field.index - chain.index
        if ahead < 0 or ahead > MAX_SKIP:
            return None
        key = chain.key
        for _ in range(ahead):
            key = kdf_chain(key)[1]
        message_key, next_key = kdf_chain(key)
        kept = (Chain(chain.public, next_key, field.index + 1), *state.receiving[position + 1 :])
        return replace(state, receiving=kept), message_key
    return None


def received_through(
    state: RatchetState,
    public: bytes,
    indexes: Sequence[int],
    following: bytes | None = None,
) -> RatchetState | None:
    """The state once the partner's envelopes of chain ``public`` at ``indexes`` (in the order
    applied) are used: :func:`receive_key` of each in turn, in one step. None if one of them
    could not be opened any more (an index not after the one before, or too far ahead).

    ``following`` is the chain key after the last index when the caller walked the chain to it
    already (opening derives it, :mod:`trustvault.sync.ratchet_state`); else it is derived here.
    Applying thousands of envelopes then derives nothing twice and builds one state, not one
    per envelope. The public must already be known (call :func:`observe` first)."""
    for position, chain in enumerate(state.receiving):
        if chain.public != public:
            continue
        at = chain.index
        for index in indexes:
            if not 0 <= index - at <= MAX_SKIP:
                return None
            at = index + 1
        if following is None:
            following = chain.key
            for _ in range(at - chain.index):
                following = derive_subkey(following, _CHAIN_LABEL)
        kept = (Chain(public, following, at), *state.receiving[position + 1 :])
        return replace(state, receiving=kept)
    return None


def _send_step(state: RatchetState, fresh: KeyPair) -> RatchetState:
    dh = _dh(fresh.secret, state.partner_public, stepping=fresh.public, other=state.partner_public)
    root, chain_key = kdf_root(state.root, dh)
    return replace(
        state,
        root=root,
        own_public=fresh.public,
        own_secret=fresh.secret,
        previous=state.sending.index,
        sending=Chain(fresh.public, chain_key, 0),
    )


def _dh(secret: bytes, partner: bytes, *, stepping: bytes, other: bytes) -> bytes:
    """X25519 output bound to both publics, the stepping side's first (as crypto_kx binds them)."""
    try:
        shared = bytes(sodium.crypto_scalarmult(secret, partner))
    except nacl.exceptions.CryptoError:
        raise ParameterError("a public key of small order is refused") from None
    return shared + stepping + other
