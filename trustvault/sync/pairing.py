"""Pairing two devices once, resisting a man in the middle: the driver of :mod:`.pair_machine`.

Inviter: ``inviting`` --(a valid join request arrives)--> ``paired``.
Joiner:  ``joining``  --(the inviter's answer says yes)--> ``paired``; a "no" clears the pairing.
Every status change is an event of the machine; this module binds its side effects (:class:`_Deeds`)
to the vault and the medium.

The invite code gives the joiner the inviter's public key (so the joiner knows whom it talks to)
and a single-use secret. The joiner's request, sealed under a key derived from that secret,
carries its public key: only a holder of the code can make it, so the inviter learns the joiner's
key authenticated. The answer is sealed under the same key. Each code works once and expires; a
second joiner is answered "no" and never replaces the partner. Both devices then show the same
safety number, to compare aloud.

Answers and deletions wait for the caller's commit: the functions say what to put and delete
(:func:`deliver`, :attr:`Answer.settled`). A device killed in between then finds the request or
the answer still there and finishes on its next sync; the reverse order (blob consumed, pairing
rolled back) would leave one side waiting forever. The one exception is the join request, put
before the joiner's commit: if that commit is lost the person joins again, and the request is
written again under the same name.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from crypto.envelope import Header, parse_header, seal_envelope
from crypto.errors import CryptoError, ParameterError
from crypto.hashing import keyed_digest
from crypto.identity import KeyPair, check_public_key
from crypto.invite import join_key, join_name_key, new_invite_secret
from crypto.random import random_bytes
from trustvault.clock import iso_now
from trustvault.errors import PairingError
from trustvault.storage import meta_store, pairing_store, pause_store, social_store
from trustvault.storage.connection import Connection
from trustvault.storage.entry_store import has_entries_by
from trustvault.sync import (
    closing_state,
    heartbeat,
    join_messages,
    leave_notice,
    pair_formats,
    pair_seed,
    send_hold,
)
from trustvault.sync.invite_code import Invite, decode_invite, encode_invite
from trustvault.sync.pair_machine import Event, advance, allowed
from trustvault.sync.pair_state import PairState, load_pair, save_pair
from trustvault.sync.rejection import Rejected
from trustvault.sync.resend import drop_held
from trustvault.sync.transport import Transport

__all__ = [
    "ANSWER_GRACE",
    "CLOCK_TOLERANCE",
    "DEFAULT_TTL",
    "EXPIRED_NOTE",
    "Answer",
    "JoinOutcome",
    "answer_joins",
    "check_can_invite",
    "check_can_join",
    "check_code",
    "deliver",
    "forget_pairing",
    "make_invite",
    "partner_left",
    "read_answer",
    "start_join",
]

DEFAULT_TTL = timedelta(hours=24)
ANSWER_GRACE = timedelta(hours=1)
"""How long after its last code expired an inviter still answers late requests "expired" before
it stops inviting: a request made just in time on a slower clock, or carried late by the medium,
gets its "no" instead of leaving the joiner waiting."""
CLOCK_TOLERANCE = timedelta(minutes=15)
"""How far the joiner's clock may run ahead of the inviter's before a fresh code looks expired
here; the inviter's own clock still decides, so the code lives no longer than it said."""
EXPIRED_NOTE = "Your invite code expired before your partner used it; make a new one to pair."
_JOINER = 2


@dataclass(frozen=True)
class JoinOutcome:
    """What the inviter did with join requests during one sync."""

    accepted: bool = False
    refused: int = 0
    rejected: int = 0
    replies: list[tuple[str, bytes]] = field(default_factory=list)
    consumed: list[str] = field(default_factory=list)
    expired: bool = False  # every code expired unused: the vault stopped inviting


@dataclass(frozen=True)
class Answer:
    """What the joiner learned in one sync: nothing yet, a yes (``paired``), or a no
    (``refusal``, to raise once the clearing is committed). ``settled`` are the join request
    and answer, to delete after the commit."""

    paired: bool = False
    refusal: str = ""
    settled: list[str] = field(default_factory=list)


def deliver(transport: Transport, outcome: JoinOutcome) -> None:
    """After the commit: put the answers, then remove the requests they answer."""
    for name, blob in outcome.replies:
        transport.put(name, blob)
    for name in outcome.consumed:
        transport.delete(name)


