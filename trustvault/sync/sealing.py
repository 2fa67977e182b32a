"""Sealing the pair's envelopes in the format the pair has reached, and opening either format.

A pair made before protocol v2 seals v1 envelopes (clear header, :mod:`crypto.envelope`) until
this device has seen that the partner's reads v2: its ``V`` announcement or any v2 blob of its
(:mod:`.migration`). From then on everything new is v2 (:mod:`crypto.envelope_v2`): random blob
names, kind, sender, pair id and sequence sealed, a keyed tag the receiver sorts by, and the
message key and ratchet field from :mod:`.message_keys`, the one seam a ratchet changes.
"""

from dataclasses import dataclass

from crypto import envelope_v2
from crypto.envelope import Header, open_envelope, seal_envelope
from crypto.envelope_v2 import DirectionKeys, InnerHead, direction_keys
from crypto.errors import AuthenticationError
from crypto.identity import ChannelKeys
from trustvault.storage.connection import Connection
from trustvault.sync import message_keys
from trustvault.sync.pair_state import PairState, load_identity
from trustvault.sync.rejection import Rejected

__all__ = [
    "KINDS",
    "Opened",
    "RoundKeys",
    "acts_as_v1",
    "open_theirs",
    "opens_as_mine",
    "round_keys",
    "seal",
    "seals_v2",
    "sender_role",
    "whose",
]

KINDS = frozenset((b"E", b"R", b"H", b"L"))
"""The kinds sealed as v2; the pairing frames (``J``, ``W``, ``P``) exist before any pair key."""

_V1_DEVICES: set[bytes] = set()  # public keys of devices a test made act as v1: _behave_as_v1


@dataclass(frozen=True)
class Opened:
    """A partner envelope whose head authenticated: its head as a v1 ``Header`` says it, and its
    payload, or None when :func:`.message_keys.key_to_open` holds no key for it."""

    header: Header
    payload: bytes | None
    format: int
    ratchet: bytes = b""  # a v2 head's ratchet field (what applying an ``E`` uses up)


@dataclass(frozen=True, repr=False)
class RoundKeys:
    """The pair's channel keys and both directions' tag and head keys, derived once for a
    round's listing: deriving them again for each blob cost as much as opening its head."""

    channel: ChannelKeys
    mine: DirectionKeys
    theirs: DirectionKeys

    def __repr__(self) -> str:
        return "RoundKeys(…)"


def round_keys(keys: ChannelKeys) -> RoundKeys:
    """:class:`RoundKeys` for ``keys``; hold it for one round, not beyond (it is key material)."""
    return RoundKeys(keys, direction_keys(keys.send), direction_keys(keys.receive))


def sender_role(keys: ChannelKeys) -> int:
    """This device's sender byte: 0 for the key exchange's client, 1 for its server."""
    return 0 if keys.is_client else 1


def seals_v2(conn: Connection, state: PairState) -> bool:
    """Whether what this device seals for the pair now is v2."""
    return state.seal_format >= 2 and not acts_as_v1(conn)


def acts_as_v1(conn: Connection) -> bool:
    """True only inside a test that made this device behave as a client from before v2."""
    return bool(_V1_DEVICES) and load_identity(conn).public in _V1_DEVICES


def seal(
    conn: Connection,
    state: PairState,
    keys: ChannelKeys,
    kind: bytes,
    seq: int,
    payload: bytes,
    min_bucket: int = 0,
) -> bytes:
    """Seal this device's envelope of ``kind`` (inside the caller's transaction), in the pair's
    format; ``min_bucket`` is the padded size a re-sealed envelope keeps (v2 only)."""
    if not seals_v2(conn, state):
        return seal_envelope(
            keys.send, Header(kind, state.pair_id, sender_role(keys), seq), payload
        )
    message_key, ratchet = message_keys.key_to_seal(conn, state, keys, kind, seq)
    head = InnerHead(kind, sender_role(keys), state.pair_id, seq, ratchet)
    return envelope_v2.seal(direction_keys(keys.send), message_key, head, payload, min_bucket)


def whose(keys: RoundKeys, blob: bytes) -> str:
    """Sort a v2 blob by its tag alone: ``"theirs"``, ``"mine"`` (an old copy) or ``"foreign"``."""
    if envelope_v2.matches(keys.theirs.tag, blob):
        return "theirs"
    if envelope_v2.matches(keys.mine.tag, blob):
        return "mine"
    return "foreign"


def opens_as_mine(keys: RoundKeys, blob: bytes) -> bool:
    """Whether ``blob`` is one this device sealed (an old copy a medium kept or put back): its
    head must authenticate under this device's own keys, and its length be a bucket's; a tag
    alone proves nothing. The body is not opened: a ratchet may have forgotten its key."""
    try:
        if envelope_v2.is_v2(blob):
            envelope_v2.open_head(keys.mine, blob)
            return envelope_v2.padded_size(blob) > 0
        else:
            open_envelope(keys.channel.send, blob)
    except AuthenticationError:
        return False
    return True


def open_theirs(
    conn: Connection, state: PairState, keys: RoundKeys, blob: bytes
) -> Opened | Rejected:
    """Open a v2 blob whose tag is the partner's; a content-free refusal if it does not open or
    its head names another pair, the wrong sender or a kind this app does not know."""
    try:
        head = envelope_v2.open_head(keys.theirs, blob)
    except AuthenticationError:
        return Rejected("did not authenticate (tampered, truncated or foreign)")
    if head.pair_id != state.pair_id:
        return Rejected("belongs to another pair")
    if head.sender != 1 - sender_role(keys.channel):
        return Rejected("has the wrong sender")
    if head.kind not in KINDS:
        return Rejected("is of a kind this app does not know")
    header = Header(head.kind, head.pair_id, head.sender, head.seq)
    message_key = message_keys.key_to_open(conn, state, keys.channel, head)
    if message_key is None:
        return Opened(header, None, 2, head.ratchet)
    try:
        return Opened(header, envelope_v2.open_body(message_key, blob), 2, head.ratchet)
    except AuthenticationError:
        return Rejected("did not authenticate (tampered, truncated or foreign)")


def _behave_as_v1(conn: Connection, on: bool) -> None:
    """Test only: make the device of this vault seal, announce and read as a client from before
    v2 did (until called again with ``on`` False), so a migration test runs two real vaults
    through a real folder. Not part of any door; nothing of it is stored."""
    device = load_identity(conn).public
    if on:
        _V1_DEVICES.add(device)
    else:
        _V1_DEVICES.discard(device)
