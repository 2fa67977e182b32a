"""Protocol v1 envelopes: what a pair made before v2 still sends until it moves to v2
(:mod:`crypto.envelope_v2`), and the clear-header "pairing frame" of ``J``, ``W`` and ``P``
blobs, which exist before any pair key. :func:`pad` serves both formats.

Layout::

    header (29 bytes, clear)  "TV" | version (1) | kind (1) | pair id (16) | sender (1) | seq (8)
    nonce (24) | XChaCha20-Poly1305( padded payload ) with the whole header as associated data

The header carries only what a transport needs to route and order blobs: no names, no titles, no
sizes. The payload is padded to a size bucket (powers of two from 256 bytes to 64 KiB, then
multiples of 64 KiB), so an entry's length does not show. Flipping any bit of the header, nonce,
ciphertext or tag makes :func:`open_envelope` fail.
"""

import struct
from dataclasses import dataclass

from crypto.aead import OVERHEAD, open_sealed, seal
from crypto.errors import AuthenticationError, ParameterError

__all__ = [
    "FORMAT_VERSION",
    "HEADER_BYTES",
    "Header",
    "open_envelope",
    "pad",
    "parse_header",
    "seal_envelope",
    "unpad",
]

MAGIC = b"TV"
FORMAT_VERSION = 1
_HEADER = struct.Struct(">2sBc16sBQ")
HEADER_BYTES = _HEADER.size
_LABEL = b"tv:envelope:v1"
_MIN_BUCKET = 256
_BIG_STEP = 64 * 1024
MAX_PAYLOAD = 16 * 1024 * 1024


@dataclass(frozen=True)
class Header:
    """Routing data bound to the ciphertext. ``kind`` is one ASCII letter (see the protocol)."""

    kind: bytes
    pair_id: bytes
    sender: int
    seq: int

    def pack(self) -> bytes:
        if len(self.kind) != 1 or len(self.pair_id) != 16 or not 0 <= self.sender < 256:
            raise ParameterError("malformed envelope header")
        return _HEADER.pack(MAGIC, FORMAT_VERSION, self.kind, self.pair_id, self.sender, self.seq)


def parse_header(blob: bytes) -> Header:
    """Read the clear header without any key; raises :class:`ParameterError` on garbage."""
    if len(blob) < HEADER_BYTES + OVERHEAD:
        raise ParameterError("too short to be an envelope")
    magic, version, kind, pair_id, sender, seq = _HEADER.unpack_from(blob)
    if magic != MAGIC:
        raise ParameterError("not a TrustVault envelope")
    if version != FORMAT_VERSION:
        raise ParameterError(f"unsupported envelope format {version}")
    return Header(kind, pair_id, sender, seq)


def seal_envelope(key: bytes, header: Header, payload: bytes) -> bytes:
    """Pad and seal ``payload`` under ``key`` with ``header`` bound as associated data."""
    head = header.pack()
    return head + seal(key, pad(payload), _LABEL, head)


def open_envelope(key: bytes, blob: bytes) -> tuple[Header, bytes]:
    """Verify and open an envelope; :class:`AuthenticationError` if anything was altered."""
    try:
        header = parse_header(blob)
    except ParameterError as exc:
        raise AuthenticationError(str(exc)) from None
    head = blob[:HEADER_BYTES]
    return header, unpad(open_sealed(key, blob[HEADER_BYTES:], _LABEL, head))


def bucket_size(n: int) -> int:
    """The padded size for a payload of ``n`` bytes (4 bytes of length prefix included)."""
    need = n + 4
    if need > _BIG_STEP:
        return -(-need // _BIG_STEP) * _BIG_STEP
    size = _MIN_BUCKET
    while size < need:
        size *= 2
    return size


def pad(payload: bytes, min_bucket: int = 0) -> bytes:
    """Length prefix, payload, zeros up to its bucket, or up to ``min_bucket`` if that is larger
    (a re-sealed envelope keeps the size of its first sealing, so a withdrawal looks like an edit).
    """
    if len(payload) > MAX_PAYLOAD:
        raise ParameterError("payload too large for one envelope")
    if min_bucket and bucket_size(min_bucket - 4) != min_bucket:
        raise ParameterError("not a size bucket")
    size = max(bucket_size(len(payload)), min_bucket)
    return struct.pack(">I", len(payload)) + payload + bytes(size - 4 - len(payload))


def unpad(padded: bytes) -> bytes:
    if len(padded) < 4:
        raise AuthenticationError("padded payload is too short")
    (length,) = struct.unpack_from(">I", padded)
    rest = len(padded) - 4 - length
    # Compared with zeros as a whole (a memcmp), not byte by byte: the padding of an envelope
    # of a large bucket is tens of kilobytes. The payload is authentic already, so no timing
    # here tells anyone anything.
    if rest < 0 or padded[4 + length :] != bytes(rest):
        raise AuthenticationError("padding is malformed")
    return padded[4 : 4 + length]
