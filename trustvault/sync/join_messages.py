"""What a join request and a join answer say, read without trusting them (PROTOCOL.md §3).

Both are sealed under the invite's join key, so only a holder of the code can write one; but a
holder of a leaked code, or a modified client, can seal anything inside. Each reader returns what
it read or a :class:`~.rejection.Rejected` with a content-free reason, never an exception (see
:mod:`.rejection`): the caller counts or reports the refusal in one line and its sync goes on,
instead of a malformed message raising out of the round, on every round, for good.
"""

import json
from dataclasses import dataclass

from crypto.envelope import open_envelope
from crypto.errors import AuthenticationError, ParameterError
from crypto.identity import check_public_key
from crypto.invite import join_key
from trustvault.names import NAME_CHARS
from trustvault.sync import pair_formats, pair_seed
from trustvault.sync.rejection import Rejected

__all__ = ["NOT_AUTHENTIC", "JoinAnswer", "JoinRequest", "read_answer", "read_request"]

NOT_AUTHENTIC = Rejected("did not authenticate (tampered, or for another code)")
UNREADABLE_ANSWER = (
    "Your partner's device sent an answer this device cannot read; nothing was paired. Ask your"
    " partner to make a new invite code."
)


@dataclass(frozen=True)
class JoinRequest:
    """A joiner's request: its public key (checked), its declared device id and name, and the
    envelope formats it reads (:mod:`.pair_formats`)."""

    public: bytes
    device: str
    name: str
    formats: tuple[int, ...] = (1,)
    seed: bytes = b""  # the public of the joiner's ephemeral (:mod:`.pair_seed`), if it sent one


@dataclass(frozen=True)
class JoinAnswer:
    """The inviter's answer: yes (with its device id and name) or no (with a reason)."""

    accepted: bool
    device: str = ""
    name: str = ""
    reason: str = ""
    pair_id: bytes = b""  # on a yes to a repeated request: the pair id the inviter paired under
    formats: tuple[int, ...] = (1,)  # on a yes: the envelope formats the inviter reads
    seed: bytes = b""  # on a yes: the public of the inviter's ephemeral, if it sent one


def read_request(secret: bytes, blob: bytes) -> JoinRequest | Rejected:
    """Open a join request sealed for the invite ``secret``; a refused key is its own reason."""
    doc = _open(secret, blob)
    if isinstance(doc, Rejected):
        return doc
    public, device, name = _key(doc.get("public")), doc.get("device"), doc.get("name")
    formats, seed = pair_formats.read(doc), pair_seed.read_public(doc)
    if public is None or not isinstance(device, str) or not isinstance(name, str):
        return Rejected("is malformed")
    if formats is None or seed is None:
        return Rejected("is malformed")
    try:
        check_public_key(public)
    except ParameterError:
        return Rejected("carries a device key no honest device makes")
    return JoinRequest(public, device, name[:NAME_CHARS], formats, seed)


def read_answer(secret: bytes, blob: bytes) -> JoinAnswer | Rejected:
    """Open the inviter's answer to this device's join request."""
    doc = _open(secret, blob)
    if isinstance(doc, Rejected):
        return doc
    accepted = doc.get("accepted")
    if accepted is True:
        device, name = doc.get("device"), doc.get("name")
        pair, formats = _pair_id(doc.get("pair", "")), pair_formats.read(doc)
        if not isinstance(device, str) or not isinstance(name, str):
            return Rejected("is malformed")
        seed = pair_seed.read_public(doc)
        if pair is None or formats is None or seed is None:
            return Rejected("is malformed")
        return JoinAnswer(True, device, name[:NAME_CHARS], pair_id=pair, formats=formats, seed=seed)
    if accepted is False:
        reason = doc.get("reason")
        return JoinAnswer(False, reason=reason if reason in ("expired", "used") else "used")
    return Rejected("is malformed")


def _open(secret: bytes, blob: bytes) -> dict[str, object] | Rejected:
    try:
        _, payload = open_envelope(join_key(secret), blob)
    except AuthenticationError:
        return NOT_AUTHENTIC
    try:
        doc = json.loads(payload)
    except (ValueError, RecursionError):  # json.loads's own failures: not JSON, too deep
        return Rejected("is malformed")
    return doc if isinstance(doc, dict) else Rejected("is malformed")


def _key(value: object) -> bytes | None:
    return _hex(value, 32)


def _pair_id(value: object) -> bytes | None:
    """An answer's pair id: absent (older inviters, and a first yes) reads as ``b""``."""
    return b"" if value == "" else _hex(value, 16)


def _hex(value: object, size: int) -> bytes | None:
    if not isinstance(value, str) or len(value) != 2 * size:
        return None
    try:
        return bytes.fromhex(value)
    except ValueError:  # not hexadecimal: fromhex's only failure
        return None
