"""Known-answer vectors for the envelope format, stored in tests/data/envelopes (see its README).

They were made by a generator that builds headers, padding and labels by hand, so a change to the
format in ``crypto/`` (or to blob names, channel keys, the safety number) fails here.
"""

import json
from pathlib import Path
from typing import Any

import nacl.bindings as sodium
import pytest

from crypto.aead import OVERHEAD
from crypto.envelope import (
    FORMAT_VERSION,
    HEADER_BYTES,
    Header,
    bucket_size,
    open_envelope,
    parse_header,
    seal_envelope,
)
from crypto.errors import AuthenticationError
from crypto.identity import KeyPair, channel_keys, safety_number
from trustvault.sync.ops import decode_payload
from trustvault.sync.outbox import _payload
from trustvault.sync.rejection import Rejected

DATA = Path(__file__).resolve().parents[1] / "data" / "envelopes"
SEALED = sorted(p for p in DATA.glob("0*.json") if not p.name.startswith("00-"))


def _load(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def test_the_vectors_are_there() -> None:
    assert len(SEALED) == 7 and (DATA / "channel.json").is_file()
    assert "pynacl 1.6.2" in (DATA / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", SEALED, ids=lambda p: p.stem)
def test_stored_envelope_opens_to_the_stored_payload(path: Path) -> None:
    v = _load(path)
    key, blob, payload = (bytes.fromhex(v[k]) for k in ("key", "blob", "payload"))
    h = v["header"]
    expected = Header(h["kind"].encode(), bytes.fromhex(h["pair_id"]), h["sender"], h["seq"])

    assert h["version"] == FORMAT_VERSION
    assert parse_header(blob) == expected  # readable without the key: routing only
    assert blob[:HEADER_BYTES] == expected.pack()
    assert blob[HEADER_BYTES : HEADER_BYTES + 24].hex() == v["nonce"]
    assert open_envelope(key, blob) == (expected, payload)

    assert len(blob) - HEADER_BYTES - OVERHEAD == v["padded_length"]
    assert bucket_size(len(payload)) == v["padded_length"]
    assert v["padded_length"] in (256, 512, 1024, 2048, 4096, 8192)

    resealed = seal_envelope(key, expected, payload)
    assert len(resealed) == len(blob) and resealed != blob  # fresh random nonce
    assert open_envelope(key, resealed) == (expected, payload)
    with pytest.raises(AuthenticationError):
        open_envelope(bytes(reversed(key)), blob)


def test_a_resealed_envelope_carries_its_generation_in_the_sealed_payload() -> None:
    v = _load(DATA / "07-regenerated.json")
    _, payload = open_envelope(bytes.fromhex(v["key"]), bytes.fromhex(v["blob"]))
    assert payload == bytes.fromhex(v["payload"])
    items = [{"t": "redacted", "seq": 4, "digest": "22" * 32}]
    assert _payload(items, bytes([0x33]) * 32, 1) == payload, "what the outbox seals"
    assert decode_payload(payload) == ([(4, bytes([0x22]) * 32, None)], bytes([0x33]) * 32, 1)
    first = bytes.fromhex(_load(DATA / "01-ops.json")["payload"])
    decoded = decode_payload(first)
    assert not isinstance(decoded, Rejected) and decoded[2] == 0, "older vectors: generation 0"
    assert _payload(items, bytes([0x33]) * 32) == payload.replace(b', "gen": 1', b""), (
        "a first sealing (generation 0) is what older versions wrote"
    )


def test_bucket_sizes_hide_lengths() -> None:
    assert {bucket_size(n) for n in range(0, 253)} == {256}
    assert bucket_size(253) == 512
    assert bucket_size(65532) == 65536 and bucket_size(65533) == 131072
    assert bucket_size(3 * 65536) == 4 * 65536


def test_channel_keys_and_safety_number() -> None:
    v = _load(DATA / "channel.json")
    client = KeyPair(bytes.fromhex(v["client"]["public"]), bytes.fromhex(v["client"]["secret"]))
    server = KeyPair(bytes.fromhex(v["server"]["public"]), bytes.fromhex(v["server"]["secret"]))
    seeded = sodium.crypto_kx_seed_keypair(bytes.fromhex(v["client"]["seed"]))
    assert (bytes(seeded[0]), bytes(seeded[1])) == (client.public, client.secret)

    ours, theirs = channel_keys(client, server.public), channel_keys(server, client.public)
    assert ours.is_client and not theirs.is_client
    assert ours.send.hex() == v["client_send"] == theirs.receive.hex()
    assert ours.receive.hex() == v["client_receive"] == theirs.send.hex()
    assert ours.send_names.hex() == v["client_send_names"] == theirs.receive_names.hex()
    assert ours.receive_names.hex() == v["client_receive_names"]
    assert safety_number(client.public, server.public) == v["safety_number"]
    assert safety_number(server.public, client.public) == v["safety_number"]


def test_aead_is_the_standard_xchacha20_poly1305() -> None:
    v = _load(DATA / "00-xchacha20poly1305-draft.json")
    key, nonce, aad, plain = (bytes.fromhex(v[k]) for k in ("key", "nonce", "aad", "plaintext"))
    sealed = bytes.fromhex(v["ciphertext"] + v["tag"])
    assert sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, aad, nonce, key) == sealed
    assert sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(sealed, aad, nonce, key) == plain
