"""crypto/pake.py: the short code's SPAKE2 exchange, pinned by a stored known-answer transcript.

The vector (tests/data/pake_vectors.json, see the README there) was made by driving the spake2
package directly; here the same transcript must come out of :mod:`crypto.pake`.
"""

import hashlib
import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from crypto import pake
from crypto.errors import ParameterError
from crypto.pake import Side

VECTORS = json.loads(
    (Path(__file__).parent / "data" / "pake_vectors.json").read_text(encoding="utf-8")
)["cases"]


def _stream(seed: bytes) -> Callable[[int], bytes]:
    blocks: Iterator[int] = (
        byte
        for n in itertools.count()
        for byte in hashlib.sha256(b"tv-pake-vector:%d:" % n + seed).digest()
    )
    return lambda size: bytes(next(blocks) for _ in range(size))


@pytest.mark.parametrize("case", VECTORS, ids=lambda c: c["joiner_code"])
def test_the_transcript_matches_the_stored_vector(case: dict[str, str]) -> None:
    inviter, msg_a = pake.start(
        case["inviter_code"], Side.INVITER, entropy=_stream(case["inviter_seed"].encode())
    )
    joiner, msg_b = pake.start(
        case["joiner_code"], Side.JOINER, entropy=_stream(case["joiner_seed"].encode())
    )
    assert (msg_a.hex(), msg_b.hex()) == (case["inviter_message"], case["joiner_message"])
    # The joiner's side survives being stored in the vault between two syncs.
    key_a, key_b = inviter.finish(msg_b), pake.restore(joiner.serialize()).finish(msg_a)
    assert (key_a.hex(), key_b.hex()) == (case["inviter_key"], case["joiner_key"])
    for side, key in ((Side.INVITER, key_a), (Side.JOINER, key_b)):
        assert pake.confirmation(key, side).hex() == case[f"{side.value}_confirmation"]
        assert pake.sealing_key(key, side).hex() == case[f"{side.value}_sealing_key"]
    same_code = case["inviter_code"] == case["joiner_code"]
    assert (key_a == key_b) is same_code
    # Each side checks the other's confirmation: only the same code passes, on both sides.
    assert pake.confirms(key_a, Side.JOINER, pake.confirmation(key_b, Side.JOINER)) is same_code
    assert pake.confirms(key_b, Side.INVITER, pake.confirmation(key_a, Side.INVITER)) is same_code


def test_confirmations_and_sealing_keys_differ_by_side() -> None:
    key = bytes(range(32))
    assert pake.confirmation(key, Side.INVITER) != pake.confirmation(key, Side.JOINER)
    assert pake.sealing_key(key, Side.INVITER) != pake.sealing_key(key, Side.JOINER)
    assert pake.sealing_key(key, Side.INVITER) != pake.confirmation(key, Side.INVITER)
    # A confirmation reflected back to its sender does not pass as the peer's.
    assert not pake.confirms(key, Side.JOINER, pake.confirmation(key, Side.INVITER))
    assert not pake.confirms(key, Side.JOINER, b"")


def test_fresh_exchanges_give_fresh_keys() -> None:
    keys = set()
    for _ in range(2):
        a, msg_a = pake.start("9-adult-almighty", Side.INVITER)
        b, msg_b = pake.start("9-adult-almighty", Side.JOINER)
        key = a.finish(msg_b)
        assert b.finish(msg_a) == key
        keys.add(key)
    assert len(keys) == 2


@pytest.mark.parametrize(
    "message",
    [
        b"",
        bytes(34),  # no version byte
        b"\x01" + bytes(33),  # a side byte nobody sends
        b"\x01B" + bytes(32),  # not a point
        b"\x01B" + b"\xff" * 32,
        b"\x01B" + bytes(31),  # short
        "reflected",  # the inviter's own message sent back to it
    ],
)
def test_a_message_no_honest_peer_sends_is_refused(message: bytes | str) -> None:
    inviter, own = pake.start("4-purple-sausage", Side.INVITER)
    with pytest.raises(ParameterError):
        inviter.finish(own if message == "reflected" else message)  # type: ignore[arg-type]


@pytest.mark.parametrize("data", [b"", b"{}", b'{"side": "inviter", "spake2": "{}"}', b"\xff"])
def test_a_garbled_stored_side_is_refused(data: bytes) -> None:
    with pytest.raises(ParameterError):
        pake.restore(data)


def test_reprs_and_stored_form_hide_nothing_they_should_not_show() -> None:
    pending, _ = pake.start("4-purple-sausage", Side.JOINER)
    assert repr(pending) == "Pending(side=joiner)"
    assert b"purple" not in pending.serialize()
