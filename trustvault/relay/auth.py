"""Who may touch a mailbox: the two devices whose credentials were registered at pairing.

Each device makes a random 32-byte credential itself and sends it only over the connection; the
relay keeps a BLAKE2b hash of it, domain-separated by BLAKE2b's personalisation (not keyed: the
secrets are 256-bit random, so a copy of the data folder still lets nobody in), and compares
hashes with :func:`hmac.compare_digest`. The one-time join token is kept the same way,
under its own label. Requests carry ``Authorization: Bearer <credential, base64url>``; the mailbox
id is in the path, and a credential counts only for its own mailbox.

A private relay (``--creation-token``) also asks for an operator-chosen token in the
``TrustVault-Creation-Token`` header before it creates a mailbox; joining never needs it.
"""

import base64
import binascii
import hashlib
import hmac
import re

from trustvault.relay.store import INVITER, JOINER, Mailbox

__all__ = [
    "CREATION_TOKEN_HEADER",
    "CREDENTIAL_BYTES",
    "MAILBOX_PATTERN",
    "compare_hash",
    "creation_token_hash",
    "credential_hash",
    "decode_secret",
    "device_of",
    "join_token_hash",
    "log_tag",
    "parse_bearer",
]

CREATION_TOKEN_HEADER = "TrustVault-Creation-Token"  # noqa: S105  (a header name)
CREDENTIAL_BYTES = 32
MAILBOX_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
_B64 = re.compile(r"^[A-Za-z0-9_-]{43}=?$")  # 32 bytes in base64url
_ZERO_HASH = bytes(32)


def _hash(secret: bytes, label: bytes) -> bytes:
    return hashlib.blake2b(secret, digest_size=32, person=label).digest()


def credential_hash(credential: bytes) -> bytes:
    return _hash(credential, b"tv-relay-cred-1")


def join_token_hash(token: bytes) -> bytes:
    return _hash(token, b"tv-relay-join-1")


def creation_token_hash(token: str) -> bytes:
    """Compared as hashes so that the time a check takes says nothing about the token's length
    or how many leading characters a guess got right."""
    return _hash(token.encode(), b"tv-relay-make-1")


def decode_secret(text: object) -> bytes | None:
    """A 32-byte secret from base64url text, or None when it is anything else."""
    if not isinstance(text, str) or not _B64.match(text):
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == CREDENTIAL_BYTES else None


def parse_bearer(header: str | None) -> bytes | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return decode_secret(value.strip())


def compare_hash(presented: bytes, stored: bytes | None) -> bool:
    """Constant-time equality that also spends the same time when nothing is stored."""
    return hmac.compare_digest(presented, stored or _ZERO_HASH) and stored is not None


def device_of(mailbox: Mailbox | None, credential: bytes) -> int | None:
    """INVITER or JOINER when ``credential`` belongs to ``mailbox``, else None.

    Both comparisons always run, also for a missing mailbox, so timing says nothing about which
    mailbox ids exist or which device a guess came close to.
    """
    presented = credential_hash(credential)
    inviter = mailbox.inviter_hash if mailbox else _ZERO_HASH
    joiner = (mailbox.joiner_hash if mailbox else None) or _ZERO_HASH
    is_inviter = hmac.compare_digest(presented, inviter)
    is_joiner = hmac.compare_digest(presented, joiner)
    if mailbox is None:
        return None
    if is_inviter:
        return INVITER
    if is_joiner and mailbox.joiner_hash is not None:
        return JOINER
    return None


def log_tag(mailbox_id: str) -> str:
    """A short, non-reversible tag that lets an operator correlate log lines of one mailbox."""
    return hashlib.blake2b(mailbox_id.encode(), digest_size=4, person=b"tv-relay-log").hexdigest()
