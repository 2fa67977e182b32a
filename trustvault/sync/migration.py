"""Moving a pair from v1 envelopes to v2 without a new pairing.

A device that reads v2 says so with one v1-format blob of kind ``V``, sealed under the channel
key like any v1 envelope, whose payload is exactly ``{"formats": [1, 2]}``; it reads both formats.
Once it has seen the partner's ``V`` (or any authentic v2 blob of the partner's) it seals
everything new as v2; once an authentic v2 blob of the partner's arrived, the partner has switched
too and the ``V`` leaves the medium. Envelopes are applied in sequence order whatever their
format; after the partner's first v2 ops envelope was applied (at sequence F), a v1 ops envelope
of the partner's reaching F or beyond is refused, so the v1 code is never used again for new ops.
A client from before v2 sees the ``V`` as one refused file, as it did a heartbeat.
"""

from crypto.envelope import Header, open_envelope, parse_header, seal_envelope
from crypto.errors import AuthenticationError
from crypto.identity import ChannelKeys
from trustvault.storage import outbox_store
from trustvault.storage.connection import Connection
from trustvault.sync import heartbeat, ratchet_state, receipt_bytes, sealing
from trustvault.sync.outbox import new_name
from trustvault.sync.pair_state import PairState
from trustvault.sync.rejection import Rejected

__all__ = ["KIND", "PAYLOAD", "announcement", "heard", "prepare", "read", "refuses_v1"]

KIND = b"V"
PAYLOAD = b'{"formats": [1, 2]}'


def prepare(conn: Connection, state: PairState) -> None:
    """Name this device's announcement while the partner is not known to have switched (inside
    the caller's transaction, which saves ``state``)."""
    if _announcing(conn, state) and not state.announce_name:
        state.announce_name = new_name()


def announcement(conn: Connection, state: PairState, keys: ChannelKeys) -> tuple[str, bytes] | None:
    """The name and sealed bytes of this device's announcement, while one is due."""
    if not _announcing(conn, state) or not state.announce_name:
        return None
    header = Header(KIND, state.pair_id, sealing.sender_role(keys), 0)
    return state.announce_name, seal_envelope(keys.send, header, PAYLOAD)


def read(keys: ChannelKeys, blob: bytes) -> Rejected | None:
    """None if ``blob`` is the partner's announcement, as it must be word for word."""
    try:
        header, payload = open_envelope(keys.receive, blob)
    except AuthenticationError:
        return Rejected("is an announcement that did not authenticate (tampered or foreign)")
    if header.kind != KIND or header.seq != 0 or payload != PAYLOAD:
        return Rejected("is a malformed announcement")
    return None


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