def _unbound() -> None:
    raise AssertionError("a pairing side effect was asked for where it has no binding")


@dataclass
class _Deeds:
    """The machine's side effects (:class:`.pair_machine.Effects`), bound to one vault.

    Answers and deletions are queued in ``puts`` and ``deletes`` until the caller's commit; each
    caller fills in what its transitions need (the request to send, the answer at hand).
    """

    conn: Connection
    existing: Callable[[], None] = _unbound
    request: tuple[Transport, str, bytes] | None = None
    answer: tuple[str, bytes, str] | None = None  # (answer name, sealed answer, request name)
    join_blobs: list[str] = field(default_factory=list)
    puts: list[tuple[str, bytes]] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)

    def send_join_request(self) -> None:
        assert self.request is not None
        transport, name, blob = self.request
        transport.put(name, blob)

    def send_answer(self) -> None:
        assert self.answer is not None
        name, blob, request = self.answer
        self.puts.append((name, blob))
        self.deletes.append(request)

    def send_existing(self) -> None:
        self.existing()

    def tidy_join(self) -> None:
        self.deletes.extend(self.join_blobs)

    def forget(self) -> None:
        send_hold.forget_all(self.conn)
        pairing_store.forget_pairing(self.conn)
        drop_held(self.conn)
        heartbeat.forget(self.conn)


def _current(conn: Connection) -> PairState:
    """The stored pairing, or a new unpaired state for the machine to move."""
    return load_pair(conn) or PairState()


def check_can_invite(conn: Connection) -> None:
    """Refuse to invite while paired or joining (before any relay mailbox is made)."""
    allowed(_current(conn).status, Event.INVITE_MADE)


def check_can_join(conn: Connection) -> None:
    """Refuse to join while paired or joining (before any relay mailbox is joined)."""
    allowed(_current(conn).status, Event.JOIN_SENT)


