"""Pairing by a short spoken code: SPAKE2, key confirmation, then the long-term keys (PROTOCOL §3b).

Each side puts its blobs on the medium under names made from the channel alone, and advances one
step per sync (:func:`step`) as the peer's blobs arrive::

    inviter                                   joiner
    msg-inviter   (at invite)                 msg-joiner      (at join)
        both: the peer's message -> the shared key -> confirm-<side> = MAC || sealed device id
        both: the peer's confirmation checked (constant time); a mismatch burns the invitation
    keys-inviter  (public key, name, pair id)  keys-joiner   (public key, name)
        sealed under the PAKE key, with both device ids as associated data
        both: the peer's keys opened -> the partner is recorded -> paired

No long-term key, name or entry moves before the peer's confirmation checked; the device id in a
confirmation opens only for a holder of the key. A wrong code (or a guess by someone watching the
medium) makes the confirmations differ: each side that sees it forgets the exchange and says so,
leaving its own confirmation for the other to see the same. Every blob is framed as an envelope
header of kind ``P`` so the sync round passes over any that linger.
"""

import base64
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from crypto import pake
from crypto.aead import open_sealed, seal
from crypto.envelope import HEADER_BYTES, Header, parse_header
from crypto.errors import CryptoError, ParameterError
from crypto.hashing import digest
from crypto.identity import KeyPair, check_public_key
from crypto.random import random_bytes
from trustvault.clock import iso_now
from trustvault.storage import pairing_store
from trustvault.storage.connection import Connection
from trustvault.sync import (
    closing_state,
    heartbeat,
    leave_notice,
    pair_formats,
    pair_seed,
    send_hold,
)
from trustvault.sync.pair_machine import Event, advance, allowed
from trustvault.sync.pair_state import PairState, load_pair, save_pair
from trustvault.sync.pairing import identity_refusal
from trustvault.sync.resend import drop_held
from trustvault.sync.short_code import ShortCode

__all__ = [
    "EXPIRED",
    "KIND",
    "SHORT_TTL",
    "WRONG_CODE",
    "Step",
    "begin",
    "blob_name",
    "relay_join_token",
    "relay_mailbox",
    "step",
]

KIND = b"P"
SHORT_TTL = timedelta(hours=1)
WRONG_CODE = "The code was wrong, or someone tried to guess it: make a new one."
EXPIRED = "The pairing code expired before both devices finished; make a new one."
_SENDER = {pake.Side.INVITER: 0, pake.Side.JOINER: 2}
_DEVICE_LABEL = b"tv:pake:device:v1"
_KEYS_LABEL = b"tv:pake:keys:v1"
_BLOBS = ("msg", "confirm", "keys")
_MSG_PAD = 16


@dataclass
class _Progress:
    """What one side knows of its exchange, stored in the pairing row's ``pake`` column."""

    channel: int
    expires: str
    pending: str = ""  # the SPAKE2 side, until the peer's message arrives
    key: str = ""  # the shared key (hex), until paired
    peer_device: str = ""  # once the peer's confirmation checked
    keys_sent: bool = False

    def dump(self) -> bytes:
        return json.dumps(asdict(self)).encode()

    @classmethod
    def load(cls, data: bytes) -> "_Progress":
        return cls(**json.loads(data))


@dataclass
class Step:
    """One step's result: blobs to put and delete after the commit, and what happened."""

    puts: list[tuple[str, bytes]] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    paired: bool = False
    refusal: str = ""  # the exchange ended without pairing: say this on this device


def blob_name(channel: int, kind: str, side: pake.Side) -> str:
    label = f"tv:pake:blob:{kind}:{side.value}:v1".encode()
    return digest(str(channel).encode(), label, 16).hex()


