"""Pairing two devices once, resisting a man in the middle. A small state machine per side.

Inviter: ``inviting`` --(a valid join request arrives)--> ``paired``.
Joiner:  ``joining``  --(the inviter's answer says yes)--> ``paired``; a "no" clears the pairing.

The invite code gives the joiner the inviter's public key (so the joiner knows whom it talks to)
and a single-use secret. The joiner's request, sealed under a key derived from that secret,
carries its public key: only a holder of the code can make it, so the inviter learns the joiner's
key authenticated. The answer is sealed under the same key. Each code works once and expires; a
second joiner is answered "no" and never replaces the partner. Both devices then show the same
safety number, to compare aloud.

Nothing here writes to or deletes from the transport: the functions say what to put and delete,
and the caller does it only after its transaction committed. A device killed in between then
finds the request or the answer still there and finishes on its next sync; the reverse order
(blob consumed, pairing rolled back) would leave one side waiting forever.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from crypto.envelope import Header, open_envelope, parse_header, seal_envelope
from crypto.errors import CryptoError
from crypto.hashing import keyed_digest
from crypto.identity import KeyPair
from crypto.invite import join_key, join_name_key, new_invite_secret
from crypto.random import random_bytes
from trustvault.clock import iso_now
from trustvault.errors import PairingError
from trustvault.storage import pairing_store
from trustvault.storage.connection import Connection
from trustvault.sync.invite_code import Invite, decode_invite, encode_invite
from trustvault.sync.pair_state import PairState, load_pair, save_pair
from trustvault.sync.transport import Transport

__all__ = [
    "DEFAULT_TTL",
    "JoinOutcome",
    "answer_blob_names",
    "answer_joins",
    "deliver",
    "make_invite",
    "read_answer",
    "start_join",
]

DEFAULT_TTL = timedelta(hours=24)
_JOINER = 2


@dataclass(frozen=True)
class JoinOutcome:
    """What the inviter did with join requests during one sync."""

    accepted: bool = False
    refused: int = 0
    rejected: int = 0
    replies: list[tuple[str, bytes]] = field(default_factory=list)
    consumed: list[str] = field(default_factory=list)


def deliver(transport: Transport, outcome: JoinOutcome) -> None:
    """After the commit: put the answers, then remove the requests they answer."""
    for name, blob in outcome.replies:
        transport.put(name, blob)
    for name in outcome.consumed:
        transport.delete(name)


def check_can_invite(conn: Connection) -> None:
    """Refuse to invite while paired or joining (before any relay mailbox is made)."""
    state = load_pair(conn)
    if state is not None and state.status in ("paired", "joining"):
        raise PairingError(
            "This vault is already paired (or joining). Unpair it first to invite someone else."
        )


def check_code(conn: Connection, identity: KeyPair, invite: Invite, now: datetime) -> None:
    """Everything that can be told about a code before using it: checked before a relay's
    one-time join is spent on it, so a mistake never uses up the partner's invitation."""
    if now >= invite.expires:
        raise PairingError(
            f"This invite code expired on {invite.expires:%d %B %Y at %H:%M} UTC;"
            " ask your partner for a new one."
        )
    state = load_pair(conn)
    if state is not None and state.status in ("paired", "joining"):
        raise PairingError(
            "This vault is already paired (or joining); a code can't replace the partner."
        )
    if invite.inviter_public == identity.public:
        raise PairingError(
            "This invite code was made on this device; enter it on your partner's device."
        )


def make_invite(
    conn: Connection,
    identity: KeyPair,
    transport: dict[str, Any],
    now: datetime,
    ttl: timedelta = DEFAULT_TTL,
    relay: tuple[str, str] = ("", ""),
    secret: bytes | None = None,
) -> str:
    """Create an invite (inside the caller's transaction); return the code to give the partner."""
    check_can_invite(conn)
    secret = secret or new_invite_secret()
    pair_id = random_bytes(16)
    expires = now + ttl
    pairing_store.add_invite(conn, pair_id, secret, expires.isoformat())
    save_pair(
        conn, PairState(status="inviting", role="inviter", pair_id=pair_id, transport=transport)
    )
    return encode_invite(Invite(identity.public, secret, pair_id, expires, *relay))


def start_join(
    conn: Connection,
    identity: KeyPair,
    code: str,
    name: str,
    device: str,
    transport_spec: dict[str, Any],
    transport: Transport,
    now: datetime,
) -> PairState:
    """Check a code and post the sealed join request; the pairing waits for the answer."""
    invite = decode_invite(code)
    check_code(conn, identity, invite, now)
    payload = json.dumps({"public": identity.public.hex(), "device": device, "name": name}).encode()
    header = Header(b"J", invite.pair_id, _JOINER, 0)
    blob = seal_envelope(join_key(invite.secret), header, payload)
    transport.put(_join_blob_name(invite.secret, b"J", identity.public), blob)
    state = PairState(
        status="joining",
        role="joiner",
        pair_id=invite.pair_id,
        transport=transport_spec,
        inviter_public=invite.inviter_public,
        join_secret=invite.secret,
    )
    save_pair(conn, state)
    return state