def check_code(conn: Connection, identity: KeyPair, invite: Invite, now: datetime) -> None:
    """Everything that can be told about a code before using it: checked before a relay's
    one-time join is spent on it, so a mistake never uses up the partner's invitation."""
    if now >= invite.expires + CLOCK_TOLERANCE:
        raise PairingError(
            f"This invite code expired on {invite.expires.astimezone():%d %B %Y at %H:%M}"
            " by this device's clock; if the date or time here is wrong, correct it and try"
            " again, otherwise ask your partner for a new code."
        )
    allowed(_current(conn).status, Event.JOIN_SENT)
    try:
        check_public_key(invite.inviter_public)
    except ParameterError:
        raise PairingError(
            "This invite code does not hold a usable device key; ask your partner for a new one."
        ) from None
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
    """Create an invite (inside the caller's transaction); return the code to give the partner.

    A second code replaces the medium and pair id of the first here; the first still works (the
    pair id is taken from the code a joiner used).
    """
    state = _current(conn)
    pair_id = random_bytes(16)
    state.role, state.pair_id, state.transport = "inviter", pair_id, transport
    advance(state, Event.INVITE_MADE, _Deeds(conn))
    leave_notice.clear(conn)  # a new pairing begins: the old "X unpaired" is history
    closing_state.clear(conn)
    secret = secret or new_invite_secret()
    expires = now + ttl
    pairing_store.add_invite(conn, pair_id, secret, expires.isoformat())
    save_pair(conn, state)
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
    request: dict[str, object] = {"public": identity.public.hex(), "device": device, "name": name}
    request |= pair_formats.offer(conn)
    request |= pair_seed.join_offer(conn, invite.inviter_public)
    payload = json.dumps(request).encode()
    header = Header(b"J", invite.pair_id, _JOINER, 0)
    blob = seal_envelope(join_key(invite.secret), header, payload)
    put = (transport, _join_blob_name(invite.secret, b"J", identity.public), blob)
    state = _current(conn)
    state.role, state.pair_id, state.transport = "joiner", invite.pair_id, transport_spec
    state.inviter_public, state.join_secret = invite.inviter_public, invite.secret
    advance(state, Event.JOIN_SENT, _Deeds(conn, request=put))
    leave_notice.clear(conn)
    closing_state.clear(conn)
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
    send_existing: Callable[[], None],
) -> JoinOutcome:
    """Inviter side: accept the first valid join request, refuse any other, inside a transaction.

    ``send_existing`` records what this vault already holds for the new partner. The answers to
    put and the requests to delete are returned for :func:`deliver`. Once every code expired
    (:data:`ANSWER_GRACE` ago) with none used, the vault stops inviting.
    """
    invites = {invite.pair_id: invite for invite in pairing_store.pending_invites(conn)}
    accepted, refused, rejected = False, 0, 0
    deeds = _Deeds(conn, existing=send_existing)
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
        request = join_messages.read_request(secret, blob)
        if isinstance(request, Rejected):  # malformed, or a key no honest device makes
            rejected += 1
            deeds.deletes.append(blob_name)
            continue
        joiner_public, joiner_device, joiner_name = request.public, request.device, request.name
        if (
            joiner_public == identity.public
            or identity_refusal(conn, device, joiner_device, joiner_public) is not None
        ):
            rejected += 1
            deeds.deletes.append(blob_name)
            continue
        answer: dict[str, Any] = {"accepted": True, "device": device, "name": name}
        answer |= pair_formats.offer(conn)
        if state.paired and state.partner_public == joiner_public:
            # Asked again, perhaps with another code (its join under the first was cancelled,
            # but its request stayed in the medium): say which pair id the pairing has.
            answer["pair"] = state.pair_id.hex()
            seeded = pair_seed.answer_offer(
                conn, state.pair_id, joiner_public, request.seed, again=True
            )
            event = Event.PARTNER_ASKED_AGAIN
            if seeded is None:  # it can no longer reach the first yes's ratchet: say no
                event, answer = Event.STALE_REQUEST, {"accepted": False, "reason": "used"}
                refused += 1
            else:
                answer |= seeded
        elif not state.paired and used_at is None and now < datetime.fromisoformat(expires):
            event = Event.JOIN_ACCEPTED
            # The joiner may hold an older code than the latest one made here: the pair id is
            # the one in *its* code, or each side would refuse the other's envelopes.
            state.pair_id = header.pair_id
            _record_partner(conn, state, joiner_public, joiner_device, joiner_name, now)
            pair_formats.start(conn, state, request.formats)
            answer |= (
                pair_seed.answer_offer(
                    conn, state.pair_id, joiner_public, request.seed, again=False
                )
                or {}
            )
            pairing_store.mark_invite_used(conn, header.pair_id, now.isoformat())
            accepted = True
        else:
            event = Event.STALE_REQUEST
            reason = "expired" if now >= datetime.fromisoformat(expires) else "used"
            answer = {"accepted": False, "reason": reason}
            refused += 1
        reply = seal_envelope(
            join_key(secret), Header(b"W", header.pair_id, 0, 0), json.dumps(answer).encode()
        )
        deeds.answer = (_join_blob_name(secret, b"W", joiner_public), reply, blob_name)
        advance(state, event, deeds)
    if accepted:
        save_pair(conn, state)
    expired = state.status == "inviting" and all(
        i.used_at is not None or now >= datetime.fromisoformat(i.expires) + ANSWER_GRACE
        for i in invites.values()
    )
    if expired:
        advance(state, Event.INVITE_EXPIRED, deeds)
    return JoinOutcome(accepted, refused, rejected, deeds.puts, deeds.deletes, expired)