def relay_mailbox(channel: int) -> str:
    """The relay mailbox both devices find from the channel alone (hashed; it is public)."""
    raw = digest(str(channel).encode(), b"tv:pake:relay-mailbox:v1", 16)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def relay_join_token(channel: int) -> bytes:
    """The mailbox's join token: public too (the words never reach the relay); the relay lets
    one device join, and SPAKE2, not the token, decides whether it is the partner."""
    return digest(str(channel).encode(), b"tv:pake:relay-join:v1")


class _Effects:
    """The machine's side effects for this exchange (the long code's ones are no-ops here)."""

    def __init__(self, conn: Connection, existing: Callable[[], None] = lambda: None) -> None:
        self.conn, self.existing = conn, existing

    def send_join_request(self) -> None:
        """The joiner's message is put by :func:`begin`'s caller after the commit."""

    def send_answer(self) -> None:
        raise AssertionError("a short code's exchange sends no answer")

    def send_existing(self) -> None:
        self.existing()

    def tidy_join(self) -> None:
        """The step lists the blobs to delete after the commit."""

    def forget(self) -> None:
        send_hold.forget_all(self.conn)
        pairing_store.forget_pairing(self.conn)
        drop_held(self.conn)
        heartbeat.forget(self.conn)


def begin(
    conn: Connection,
    role: str,
    code: ShortCode,
    spec: dict[str, object],
    now: datetime,
    ttl: timedelta = SHORT_TTL,
) -> tuple[str, bytes]:
    """Start this side's exchange (inside the caller's transaction); return the blob to put."""
    state = load_pair(conn) or PairState()
    side = pake.Side.INVITER if role == "inviter" else pake.Side.JOINER
    allowed(state.status, Event.INVITE_MADE if role == "inviter" else Event.JOIN_SENT)
    pending, message = pake.start(code.text, side)
    state.role, state.transport = role, dict(spec)
    state.pair_id = random_bytes(16) if role == "inviter" else bytes(16)
    state.inviter_public, state.join_secret = b"", b""
    progress = _Progress(code.channel, (now + ttl).isoformat(), pending.serialize().decode())
    state.pake = progress.dump()
    advance(state, Event.INVITE_MADE if role == "inviter" else Event.JOIN_SENT, _Effects(conn))
    leave_notice.clear(conn)
    closing_state.clear(conn)
    save_pair(conn, state)
    # Padded: a blob shorter than an empty sealed envelope is not read as one (parse_header).
    return blob_name(code.channel, "msg", side), _frame(side, message + bytes(_MSG_PAD))


