"""Regenerate ``envelope_v2_vectors.json`` (run once; the file is committed and must not change).

    PYTHONPATH=. .venv/bin/python tests/data/make_envelope_v2_vectors.py \
        > tests/data/envelope_v2_vectors.json

Independent of the code under test: the layout of crypto/envelope_v2.py's docstring is built here
by hand (subkeys, tag, inner head, padding, associated data), BLAKE2b comes from hashlib and the
AEAD is called through nacl.bindings with fixed nonces (crypto.envelope_v2.seal rightly draws its
own). The channel key is the client's sending key of tests/data/envelopes/channel.json, so these
vectors also pin the v2 subkeys to the pair's existing keys. Anything that changes these bytes
changes what partners' devices exchange.
"""

import hashlib
import json
import struct
from pathlib import Path
from typing import Any

import nacl
import nacl.bindings as sodium

CHANNEL = json.loads(
    (Path(__file__).parent / "envelopes" / "channel.json").read_text(encoding="utf-8")
)
SEND = bytes.fromhex(CHANNEL["client_send"])
PAIR = bytes(range(0x40, 0x50))

# (name, kind, sender, seq, ratchet, message key, hnonce, bnonce, min_bucket, payload)
CASES: list[tuple[str, bytes, int, int, bytes, bytes, bytes, bytes, int, bytes]] = [
    ("ops", b"E", 0, 1, bytes(40), SEND, bytes([1]) * 24, bytes([2]) * 24, 0,
     b'{"ops": [], "chain": "' + b"ab" * 32 + b'"}'),
    ("receipt", b"R", 0, 7, bytes(40), SEND, bytes([3]) * 24, bytes([4]) * 24, 0,
     b'{"through": 7}'),
    ("heartbeat", b"H", 0, 0, bytes(40), SEND, bytes([5]) * 24, bytes([6]) * 24, 0,
     b'{"day": "2026-12-02"}'),
    ("resealed-keeps-bucket", b"E", 0, 3, bytes(40), SEND, bytes([7]) * 24, bytes([8]) * 24,
     1024, b'{"ops": [], "chain": "' + b"cd" * 32 + b'", "gen": 1}'),
    ("ratchet-field-max-seq", b"E", 1, 2**64 - 1, bytes(range(40)), bytes([0x77]) * 32,
     bytes(range(24)), bytes(range(24, 48)), 0, b"x" * 300),
]  # fmt: skip


def _frame(part: bytes) -> bytes:
    return len(part).to_bytes(8, "big") + part


def _subkey(key: bytes, label: bytes) -> bytes:
    data = _frame(b"tv:subkey:" + label) + _frame(b"")
    return hashlib.blake2b(data, digest_size=32, key=key).digest()


def _ad(label: bytes, rest: bytes) -> bytes:
    return len(label).to_bytes(2, "big") + label + rest


def _pad(payload: bytes, min_bucket: int) -> bytes:
    size = 256
    while size < len(payload) + 4:
        size *= 2
    size = max(size, min_bucket)
    return struct.pack(">I", len(payload)) + payload + bytes(size - 4 - len(payload))


def _case(case: tuple[str, bytes, int, int, bytes, bytes, bytes, bytes, int, bytes]) -> Any:
    name, kind, sender, seq, ratchet, message_key, hnonce, bnonce, min_bucket, payload = case
    tag_key, head_key = _subkey(SEND, b"tv:tag:v2"), _subkey(SEND, b"tv:head:v2")
    tag = hashlib.blake2b(hnonce, digest_size=16, key=tag_key, person=b"tv:tag:v2").digest()
    head = kind + bytes([sender]) + PAIR + seq.to_bytes(8, "big") + ratchet
    clear = b"TV\x02" + tag
    enc = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt
    sealed_head = enc(head, _ad(b"tv:head:v2", clear), hnonce, head_key)
    before = clear + hnonce + sealed_head
    body = enc(_pad(payload, min_bucket), _ad(b"tv:body:v2", before), bnonce, message_key)
    return {
        "name": name,
        "channel_key": SEND.hex(),
        "tag_key": tag_key.hex(),
        "head_key": head_key.hex(),
        "message_key": message_key.hex(),
        "head": {
            "kind": kind.decode(),
            "sender": sender,
            "pair_id": PAIR.hex(),
            "seq": seq,
            "ratchet": ratchet.hex(),
        },
        "hnonce": hnonce.hex(),
        "bnonce": bnonce.hex(),
        "min_bucket": min_bucket,
        "padded_length": len(_pad(payload, min_bucket)),
        "payload": payload.hex(),
        "blob": (before + bnonce + body).hex(),
    }


def main() -> None:
    doc = {
        "description": "protocol v2 envelopes: fixed keys and nonces in, exact bytes out",
        "generated_by": f"pynacl {nacl.__version__} (bundled libsodium), hashlib BLAKE2b",
        "vectors": [_case(c) for c in CASES],
    }
    print(json.dumps(doc, indent=2))


if __name__ == "__main__":
    main()
