"""The secret part of an invite code and the keys derived from it.

An invite carries the inviter's public key (so the joiner can authenticate the inviter) and a
single-use 256-bit secret. The joiner seals its own public key under a key derived from that
secret; only someone who holds the code can produce that blob, so the inviter learns the joiner's
key authenticated, with no server trusted. A relay, if any, sees only a token derived under a
separate label, from which the secret cannot be recovered.
"""

from crypto.hashing import derive_subkey
from crypto.random import random_bytes

__all__ = ["SECRET_BYTES", "join_key", "join_name_key", "new_invite_secret", "relay_join_token"]

SECRET_BYTES = 32


def new_invite_secret() -> bytes:
    return random_bytes(SECRET_BYTES)


def join_key(secret: bytes) -> bytes:
    """Seals the joiner's request and the inviter's answer."""
    return derive_subkey(secret, b"tv:invite:join:v1")


def join_name_key(secret: bytes) -> bytes:
    """Names the join request and answer blobs, so both sides find them without listing keys."""
    return derive_subkey(secret, b"tv:invite:names:v1")


def relay_join_token(secret: bytes) -> bytes:
    """What a relay may see: proves the joiner holds the code, reveals nothing about it."""
    return derive_subkey(secret, b"tv:invite:relay:v1")