def step(
    conn: Connection,
    state: PairState,
    identity: KeyPair,
    name: str,
    device: str,
    get: Callable[[str], bytes | None],
    now: datetime,
    send_existing: Callable[[], None],
) -> Step:
    """Advance this side's exchange as far as the peer's blobs allow (inside a transaction)."""
    side = pake.Side.INVITER if state.role == "inviter" else pake.Side.JOINER
    peer = side.other
    progress = _Progress.load(state.pake)
    out = Step()
    mine = {kind: blob_name(progress.channel, kind, side) for kind in _BLOBS}
    theirs = {kind: blob_name(progress.channel, kind, peer) for kind in _BLOBS}

    def end(event: Event, refusal: str, keep_confirm: bool = False) -> Step:
        out.deletes.extend(n for n in theirs.values())
        out.deletes.extend(n for k, n in mine.items() if not (keep_confirm and k == "confirm"))
        advance(state, event, _Effects(conn))
        out.refusal = refusal
        return out

    if now >= datetime.fromisoformat(progress.expires):
        return end(Event.INVITE_EXPIRED, EXPIRED)
    if not progress.key:
        body = _unframe(get(theirs["msg"]))
        if body is None:
            return out
        try:
            key = pake.restore(progress.pending.encode()).finish(body[: pake.MESSAGE_BYTES])
        except ParameterError:
            return end(Event.CODE_WRONG, WRONG_CODE)
        progress.key, progress.pending = key.hex(), ""
        sealed_device = seal(pake.sealing_key(key, side), device.encode(), _DEVICE_LABEL)
        out.puts.append(
            (mine["confirm"], _frame(side, pake.confirmation(key, side) + sealed_device))
        )
    key = bytes.fromhex(progress.key)
    if not progress.peer_device:
        body = _unframe(get(theirs["confirm"]))
        if body is None:
            return _saved(conn, state, progress, out)
        if not pake.confirms(key, peer, body[: pake.KEY_BYTES]):
            return end(Event.CODE_WRONG, WRONG_CODE, keep_confirm=True)
        try:
            sealed = body[pake.KEY_BYTES :]
            peer_device = open_sealed(pake.sealing_key(key, peer), sealed, _DEVICE_LABEL).decode()
        except (CryptoError, UnicodeDecodeError):
            return end(Event.CODE_WRONG, WRONG_CODE, keep_confirm=True)
        progress.peer_device = peer_device
    devices = (device, progress.peer_device) if side is pake.Side.INVITER else (
        progress.peer_device, device)  # fmt: skip
    ad = "|".join(devices).encode()
    if not progress.keys_sent:
        ours = {"public": identity.public.hex(), "name": name, "pair": state.pair_id.hex()}
        plain = json.dumps(ours | pair_formats.offer(conn) | pair_seed.pake_offer(conn)).encode()
        sealed = seal(pake.sealing_key(key, side), plain, _KEYS_LABEL, ad)
        out.puts.append((mine["keys"], _frame(side, sealed)))
        progress.keys_sent = True
    body = _unframe(get(theirs["keys"]))
    if body is None:
        return _saved(conn, state, progress, out)
    try:
        doc = json.loads(open_sealed(pake.sealing_key(key, peer), body, _KEYS_LABEL, ad))
        public, peer_name = bytes.fromhex(doc["public"]), str(doc["name"])
        pair_id = bytes.fromhex(doc["pair"]) if side is pake.Side.JOINER else state.pair_id
        check_public_key(public)
        if len(pair_id) != 16:
            raise ValueError("a pair id is 16 bytes")
        formats = pair_formats.read(doc) if isinstance(doc, dict) else None
        if formats is None:
            raise ValueError("a list of format numbers")
    except (CryptoError, ValueError, KeyError, TypeError):
        return end(Event.CODE_WRONG, _UNREADABLE)
    refused = identity_refusal(conn, device, progress.peer_device, public)
    if public == identity.public:
        refused = "it claims this device's own key"
    if refused is not None:
        return end(Event.CODE_WRONG, f"{_REFUSED_IDENTITY} ({refused}).")
    state.pair_id, state.pake = pair_id, b""
    pair_formats.start(conn, state, formats)
    at = iso_now(lambda: now)
    state.partner = pairing_store.record_partner(conn, progress.peer_device, peer_name, public, at)
    pair_seed.pake_agree(conn, pair_id, public, key, doc)  # the first state, before K is erased
    advance(state, Event.KEYS_EXCHANGED, _Effects(conn, send_existing))
    save_pair(conn, state)
    out.deletes.extend(n for n in theirs.values())
    out.paired = True
    return out


_UNREADABLE = "Your partner's device sent keys this device cannot read; make a new code to pair."
_REFUSED_IDENTITY = "Your partner's device sent an identity this device refuses; nothing was paired"


def _saved(conn: Connection, state: PairState, progress: _Progress, out: Step) -> Step:
    state.pake = progress.dump()
    save_pair(conn, state)
    return out


def _frame(side: pake.Side, body: bytes) -> bytes:
    return Header(KIND, bytes(16), _SENDER[side], 0).pack() + body


def _unframe(blob: bytes | None) -> bytes | None:
    if blob is None:
        return None
    try:
        header = parse_header(blob)
    except CryptoError:
        return None
    return blob[HEADER_BYTES:] if header.kind == KIND else None