def read_answer(
    conn: Connection,
    state: PairState,
    identity: KeyPair,
    transport: Transport,
    now: datetime,
    send_existing: Callable[[], None],
) -> Answer:
    """Joiner side, inside a transaction: a yes pairs (``send_existing`` records what this vault
    already holds for the partner); a no clears the pairing and says why, to raise after the
    commit. Either way the request and answer are to be deleted after the commit."""
    secret = state.join_secret
    deeds = _Deeds(conn, existing=send_existing, join_blobs=_settled(secret, identity))
    blob = transport.get(_join_blob_name(secret, b"W", identity.public))
    if blob is None:
        return Answer()
    answer = join_messages.read_answer(secret, blob)
    if answer == join_messages.NOT_AUTHENTIC:
        return Answer()  # not the inviter's (tampered): keep waiting for the real one
    if isinstance(answer, Rejected) or not answer.accepted:
        pair_seed.forget_join(conn)  # any answer ends the join: its ephemeral goes
    if isinstance(answer, Rejected):
        advance(state, Event.ANSWER_NO, deeds)
        return Answer(refusal=join_messages.UNREADABLE_ANSWER, settled=deeds.deletes)
    if not answer.accepted:
        advance(state, Event.ANSWER_NO, deeds)
        if answer.reason == "expired":
            refusal = "Your partner's device says this invite code had expired; ask for a new one."
        else:
            refusal = (
                "This invite code was already used by another device; ask your partner for a"
                " new one."
            )
        return Answer(refusal=refusal, settled=deeds.deletes)
    public, device, name = state.inviter_public, answer.device, answer.name
    refused = identity_refusal(conn, meta_store.get(conn, "device_id") or "", device, public)
    if refused is not None:
        pair_seed.forget_join(conn)
        advance(state, Event.ANSWER_NO, deeds)
        return Answer(
            refusal=f"Your partner's device sent an identity this device refuses ({refused});"
            " nothing was paired. Ask your partner to make a new invite code.",
            settled=deeds.deletes,
        )
    _record_partner(conn, state, public, device, name, now)
    state.pair_id = answer.pair_id or state.pair_id  # the inviter's, if it paired under another
    state.join_secret = b""
    pair_seed.joiner_agrees(conn, state.pair_id, public, answer.seed)
    pair_formats.start(conn, state, answer.formats)
    advance(state, Event.ANSWER_YES, deeds)
    save_pair(conn, state)
    return Answer(paired=True, settled=deeds.deletes)


_DEVICE_ID = re.compile(r"[0-9a-f]{32}")


def identity_refusal(conn: Connection, own: str, device: str, public: bytes) -> str | None:
    """Why the partner's declared device id cannot be accepted, or None.

    The device id is what every authorization rule judges ops by (only an entry's author may
    withdraw it, comments are shown as their writer's), so it is bound to the partner's key
    here: never this device's own id; never the id of someone whose entries this vault holds,
    unless it is the partner recorded before with this very key (a re-pairing of the same
    devices). A modified client claiming another id is refused instead of acting as that person.
    """
    if not _DEVICE_ID.fullmatch(device):
        return "its device id is malformed"
    if device == own:
        return "it claims this device's own id"
    known = pairing_store.partner(conn)
    if known is not None and known.device == device:
        return None if known.public in (b"", public) else "it claims another key's device id"
    if has_entries_by(conn, device):
        return "it claims the device id of someone else whose entries are here"
    return None


def _settled(secret: bytes, identity: KeyPair) -> list[str]:
    """Joiner side: the answer and the request of this join, to delete once it is settled."""
    return [_join_blob_name(secret, kind, identity.public) for kind in (b"W", b"J")]


def _record_partner(
    conn: Connection, state: PairState, public: bytes, device: str, name: str, now: datetime
) -> None:
    """Record the partner of the pairing being made (the one place that does). A key verified
    before stays recorded, so a different key now shows as changed until it is verified."""
    at = iso_now(lambda: now)
    state.partner = pairing_store.record_partner(conn, device, name, public, at)
    state.inviter_public = b""


def forget_pairing(conn: Connection) -> None:
    """Unpair (or cancel an invite or a join), inside the caller's transaction.

    Entries stay, and so does the partner record: old entries keep their author's name, and the
    key verified last is compared with the next partner's (``key_changed``).
    """
    state = _current(conn)
    if state.paired and state.partner is not None and state.partner.device:
        social_store.remember_shared(conn, state.partner.device)
    advance(state, Event.UNPAIR, _Deeds(conn))
    closing_state.mark_ended(conn)
    pause_store.forget_all(conn)  # a pause is between the two: it ends with the pairing


def partner_left(conn: Connection, day: date) -> None:
    """The partner's device unpaired (its notice authenticated): forget the pairing as an unpair
    here would, and remember who left and when (inside the caller's transaction)."""
    state = _current(conn)
    partner = state.partner_name or "Your partner"
    if state.partner is not None and state.partner.device:
        social_store.remember_shared(conn, state.partner.device)
    advance(state, Event.PARTNER_LEFT, _Deeds(conn))
    leave_notice.remember(conn, partner, day)
    closing_state.mark_ended(conn)
    pause_store.forget_all(conn)


def _join_blob_name(secret: bytes, kind: bytes, joiner_public: bytes) -> str:
    return keyed_digest(join_name_key(secret), kind + joiner_public, b"tv:join-name:v1", 16).hex()
