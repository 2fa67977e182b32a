"""Protocol v2 envelopes: nothing in the clear but the format, a keyed tag and a size bucket.

Layout::

    blob        = "TV" | 0x02 | tag (16) | hnonce (24) | sealed_head | bnonce (24) | sealed_body
    tag         = BLAKE2b-128(key = tag key, msg = hnonce, person = "tv:tag:v2")
    sealed_head = XChaCha20-Poly1305(head key, inner head, ad("tv:head:v2", "TV\\x02" | tag))
    inner head  = kind (1) | sender (1) | pair id (16) | seq (8) | ratchet (40)      66 bytes
    sealed_body = XChaCha20-Poly1305(message key, pad(payload, min_bucket),
                                     ad("tv:body:v2", every byte of the blob before bnonce))

The v1 header (kind, sender, pair id, sequence) told the medium which blob withdraws which and
each device's op count; here it is sealed. The tag is a keyed hash of a random nonce, so two blobs
of one direction look unrelated to anyone without the tag key, while the receiver sorts a listing
into "the partner's", "mine" and "not ours" with one hash per blob and no trial decryption. The
body is sealed under a separate message key (the caller's: a ratchet's, or the channel key), and
its associated data covers the sealed head, so a head cannot be moved onto another body.
``ad(label, x)`` is :mod:`crypto.aead`'s: ``u16be(len(label)) | label | x``.
"""

import hashlib
import hmac
import struct
from dataclasses import dataclass

import nacl.bindings as sodium
import nacl.exceptions

from crypto.aead import KEY_BYTES, NONCE_BYTES, TAG_BYTES
from crypto.envelope import bucket_size, pad, unpad
from crypto.errors import AuthenticationError, ParameterError
from crypto.hashing import derive_subkey
from crypto.random import random_bytes

__all__ = [
    "FORMAT_VERSION",
    "HEAD_BYTES",
    "PREFIX",
    "RATCHET_BYTES",
    "SEALED_OVERHEAD",
    "DirectionKeys",
    "InnerHead",
    "direction_keys",
    "is_v2",
    "matches",
    "open_body",
    "open_head",
    "padded_size",
    "seal",
]

FORMAT_VERSION = 2
PREFIX = b"TV\x02"
TAG_LEN = 16
RATCHET_BYTES = 40
_HEAD = struct.Struct(">cB16sQ40s")
HEAD_BYTES = _HEAD.size  # 66
_HEAD_LABEL = b"tv:head:v2"
_BODY_LABEL = b"tv:body:v2"
_TAG_PERSON = b"tv:tag:v2"
_HEAD_END = len(PREFIX) + TAG_LEN + NONCE_BYTES + HEAD_BYTES + TAG_BYTES  # 125
_BODY_START = _HEAD_END + NONCE_BYTES  # 149
SEALED_OVERHEAD = _BODY_START + TAG_BYTES  # 165: a blob is its padded payload and this
MIN_BLOB = SEALED_OVERHEAD + 256  # the smallest bucket, sealed


@dataclass(frozen=True, repr=False)
class DirectionKeys:
    """The tag key and the head key of one direction (what one device sends the other)."""

    tag: bytes
    head: bytes

    def __repr__(self) -> str:
        return "DirectionKeys(…)"


@dataclass(frozen=True)
class InnerHead:
    """What v1 showed in the clear, now sealed. ``ratchet`` is 40 bytes (zeros without one)."""

    kind: bytes
    sender: int
    pair_id: bytes
    seq: int
    ratchet: bytes = bytes(RATCHET_BYTES)

    def pack(self) -> bytes:
        if (
            len(self.kind) != 1
            or not 0 <= self.sender < 256
            or len(self.pair_id) != 16
            or not 0 <= self.seq < 2**64
            or len(self.ratchet) != RATCHET_BYTES
        ):
            raise ParameterError("malformed inner head")
        return _HEAD.pack(self.kind, self.sender, self.pair_id, self.seq, self.ratchet)


def direction_keys(channel_key: bytes) -> DirectionKeys:
    """The tag and head keys of the direction whose channel key is ``channel_key``."""
    return DirectionKeys(
        derive_subkey(channel_key, b"tv:tag:v2"), derive_subkey(channel_key, _HEAD_LABEL)
    )


def is_v2(blob: bytes) -> bool:
    """Whether ``blob`` claims the v2 format (only the clear prefix is looked at)."""
    return blob[: len(PREFIX)] == PREFIX


