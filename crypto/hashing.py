"""Keyed and unkeyed BLAKE2b with purpose labels, and constant-time comparison.

Every use passes a label so that one key never serves two purposes
(``derive_subkey(key, b"tv:names:v1")`` and ``derive_subkey(key, b"tv:chain:v1")`` are unrelated).
The constant-time comparison is libsodium's ``sodium_memcmp``.
"""

import hashlib

import nacl.bindings as sodium

__all__ = ["constant_time_equal", "derive_subkey", "digest", "keyed_digest"]


def digest(data: bytes, label: bytes, size: int = 32) -> bytes:
    """Unkeyed BLAKE2b of ``label || len(data) || data``; the length prefix keeps fields apart.

    The state after the framed label is made once per label and copied: a sync hashes every op
    twice (its digest, its chain step), and copying halves what each costs."""
    start = _LABELLED.get((label, size))
    if start is None:
        start = hashlib.blake2b(_frame(label), digest_size=size)
        if len(_LABELLED) < _LABELS_KEPT:
            _LABELLED[(label, size)] = start
    hasher = start.copy()
    hasher.update(len(data).to_bytes(8, "big"))
    hasher.update(data)
    return hasher.digest()


_LABELLED: dict[tuple[bytes, int], "hashlib.blake2b"] = {}
"""Unkeyed states after a label, by (label, size): labels are the code's own constants, never
a secret (keyed digests are not kept: their state would hold the key)."""
_LABELS_KEPT = 64


def keyed_digest(key: bytes, data: bytes, label: bytes, size: int = 32) -> bytes:
    """BLAKE2b MAC of ``data`` under ``key``, domain-separated by ``label``."""
    if len(key) < 16:
        raise ValueError("keyed_digest needs a key of at least 16 bytes")
    return _blake2b(_frame(label) + _frame(data), key, size)


def derive_subkey(key: bytes, label: bytes, size: int = 32) -> bytes:
    """Derive an independent key for one purpose from a master key."""
    return keyed_digest(key, b"", b"tv:subkey:" + label, size)


def constant_time_equal(a: bytes, b: bytes) -> bool:
    """Compare two secrets without leaking where they differ."""
    if len(a) != len(b):
        return False
    return bool(sodium.sodium_memcmp(a, b))


def _frame(part: bytes) -> bytes:
    return len(part).to_bytes(8, "big") + part


def _blake2b(data: bytes, key: bytes, size: int) -> bytes:
    # Python's hashlib BLAKE2b is the same function as libsodium's crypto_generichash (RFC 7693;
    # tests/test_crypto.py checks they agree); pynacl's wrapper validates its arguments in Python
    # on every call, which made hashing the largest cost of applying synced ops.
    return hashlib.blake2b(data, digest_size=size, key=key).digest()