def answer_joins(
    conn: Connection,
    state: PairState,
    identity: KeyPair,
    name: str,
    device: str,
    transport: Transport,
    names: list[str],
    now: datetime,
) -> JoinOutcome:
    """Inviter side: accept the first valid join request, refuse any other, inside a transaction.

    The answers to put and the requests to delete are returned for :func:`deliver`.
    """
    invites = {invite.pair_id: invite for invite in pairing_store.pending_invites(conn)}
    accepted, refused, rejected = False, 0, 0
    replies: list[tuple[str, bytes]] = []
    consumed: list[str] = []
    for blob_name in names:
        blob = transport.get(blob_name)
        if blob is None:
            continue
        try:
            header = parse_header(blob)
        except CryptoError:
            continue
        if header.kind != b"J" or header.pair_id not in invites:
            continue
        _, secret, expires, used_at = invites[header.pair_id]
        try:
            _, payload = open_envelope(join_key(secret), blob)
            doc = json.loads(payload)
            joiner_public = bytes.fromhex(doc["public"])
            joiner_device, joiner_name = str(doc["device"]), str(doc["name"])[:100]
        except (CryptoError, ValueError, KeyError, TypeError):
            rejected += 1
            consumed.append(blob_name)
            continue
        if len(joiner_public) != 32 or joiner_public == identity.public:
            rejected += 1
            consumed.append(blob_name)
            continue
        answer_name = _join_blob_name(secret, b"W", joiner_public)
        same_partner = state.paired and state.partner_public == joiner_public
        if same_partner or (
            not state.paired and used_at is None and now < datetime.fromisoformat(expires)
        ):
            if not same_partner:
                # The joiner may hold an older code than the latest one made here: the pair
                # id is the one in *its* code, or each side would refuse the other's envelopes.
                state.pair_id = header.pair_id
                _become_paired(conn, state, joiner_public, joiner_device, joiner_name, now)
                pairing_store.mark_invite_used(conn, header.pair_id, now.isoformat())
                accepted = True
            answer = {"accepted": True, "device": device, "name": name}
        else:
            reason = "expired" if now >= datetime.fromisoformat(expires) else "used"
            answer = {"accepted": False, "reason": reason}
            refused += 1
        reply = seal_envelope(
            join_key(secret), Header(b"W", header.pair_id, 0, 0), json.dumps(answer).encode()
        )
        replies.append((answer_name, reply))
        consumed.append(blob_name)
    return JoinOutcome(accepted, refused, rejected, replies, consumed)


def read_answer(
    conn: Connection, state: PairState, identity: KeyPair, transport: Transport, now: datetime
) -> bool:
    """Joiner side: True once the inviter said yes; raises :class:`PairingError` on a no.

    Once the outcome is committed, the caller deletes :func:`answer_blob_names`.
    """
    secret = state.join_secret
    answer_name = _join_blob_name(secret, b"W", identity.public)
    blob = transport.get(answer_name)
    if blob is None:
        return False
    try:
        _, payload = open_envelope(join_key(secret), blob)
        doc = json.loads(payload)
    except (CryptoError, ValueError):
        return False
    if not doc.get("accepted"):
        save_pair(conn, None)
        if doc.get("reason") == "expired":
            raise PairingError(
                "Your partner's device says this invite code had expired; ask for a new one."
            )
        raise PairingError(
            "This invite code was already used by another device; ask your partner for a new one."
        )
    _become_paired(
        conn, state, state.inviter_public, str(doc["device"]), str(doc["name"])[:100], now
    )
    state.join_secret = b""
    save_pair(conn, state)
    return True


def answer_blob_names(state: PairState, identity: KeyPair) -> list[str]:
    """Joiner side: the answer and the request of this join, to delete once it is settled."""
    secret = state.join_secret
    return [_join_blob_name(secret, kind, identity.public) for kind in (b"W", b"J")]


def _become_paired(
    conn: Connection, state: PairState, public: bytes, device: str, name: str, now: datetime
) -> None:
    """Record the partner (the one place that does) and the pairing. A key verified before
    stays recorded, so a different key now shows as changed until it is verified."""
    at = iso_now(lambda: now)
    state.partner = pairing_store.record_partner(conn, device, name, public, at)
    state.inviter_public = b""
    state.status = "paired"
    save_pair(conn, state)


def forget_pairing(conn: Connection) -> None:
    """Unpair (or cancel an invite or a join), inside the caller's transaction.

    Entries stay, and so does the partner record: old entries keep their author's name, and the
    key verified last is compared with the next partner's (``key_changed``).
    """
    if load_pair(conn) is None:
        raise PairingError("This vault is not paired.")
    pairing_store.forget_pairing(conn)


def _join_blob_name(secret: bytes, kind: bytes, joiner_public: bytes) -> str:
    return keyed_digest(join_name_key(secret), kind + joiner_public, b"tv:join-name:v1", 16).hex()
