"""Commit, then reveal: a part written privately is bound before the partner's is seen.

``commit(part)`` draws a fresh 32-byte *opening* and returns it with
``commitment = BLAKE2b-256(key = opening, len‖"tv:conversation-part:v1" ‖ len‖part)``
(:func:`crypto.hashing.keyed_digest`). The commitment goes to the partner first; the part and
its opening go only later, and :func:`opens` checks them against it in constant time.

- *Hiding*: without the opening (256 random bits) the commitment is a PRF output, so even a
  one-word part ("fine") cannot be guessed from it by trying candidates.
- *Binding*: a second (opening, part) with the same commitment is a BLAKE2b-256 collision
  (about 2^128 work), so the part revealed is the part committed to, whoever chose the opening.

The caller frames ``part`` so that it names what it belongs to (the conversation and the writer):
a commitment then cannot be replayed as another conversation's or as the other person's.
"""

from crypto.hashing import constant_time_equal, keyed_digest
from crypto.random import random_bytes

__all__ = ["COMMITMENT_SIZE", "OPENING_SIZE", "commit", "opens"]

OPENING_SIZE = 32
COMMITMENT_SIZE = 32
_LABEL = b"tv:conversation-part:v1"


def commit(part: bytes) -> tuple[bytes, bytes]:
    """``(opening, commitment)`` for ``part``; keep the opening secret until the reveal."""
    opening = random_bytes(OPENING_SIZE)
    return opening, keyed_digest(opening, part, _LABEL, COMMITMENT_SIZE)


def opens(commitment: bytes, opening: bytes, part: bytes) -> bool:
    """Whether ``part`` with ``opening`` is what ``commitment`` bound (constant-time compare)."""
    if len(opening) != OPENING_SIZE or len(commitment) != COMMITMENT_SIZE:
        return False
    return constant_time_equal(keyed_digest(opening, part, _LABEL, COMMITMENT_SIZE), commitment)
