"""Moving a pair from v1 envelopes to v2 without a new pairing.

A device that reads v2 says so with one v1-format blob of kind ``V``, sealed under the channel
key like any v1 envelope, whose payload is exactly ``{"formats": [1, 2]}``; it reads both formats.
Once it has seen the partner's ``V`` (or any authentic v2 blob of the partner's) it seals
everything new as v2; once an authentic v2 blob of the partner's arrived, the partner has switched
too and the ``V`` leaves the medium. Envelopes are applied in sequence order whatever their
format; after the partner's first v2 ops envelope was applied (at sequence F), a v1 ops envelope
of the partner's reaching F or beyond is refused, so the v1 code is never used again for new ops.
A client from before v2 sees the ``V`` as one refused file, as it did a heartbeat.

The ``V`` also carries the public of an ephemeral made when it was named, for the ratchet's seed
(:mod:`.pair_seed`): ``{"formats": [1, 2], "seed": "<64 hex>"}``. The partner's ``V`` is read
ahead of everything else in a listing (:func:`read_ahead`), and while this device's seed waits
for it, the partner's v2 blobs are left unread: the first state depends on that ``V``.
"""

from collections.abc import Mapping

from crypto import envelope_v2
from crypto.envelope import Header, open_envelope, parse_header, seal_envelope
from crypto.errors import AuthenticationError, CryptoError, ParameterError
from crypto.identity import ChannelKeys, check_public_key
from trustvault.storage import outbox_store
from trustvault.storage.connection import Connection
from trustvault.storage.transaction import transaction
from trustvault.sync import heartbeat, pair_seed, ratchet_state, receipt_bytes, sealing
from trustvault.sync.outbox import new_name
from trustvault.sync.pair_state import PairState
from trustvault.sync.rejection import Rejected

__all__ = [
    "KIND",
    "PAYLOAD",
    "announcement",
    "heard",
    "prepare",
    "read",
    "read_ahead",
    "refuses_v1",
]

KIND = b"V"
PAYLOAD = b'{"formats": [1, 2]}'
_SEEDED = b'{"formats": [1, 2], "seed": "%s"}'


def prepare(conn: Connection, state: PairState) -> None:
    """Name this device's announcement while the partner is not known to have switched (inside
    the caller's transaction, which saves ``state``)."""
    if _announcing(conn, state) and not state.announce_name:
        state.announce_name = new_name()
        pair_seed.new_announcement(conn, state.pair_id)  # its payload carries it from the start


def announcement(conn: Connection, state: PairState, keys: ChannelKeys) -> tuple[str, bytes] | None:
    """The name and sealed bytes of this device's announcement, while one is due."""
    if not _announcing(conn, state) or not state.announce_name:
        return None
    header = Header(KIND, state.pair_id, sealing.sender_role(keys), 0)
    public = pair_seed.announced_public(conn, state.pair_id)
    payload = _SEEDED % public.hex().encode() if public else PAYLOAD
    return state.announce_name, seal_envelope(keys.send, header, payload)


def read(conn: Connection, keys: ChannelKeys, blob: bytes) -> Rejected | bytes:
    """The seed public of the partner's announcement (``b""`` for one without), which must be
    one of the two payloads word for word; else why it is refused."""
    try:
        header, payload = open_envelope(keys.receive, blob)
    except AuthenticationError:
        return Rejected("is an announcement that did not authenticate (tampered or foreign)")
    if header.kind != KIND or header.seq != 0:
        return Rejected("is a malformed announcement")
    if payload == PAYLOAD:
        return b""
    prefix = _SEEDED.split(b"%s")[0]
    try:
        public = bytes.fromhex(payload[len(prefix) : len(prefix) + 64].decode("ascii"))
        check_public_key(public)
    except (ValueError, ParameterError):
        return Rejected("is a malformed announcement")
    if payload != _SEEDED % public.hex().encode() or not pair_seed.seeds(conn):
        return Rejected("is a malformed announcement")  # as a client before seeds reads it
    return public


def read_ahead(
    conn: Connection, state: PairState, keys: ChannelKeys, blobs: Mapping[str, bytes]
) -> bool:
    """Read the partner's announcement among ``blobs`` before anything else, storing the first
    ratchet state if both announcements carried a public; whether the partner's v2 blobs must
    still wait (this device's announcement carried one and the partner's was not read yet)."""
    if sealing.acts_as_v1(conn) or not pair_seed.waiting_for_announcement(conn, state.pair_id):
        return False
    for blob in blobs.values():
        if envelope_v2.is_v2(blob):
            continue
        try:
            header = parse_header(blob)
        except CryptoError:
            continue
        if header.kind != KIND or header.pair_id != state.pair_id:
            continue
        if header.sender == sealing.sender_role(keys):
            continue
        public = read(conn, keys, blob)
        if isinstance(public, bytes):
            with transaction(conn):
                pair_seed.agree(conn, state.pair_id, state.partner_public, public)
            break
    return pair_seed.waiting_for_announcement(conn, state.pair_id)


def heard(
    conn: Connection, state: PairState, keys: ChannelKeys, announced: bool, saw_v2: bool
) -> None:
    """Record what this round saw of the partner's format (inside the caller's transaction).
    On the switch, the receipt and the heartbeat out are sealed again as v2, so no v1 blob of
    this device's stays on the medium (the next push deletes the old ones)."""
    if sealing.acts_as_v1(conn):
        return
    if (announced or saw_v2) and state.seal_format < 2:
        state.seal_format = 2
        if state.receipt_name:
            outbox_store.mark_obsolete(conn, state.receipt_name)
            if not state.receipt_seq:  # sealed before schema 19 kept it: its clear header says
                state.receipt_seq = parse_header(state.receipt_blob).seq
            public = ratchet_state.receipt_public(conn, state, keys)  # a v2 receipt carries it
            payload = receipt_bytes.payload(state.receipt_seq, public)
            state.receipt_name = new_name()
            state.receipt_blob = sealing.seal(conn, state, keys, b"R", state.receipt_seq, payload)
        heartbeat.reseal(conn, state, keys)
    if saw_v2 and state.partner_format < 2:
        state.partner_format = 2
        if state.announce_name:
            outbox_store.mark_obsolete(conn, state.announce_name)
            state.announce_name = ""


def refuses_v1(state: PairState, header: Header) -> bool:
    """Whether a v1 ops envelope of the partner's comes after the partner's first v2 one."""
    return header.kind == b"E" and 0 < state.v2_from <= header.seq


def _announcing(conn: Connection, state: PairState) -> bool:
    return state.partner_format < 2 and not sealing.acts_as_v1(conn)
