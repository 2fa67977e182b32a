"""Write ratchet_vectors.json: known answers for crypto/ratchet.py, computed without it.

The KDFs are rebuilt here from hashlib's BLAKE2b and libsodium's X25519, following the formulas
in crypto/ratchet.py's docstring, so a change to the code under test fails the stored answers
instead of moving them. Run once (``python tests/data/make_ratchet_vectors.py``); never
regenerate the file to make a test pass.
"""

import hashlib
import json
from pathlib import Path

import nacl.bindings as sodium

OUT = Path(__file__).with_name("ratchet_vectors.json")


def frame(part: bytes) -> bytes:
    return len(part).to_bytes(8, "big") + part


def keyed(key: bytes, data: bytes, label: bytes) -> bytes:
    return hashlib.blake2b(frame(label) + frame(data), digest_size=32, key=key).digest()


def subkey(key: bytes, label: bytes) -> bytes:
    return keyed(key, b"", b"tv:subkey:" + label)


def chain_step(ck: bytes) -> tuple[bytes, bytes]:
    return subkey(ck, b"tv:ratchet:message:v2"), subkey(ck, b"tv:ratchet:ck:v2")


def root_step(root: bytes, secret: bytes, partner: bytes, stepping: bytes, other: bytes):
    dh = bytes(sodium.crypto_scalarmult(secret, partner)) + stepping + other
    return keyed(root, dh, b"tv:ratchet:root:v2"), keyed(root, dh, b"tv:ratchet:chain:v2")


def public(secret: bytes) -> bytes:
    return bytes(sodium.crypto_scalarmult_base(secret))


def field(pub: bytes, previous: int, index: int) -> str:
    return (pub + previous.to_bytes(4, "big") + index.to_bytes(4, "big")).hex()


def main() -> None:
    c2s, s2c, pair_id = bytes([0x11] * 32), bytes([0x22] * 32), bytes([0x33] * 16)
    server_static = bytes(range(32, 64))
    a1, b1, a2 = bytes(range(64, 96)), bytes(range(96, 128)), bytes(range(128, 160))
    client_static = bytes(range(32))
    s_pub = public(server_static)
    root = keyed(c2s, s2c + pair_id, b"tv:ratchet:start:v2")
    s2c0 = subkey(root, b"tv:ratchet:s2c:v2")
    sealed = []
    # 1. the server seals its first envelope on the start's chain (no public yet)
    mk, s2c0 = chain_step(s2c0)
    sealed.append({"by": "server", "message_key": mk.hex(), "field": field(bytes(32), 0, 0)})
    # 2-3. the client steps against the server's static key and seals two
    root0 = root
    root, c2s1 = root_step(root, a1, s_pub, public(a1), s_pub)
    # the server's receive step on a1 computes the same root and chain from its side
    assert root_step(root0, server_static, public(a1), public(a1), s_pub) == (root, c2s1)
    for index in range(2):
        mk, c2s1 = chain_step(c2s1)
        sealed.append({"by": "client", "message_key": mk.hex(), "field": field(public(a1), 0, index)})
    # 4. the server, having seen a1, steps with b1 and seals one
    root1 = root
    root, s2c1 = root_step(root, b1, public(a1), public(b1), public(a1))
    mk, s2c1 = chain_step(s2c1)
    sealed.append({"by": "server", "message_key": mk.hex(), "field": field(public(b1), 1, 0)})
    # 5. the client sees b1 (the same root step from its side), steps with a2 and seals one
    assert root_step(root1, a1, public(b1), public(b1), public(a1))[0] == root
    root, c2s2 = root_step(root, a2, public(b1), public(a2), public(b1))
    mk, _ = chain_step(c2s2)
    sealed.append({"by": "client", "message_key": mk.hex(), "field": field(public(a2), 2, 0)})
    doc = {
        "source": "tests/data/make_ratchet_vectors.py (hashlib BLAKE2b, libsodium X25519)",
        "client_to_server": c2s.hex(),
        "server_to_client": s2c.hex(),
        "pair_id": pair_id.hex(),
        "client_static": client_static.hex(),
        "server_static": server_static.hex(),
        "ephemerals": {"a1": a1.hex(), "b1": b1.hex(), "a2": a2.hex()},
        "sealed": sealed,
        "root_after": root.hex(),
    }
    OUT.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
