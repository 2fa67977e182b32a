"""XChaCha20-Poly1305 sealing with a fresh random nonce per record.

A sealed record is ``nonce (24 bytes) || ciphertext+tag``. Callers never pass a nonce: a 192-bit
random nonce makes reuse under one key negligible even for billions of records, which is why
XChaCha20 (not ChaCha20's 96-bit nonce) is used. The associated data always starts with a purpose
label, so a record sealed for one purpose never opens as another.
"""

import nacl.bindings as sodium
import nacl.exceptions

from crypto.errors import AuthenticationError
from crypto.random import random_bytes

__all__ = ["KEY_BYTES", "NONCE_BYTES", "OVERHEAD", "open_sealed", "seal"]

KEY_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES
NONCE_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
TAG_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES
OVERHEAD = NONCE_BYTES + TAG_BYTES


def seal(key: bytes, plaintext: bytes, label: bytes, associated: bytes = b"") -> bytes:
    """Encrypt and authenticate ``plaintext``; ``label`` and ``associated`` are bound, not sent."""
    _check_key(key)
    nonce = random_bytes(NONCE_BYTES)
    body = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        plaintext, _ad(label, associated), nonce, key
    )
    return nonce + bytes(body)


def open_sealed(key: bytes, sealed: bytes, label: bytes, associated: bytes = b"") -> bytes:
    """Verify and decrypt a record made by :func:`seal` with the same label and associated data."""
    _check_key(key)
    if len(sealed) < OVERHEAD:
        raise AuthenticationError("sealed record is too short")
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        return bytes(
            sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
                body, _ad(label, associated), nonce, key
            )
        )
    except nacl.exceptions.CryptoError:
        raise AuthenticationError("sealed record did not authenticate") from None


def _ad(label: bytes, associated: bytes) -> bytes:
    return len(label).to_bytes(2, "big") + label + associated


def _check_key(key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError("an XChaCha20-Poly1305 key is 32 bytes")
