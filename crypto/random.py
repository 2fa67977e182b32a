"""The one source of randomness for keys, salts, nonces and secrets."""

import nacl.utils

__all__ = ["random_bytes"]


def random_bytes(n: int) -> bytes:
    """Return n bytes from libsodium's CSPRNG."""
    return bytes(nacl.utils.random(n))
