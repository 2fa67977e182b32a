"""Invite codes: the text (and QR image) one partner gives the other to pair once.

A code is ``tv1-`` followed by base32 text in groups of four, and carries: the inviter's public key,
a 256-bit single-use secret, the pair id, the expiry time, and, for the relay, its URL and mailbox.
The last four characters are a checksum, so a mistyped or truncated code is told apart from an
expired or already-used one. The code is as sensitive as a password until it is used.
"""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from trustvault.errors import PairingError

__all__ = ["Invite", "decode_invite", "encode_invite"]

PREFIX = "tv1-"


@dataclass(frozen=True, repr=False)
class Invite:
    inviter_public: bytes
    secret: bytes
    pair_id: bytes
    expires: datetime
    relay_url: str = ""
    mailbox: str = ""

    def __repr__(self) -> str:
        return f"Invite(pair_id={self.pair_id.hex()}, expires={self.expires.isoformat()})"


def encode_invite(invite: Invite) -> str:
    doc = {
        "k": _b64(invite.inviter_public),
        "s": _b64(invite.secret),
        "p": _b64(invite.pair_id),
        "e": int(invite.expires.timestamp()),
    }
    if invite.relay_url:
        doc["r"] = invite.relay_url
        doc["m"] = invite.mailbox
    body = json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()
    text = base64.b32encode(body + _checksum(body)).decode().rstrip("=").lower()
    return PREFIX + "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def decode_invite(code: str) -> Invite:
    """Parse a code; :class:`PairingError` with a plain reason on anything wrong."""
    text = "".join(code.split()).lower()
    if not text.startswith(PREFIX):
        raise PairingError("This is not a TrustVault invite code (it should start with 'tv1-').")
    packed = text[len(PREFIX) :].replace("-", "").upper()
    try:
        raw = base64.b32decode(packed + "=" * (-len(packed) % 8))
    except (binascii.Error, ValueError):
        raise PairingError(
            "The invite code is mistyped or incomplete; please copy it again."
        ) from None
    body, check = raw[:-3], raw[-3:]
    if len(raw) < 4 or check != _checksum(body):
        raise PairingError("The invite code is mistyped or incomplete; please copy it again.")
    try:
        doc = json.loads(body)
        invite = Invite(
            inviter_public=_unb64(doc["k"], 32),
            secret=_unb64(doc["s"], 32),
            pair_id=_unb64(doc["p"], 16),
            expires=datetime.fromtimestamp(int(doc["e"]), UTC),
            relay_url=str(doc.get("r", "")),
            mailbox=str(doc.get("m", "")),
        )
    except (ValueError, KeyError, TypeError, OverflowError, OSError, binascii.Error):
        raise PairingError(
            "This invite code was made by an incompatible version of TrustVault."
        ) from None
    return invite


def _checksum(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=3, person=b"tv-invite").digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str, size: int) -> bytes:
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if len(data) != size:
        raise ValueError("wrong length")
    return data
