"""Write ratchet_seed_vectors.json: known answers for the seeded start of crypto/ratchet.py.

Computed without the code under test: BLAKE2b from hashlib and X25519 from libsodium, following
the formulas of PROTOCOL.md §4b ("root₀" and "seed"), so a change to the derivation fails the
stored answers instead of moving them. Run once
(``python tests/data/make_ratchet_seed_vectors.py``); never regenerate the file to make a test
pass.
"""

import json
from pathlib import Path

import nacl.bindings as sodium
from make_ratchet_vectors import keyed, public, subkey  # the same reference KDF, beside this file

OUT = Path(__file__).with_name("ratchet_seed_vectors.json")


def first_keys(seed: bytes, c2s: bytes, s2c: bytes, pair_id: bytes) -> dict[str, str]:
    """The seeded root and the message key of each start chain's first envelope."""
    root = keyed(seed, c2s + s2c + pair_id, b"tv:ratchet:start:seeded:v2")
    out = {"root": root.hex()}
    for name in ("c2s", "s2c"):
        chain = subkey(root, b"tv:ratchet:" + name.encode() + b":v2")
        out[name + "_message_0"] = subkey(chain, b"tv:ratchet:message:v2").hex()
    return out


def main() -> None:
    c2s, s2c, pair_id = bytes([0x11] * 32), bytes([0x22] * 32), bytes([0x33] * 16)
    pake_key = bytes([0x44] * 32)
    one, two = bytes(range(160, 192)), bytes(range(192, 224))
    pake_seed = subkey(pake_key, b"tv:ratchet:seed:v2")
    shared = bytes(sodium.crypto_scalarmult(one, public(two)))
    assert shared == bytes(sodium.crypto_scalarmult(two, public(one)))
    low, high = sorted((public(one), public(two)))
    dh_seed = keyed(shared, low + high, b"tv:ratchet:seed:dh:v2")
    doc = {
        "source": "tests/data/make_ratchet_seed_vectors.py (hashlib BLAKE2b, libsodium X25519)",
        "client_to_server": c2s.hex(),
        "server_to_client": s2c.hex(),
        "pair_id": pair_id.hex(),
        "pake_key": pake_key.hex(),
        "pake_seed": pake_seed.hex(),
        "pake_start": first_keys(pake_seed, c2s, s2c, pair_id),
        "ephemeral_one": one.hex(),
        "ephemeral_two": two.hex(),
        "dh_seed": dh_seed.hex(),
        "dh_start": first_keys(dh_seed, c2s, s2c, pair_id),
    }
    OUT.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