def seal(
    keys: DirectionKeys, message_key: bytes, head: InnerHead, payload: bytes, min_bucket: int = 0
) -> bytes:
    """Seal ``payload`` with ``head`` inside, padded to at least ``min_bucket`` bytes."""
    return _seal_with_nonces(
        keys,
        message_key,
        head,
        payload,
        min_bucket,
        random_bytes(NONCE_BYTES),
        random_bytes(NONCE_BYTES),
    )


def matches(tag_key: bytes, blob: bytes) -> bool:
    """Whether ``blob``'s tag was made with ``tag_key``: one keyed hash, constant-time compare."""
    if not is_v2(blob) or len(blob) < MIN_BLOB:
        return False
    tag = blob[len(PREFIX) : len(PREFIX) + TAG_LEN]
    hnonce = blob[len(PREFIX) + TAG_LEN : len(PREFIX) + TAG_LEN + NONCE_BYTES]
    # hmac.compare_digest is constant-time too, and ~50x cheaper than a sodium_memcmp through
    # pynacl's checks: this runs for every blob of every listing.
    return hmac.compare_digest(tag, _tag(tag_key, hnonce))


def open_head(keys: DirectionKeys, blob: bytes) -> InnerHead:
    """The inner head, or :class:`AuthenticationError` if it does not open under ``keys``."""
    if not is_v2(blob) or len(blob) < MIN_BLOB:
        raise AuthenticationError("not a v2 envelope")
    tag_end = len(PREFIX) + TAG_LEN
    hnonce = blob[tag_end : tag_end + NONCE_BYTES]
    sealed = blob[tag_end + NONCE_BYTES : _HEAD_END]
    raw = _decrypt(keys.head, hnonce, sealed, _ad(_HEAD_LABEL, blob[:tag_end]))
    kind, sender, pair_id, seq, ratchet = _HEAD.unpack(raw)
    return InnerHead(kind, sender, pair_id, seq, ratchet)


def open_body(message_key: bytes, blob: bytes) -> bytes:
    """The payload, or :class:`AuthenticationError`; call :func:`open_head` first (it checks the
    shape, and the head says which message key to use)."""
    if not is_v2(blob) or len(blob) < MIN_BLOB:
        raise AuthenticationError("not a v2 envelope")
    bnonce = blob[_HEAD_END:_BODY_START]
    padded = _decrypt(message_key, bnonce, blob[_BODY_START:], _ad(_BODY_LABEL, blob[:_HEAD_END]))
    return unpad(padded)


def padded_size(blob: bytes) -> int:
    """The size bucket of a v2 blob's payload, as the medium sees it (from its length alone);
    0 if the length is no bucket's (a truncated or extended blob)."""
    size = len(blob) - SEALED_OVERHEAD
    return size if size >= 256 and bucket_size(size - 4) == size else 0


def _seal_with_nonces(
    keys: DirectionKeys,
    message_key: bytes,
    head: InnerHead,
    payload: bytes,
    min_bucket: int,
    hnonce: bytes,
    bnonce: bytes,
) -> bytes:
    """:func:`seal` with the nonces given: for the stored known-answer vectors only (a caller
    choosing nonces could reuse one)."""
    for key in (keys.tag, keys.head, message_key):
        if len(key) != KEY_BYTES:
            raise ParameterError("a v2 envelope key is 32 bytes")
    clear = PREFIX + _tag(keys.tag, hnonce)
    sealed_head = _encrypt(keys.head, hnonce, head.pack(), _ad(_HEAD_LABEL, clear))
    before_body = clear + hnonce + sealed_head
    body = _encrypt(message_key, bnonce, pad(payload, min_bucket), _ad(_BODY_LABEL, before_body))
    return before_body + bnonce + body


def _tag(tag_key: bytes, hnonce: bytes) -> bytes:
    # hashlib's BLAKE2b is libsodium's crypto_generichash (see crypto.hashing), with the
    # personalisation parameter that one does not expose.
    return hashlib.blake2b(hnonce, digest_size=TAG_LEN, key=tag_key, person=_TAG_PERSON).digest()


def _ad(label: bytes, associated: bytes) -> bytes:
    return len(label).to_bytes(2, "big") + label + associated


def _encrypt(key: bytes, nonce: bytes, plaintext: bytes, ad: bytes) -> bytes:
    return bytes(sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, nonce, key))


def _decrypt(key: bytes, nonce: bytes, sealed: bytes, ad: bytes) -> bytes:
    if len(key) != KEY_BYTES:
        raise ValueError("an XChaCha20-Poly1305 key is 32 bytes")
    try:
        return bytes(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(sealed, ad, nonce, key))
    except nacl.exceptions.CryptoError:
        raise AuthenticationError("v2 envelope did not authenticate") from None
