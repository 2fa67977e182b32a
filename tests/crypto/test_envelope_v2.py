"""Protocol v2 envelopes (crypto/envelope_v2.py): stored known answers, tamper, and what shows.

The vectors in tests/data/envelope_v2_vectors.json were made once by
tests/data/make_envelope_v2_vectors.py, which builds the layout by hand; a change of the format
in crypto/ fails here. Never regenerate them to make a test pass.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from crypto import envelope_v2
from crypto.envelope import pad, unpad
from crypto.envelope_v2 import DirectionKeys, InnerHead, direction_keys
from crypto.errors import AuthenticationError, ParameterError

DATA = Path(__file__).resolve().parents[1] / "data" / "envelope_v2_vectors.json"
VECTORS: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))["vectors"]
KEY = bytes(range(32))
PAIR = bytes(range(16))
CLEAR = 3 + 16 + 24  # "TV", the format byte, the tag and the head nonce: all a medium can read


def _head(v: dict[str, Any]) -> InnerHead:
    h = v["head"]
    return InnerHead(
        h["kind"].encode(), h["sender"], bytes.fromhex(h["pair_id"]), h["seq"],
        bytes.fromhex(h["ratchet"]),
    )  # fmt: skip


@pytest.mark.parametrize("v", VECTORS, ids=lambda v: v["name"])
def test_stored_vector_is_sealed_byte_for_byte_and_opens(v: dict[str, Any]) -> None:
    channel, message_key, payload, blob = (
        bytes.fromhex(v[k]) for k in ("channel_key", "message_key", "payload", "blob")
    )
    keys = direction_keys(channel)
    assert (keys.tag.hex(), keys.head.hex()) == (v["tag_key"], v["head_key"])
    nonces = bytes.fromhex(v["hnonce"]), bytes.fromhex(v["bnonce"])
    sealed = envelope_v2._seal_with_nonces(
        keys, message_key, _head(v), payload, v["min_bucket"], *nonces
    )
    assert sealed == blob
    assert envelope_v2.matches(keys.tag, blob)
    assert not envelope_v2.matches(direction_keys(bytes(32)).tag, blob)
    assert envelope_v2.open_head(keys, blob) == _head(v)
    assert envelope_v2.open_body(message_key, blob) == payload
    assert envelope_v2.padded_size(blob) == v["padded_length"]
    fresh = envelope_v2.seal(keys, message_key, _head(v), payload, v["min_bucket"])
    assert len(fresh) == len(blob) and fresh[3:CLEAR] != blob[3:CLEAR]  # new nonces, new tag


@pytest.mark.parametrize("size", [1, 300, 40_000])
def test_padding_that_is_not_all_zeros_or_too_short_is_refused(size: int) -> None:
    """What the sealed body holds after the payload must be zeros to its bucket's end: a
    sealer that hid anything there, or claimed a length past the end, is refused."""
    payload = b"x" * size
    padded = pad(payload)
    assert unpad(padded) == payload and len(padded) > size + 4
    for at in (4 + size, len(padded) - 1):
        dirty = bytearray(padded)
        dirty[at] = 1
        with pytest.raises(AuthenticationError, match="padding is malformed"):
            unpad(bytes(dirty))
    too_long = (len(padded) - 3).to_bytes(4, "big") + padded[4:]
    with pytest.raises(AuthenticationError, match="padding is malformed"):
        unpad(too_long)
    with pytest.raises(AuthenticationError, match="too short"):
        unpad(b"\0\0\0")


def test_the_vectors_cover_every_kind_a_bucket_kept_and_a_ratchet_field() -> None:
    assert {v["head"]["kind"] for v in VECTORS} == {"E", "R", "H"}
    kept = next(v for v in VECTORS if v["min_bucket"])
    assert kept["padded_length"] == kept["min_bucket"] == 1024 > len(kept["payload"]) // 2 + 4
    assert any(v["head"]["ratchet"] != "00" * 40 for v in VECTORS)


def test_every_bit_flip_is_refused_or_sorted_away() -> None:
    keys = direction_keys(KEY)
    blob = envelope_v2.seal(keys, KEY, InnerHead(b"E", 1, PAIR, 5), b"{}")
    for bit in range(len(blob) * 8):
        bad = bytearray(blob)
        bad[bit // 8] ^= 1 << (bit % 8)
        if not envelope_v2.matches(keys.tag, bytes(bad)):
            continue  # the receiver sorts it as "not ours" and refuses it
        with pytest.raises(AuthenticationError):
            envelope_v2.open_head(keys, bytes(bad))
            envelope_v2.open_body(KEY, bytes(bad))


def test_a_head_moved_onto_another_body_does_not_open() -> None:
    keys = direction_keys(KEY)
    a = envelope_v2.seal(keys, KEY, InnerHead(b"E", 1, PAIR, 5), b"first")
    b = envelope_v2.seal(keys, KEY, InnerHead(b"E", 1, PAIR, 6), b"second")
    spliced = a[:125] + b[125:]
    assert envelope_v2.open_head(keys, spliced).seq == 5  # the head itself is a's, intact
    with pytest.raises(AuthenticationError):
        envelope_v2.open_body(KEY, spliced)


def test_no_clear_byte_depends_on_kind_sender_sequence_or_pair() -> None:
    """Same keys and nonces, heads that differ in everything the v1 header showed: the bytes a
    medium can read without a key (prefix, tag, head nonce, length) are the same."""
    keys, nonces = direction_keys(KEY), (bytes([9]) * 24, bytes([8]) * 24)
    heads = [
        InnerHead(b"E", 0, PAIR, 1),
        InnerHead(b"R", 1, bytes(16), 2**40),
        InnerHead(b"H", 1, bytes([0xFF]) * 16, 0),
        InnerHead(b"L", 0, PAIR, 0, bytes([1]) * 40),
    ]
    blobs = [
        envelope_v2._seal_with_nonces(keys, KEY, h, b'{"day": "2026-12-02"}', 0, *nonces)
        for h in heads
    ]
    assert len({b[:CLEAR] for b in blobs}) == 1
    assert len({len(b) for b in blobs}) == 1
    assert len({b[CLEAR:] for b in blobs}) == len(blobs)  # what differs is ciphertext only


def test_a_reseal_pads_to_the_bucket_it_keeps() -> None:
    keys = direction_keys(KEY)
    head = InnerHead(b"E", 0, PAIR, 3)
    edit = envelope_v2.seal(keys, KEY, head, b"x" * 3000)
    withdrawn = envelope_v2.seal(keys, KEY, head, b"{}", min_bucket=envelope_v2.padded_size(edit))
    assert len(withdrawn) == len(edit) and envelope_v2.padded_size(edit) == 4096
    assert envelope_v2.open_body(KEY, withdrawn) == b"{}"
    with pytest.raises(ParameterError):
        pad(b"{}", min_bucket=1000)  # not a bucket


def test_malformed_inputs_are_refused_plainly() -> None:
    keys = direction_keys(KEY)
    with pytest.raises(ParameterError):
        InnerHead(b"EE", 0, PAIR, 1).pack()
    with pytest.raises(ParameterError):
        envelope_v2.seal(DirectionKeys(bytes(31), KEY), KEY, InnerHead(b"E", 0, PAIR, 1), b"")
    for short in (b"", b"TV\x02", b"TV\x01" + bytes(500)):
        assert not envelope_v2.matches(keys.tag, short)
        with pytest.raises(AuthenticationError):
            envelope_v2.open_head(keys, short)
    assert repr(keys) == "DirectionKeys(…)"
