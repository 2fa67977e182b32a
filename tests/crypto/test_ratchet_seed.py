"""The ratchet's seeded start (crypto/ratchet.py): known answers, and what a seed changes.

Known answers in tests/data/ratchet_seed_vectors.json, computed without the code under test.
"""

import json
from pathlib import Path

import nacl.bindings as sodium
import pytest

from crypto.errors import ParameterError
from crypto.identity import KeyPair, generate_keypair
from crypto.ratchet import (
    initial_state,
    kdf_chain,
    next_send_key,
    seed_from_dh,
    seed_from_pake,
)

VECTORS = Path(__file__).parent.parent / "data" / "ratchet_seed_vectors.json"


def _pair_from(secret: bytes) -> KeyPair:
    return KeyPair(bytes(sodium.crypto_scalarmult_base(secret)), secret)


def _first_keys(seed: bytes, doc: dict[str, str]) -> dict[str, str]:
    c2s, s2c = bytes.fromhex(doc["client_to_server"]), bytes.fromhex(doc["server_to_client"])
    pair_id = bytes.fromhex(doc["pair_id"])
    client_id, server_id = generate_keypair(), generate_keypair()
    client = initial_state(c2s, s2c, pair_id, client_id, server_id.public, True, seed)
    server = initial_state(c2s, s2c, pair_id, server_id, client_id.public, False, seed)
    assert client.root == server.root
    # The start chains, read without a DH step: the server's first sealing and the client's
    # receiving chain for it, and the client's chain before its own first step.
    s2c_key = next_send_key(server)[1]
    c2s_key = server.receiving[0].key
    return {
        "root": client.root.hex(),
        "c2s_message_0": kdf_chain(c2s_key)[0].hex(),
        "s2c_message_0": s2c_key.hex(),
    }


def test_known_answers() -> None:
    doc = json.loads(VECTORS.read_text(encoding="utf-8"))
    pake_seed = seed_from_pake(bytes.fromhex(doc["pake_key"]))
    assert pake_seed.hex() == doc["pake_seed"]
    assert _first_keys(pake_seed, doc) == doc["pake_start"]
    one = _pair_from(bytes.fromhex(doc["ephemeral_one"]))
    two = _pair_from(bytes.fromhex(doc["ephemeral_two"]))
    assert seed_from_dh(one, two.public).hex() == doc["dh_seed"]
    assert seed_from_dh(two, one.public).hex() == doc["dh_seed"]
    assert _first_keys(seed_from_dh(one, two.public), doc) == doc["dh_start"]


def test_the_seed_changes_every_start_key() -> None:
    ids = generate_keypair(), generate_keypair()
    statics = (b"\x01" * 32, b"\x02" * 32, b"\x03" * 16)
    plain = initial_state(*statics, ids[1], ids[0].public, is_client=False)
    seeded = initial_state(*statics, ids[1], ids[0].public, False, b"\x04" * 32)
    other = initial_state(*statics, ids[1], ids[0].public, False, b"\x05" * 32)
    keys = {s.root for s in (plain, seeded, other)}
    keys |= {s.sending.key for s in (plain, seeded, other)}
    assert len(keys) == 6


def test_malformed_seeds_and_publics_are_refused() -> None:
    ids = generate_keypair(), generate_keypair()
    with pytest.raises(ParameterError):
        initial_state(b"\x01" * 32, b"\x02" * 32, b"\x03" * 16, ids[0], ids[1].public, True, b"x")
    with pytest.raises(ParameterError):
        seed_from_pake(b"short")
    with pytest.raises(ParameterError):
        seed_from_dh(ids[0], bytes(32))  # small order: a constant anyone can compute
