"""Refusing a partner's envelope is a returned :class:`Rejected`, one per malformed shape, and a
bug is not a refusal: a ValueError raised while opening an envelope stops the sync instead of
being counted (and remembered) as a bad envelope."""

import json
import os
from pathlib import Path
from typing import Any

import pytest

from crypto.envelope import Header, seal_envelope
from crypto.identity import ChannelKeys
from tests.sync.sync_helpers import paired_couple
from trustvault.sync import message_keys
from trustvault.sync.inbox import Incoming, open_partner_blob
from trustvault.sync.ops import decode_payload, encode_op, op_digest, redacted
from trustvault.sync.rejection import Rejected

OP = encode_op("ack", 1, {"id": "e1", "state": "read", "at": "2026-11-01"})
OP2 = encode_op("ack", 2, {"id": "e1", "state": "need_time", "at": "2026-11-02"})
DIGEST = op_digest(OP2)
CHAIN = "ab" * 32


def _payload(ops: Any = None, chain: Any = CHAIN, gen: Any = ...) -> bytes:
    """A payload with one good op; ``...`` for a value leaves that key out."""
    doc = {"ops": [OP] if ops is None else ops, "chain": chain, "gen": gen}
    return json.dumps({k: v for k, v in doc.items() if v is not ...}).encode()


def _op(**changes: Any) -> str:
    """The good op's text with ``changes`` (``...`` leaves a key out)."""
    op = {**json.loads(OP), **changes}
    return json.dumps({k: v for k, v in op.items() if v is not ...})


MALFORMED = [
    # (payload, reason): every shape of a bad payload, each refused with its own reason
    pytest.param(b"not json", "is not JSON", id="not JSON"),
    pytest.param(b"\xff\xfe{}", "is not JSON", id="not UTF-8"),
    pytest.param(b"[" * 100_000, "is not JSON", id="nested too deep"),
    pytest.param(b'{"n": ' + b"9" * 5000 + b"}", "is not JSON", id="number past the digit limit"),
    pytest.param(b'["ops"]', "is not an object", id="a list"),
    pytest.param(json.dumps({"chain": CHAIN}).encode(), "has no list of ops", id="no ops"),
    pytest.param(_payload(ops=OP), "has no list of ops", id="ops not a list"),
    pytest.param(_payload(ops=["{"]), "has an op that is not JSON", id="op not JSON"),
    pytest.param(_payload(ops=[OP + "x"]), "has an op that is not JSON", id="op then more"),
    pytest.param(_payload(ops=[" " + OP]), "has an op that is not JSON", id="op not canonical"),
    pytest.param(_payload(ops=["[" * 100_000]), "has an op that is not JSON", id="op too deep"),
    pytest.param(
        _payload(ops=['{"n": ' + "9" * 5000 + "}"]), "has an op that is not JSON", id="op digits"
    ),
    pytest.param(_payload(ops=["\ud800"]), "has an op that is not UTF-8 text", id="surrogate"),
    pytest.param(_payload(ops=["[1]"]), "has an op of unknown type", id="op not an object"),
    pytest.param(_payload(ops=[_op(t="nope")]), "has an op of unknown type", id="unknown type"),
    pytest.param(
        _payload(ops=[_op(t="redacted")]), "has an op of unknown type", id="redacted as text"
    ),
    pytest.param(_payload(ops=[_op(seq=...)]), "has a bad op sequence number", id="no seq"),
    pytest.param(_payload(ops=[_op(seq=0)]), "has a bad op sequence number", id="seq 0"),
    pytest.param(_payload(ops=[_op(seq=True)]), "has a bad op sequence number", id="seq bool"),
    pytest.param(_payload(ops=[_op(seq="1")]), "has a bad op sequence number", id="seq text"),
    pytest.param(_payload(ops=[_op(seq=2**63)]), "has a bad op sequence number", id="seq 2^63"),
    pytest.param(_payload(ops=[5]), "has a malformed op", id="op a number"),
    pytest.param(_payload(ops=[{"t": "ack", "seq": 1}]), "has a malformed op", id="op unquoted"),
    pytest.param(
        _payload(ops=[{"t": "redacted", "seq": 1}]), "has a bad redacted digest", id="no digest"
    ),
    pytest.param(
        _payload(ops=[{"t": "redacted", "seq": 1, "digest": "ab" * 31}]),
        "has a bad redacted digest",
        id="short digest",
    ),
    pytest.param(
        _payload(ops=[{"t": "redacted", "seq": 1, "digest": "zz" * 32}]),
        "has a bad redacted digest",
        id="digest not hex",
    ),
    pytest.param(
        _payload(ops=[{"t": "redacted", "seq": 1, "digest": [1] * 32}]),
        "has a bad redacted digest",
        id="digest not text",
    ),
    pytest.param(
        _payload(ops=[{"t": "redacted", "seq": -1, "digest": "ab" * 32}]),
        "has a bad op sequence number",
        id="redacted seq",
    ),
    pytest.param(_payload(chain=...), "has no chain value", id="no chain"),
    pytest.param(_payload(chain="xyz"), "has no chain value", id="chain not hex"),
    pytest.param(_payload(chain=12), "has no chain value", id="chain not text"),
    pytest.param(_payload(gen="1"), "has a bad generation", id="generation not a number"),
    pytest.param(_payload(gen=True), "has a bad generation", id="generation a boolean"),
    pytest.param(_payload(gen=-1), "has a bad generation", id="generation negative"),
    pytest.param(_payload(gen=2**32), "has a bad generation", id="generation past u32"),
]


@pytest.mark.parametrize(("payload", "reason"), MALFORMED)
def test_each_malformed_payload_is_rejected_with_its_reason(payload: bytes, reason: str) -> None:
    assert decode_payload(payload) == Rejected(reason)


def test_a_well_formed_payload_decodes() -> None:
    payload = _payload(ops=[OP, redacted(2, DIGEST)])
    assert decode_payload(payload) == (
        [(1, op_digest(OP), json.loads(OP)), (2, DIGEST, None)],
        bytes.fromhex(CHAIN),
        0,
    )
    assert decode_payload(_payload(ops=[])) == ([], bytes.fromhex(CHAIN), 0), "empty: caller's"
    ops = [(1, op_digest(OP), json.loads(OP))]
    assert decode_payload(_payload(gen=3)) == (ops, bytes.fromhex(CHAIN), 3), "a re-sealed copy"


# -- open_partner_blob: what reaches the person ----------------------------------------------------

PAIR = os.urandom(16)
KEY = os.urandom(32)
KEYS = ChannelKeys(KEY, KEY, os.urandom(32), os.urandom(32), is_client=True)  # partner sends as 1


def _sealed(payload: bytes, seq: int = 1, sender: int = 1, pair: bytes = PAIR) -> bytes:
    return seal_envelope(KEY, Header(b"E", pair, sender, seq), payload)


@pytest.mark.parametrize(
    ("blob", "reason"),
    [
        pytest.param(_sealed(b"not json"), "is malformed", id="payload not JSON"),
        pytest.param(_sealed(_payload(ops=[5])), "is malformed", id="an op malformed"),
        pytest.param(_sealed(_payload(ops=[])), "is malformed", id="no ops"),
        pytest.param(_sealed(_payload(), seq=2), "is malformed", id="seq not the header's"),
        pytest.param(
            _sealed(_payload(ops=[OP, _op(seq=3)])), "has a gap in its sequence", id="gap"
        ),
        pytest.param(_sealed(_payload(), sender=0), "has the wrong sender", id="our own sender"),
        pytest.param(_sealed(_payload(), pair=bytes(16)), "belongs to another pair", id="pair"),
        pytest.param(
            _sealed(_payload())[:-1],
            "did not authenticate (tampered, truncated or foreign)",
            id="truncated",
        ),
    ],
)
def test_open_partner_blob_returns_a_content_free_rejection(blob: bytes, reason: str) -> None:
    assert open_partner_blob(KEYS, PAIR, "name", blob) == Rejected(reason)


def test_open_partner_blob_returns_the_envelope_it_accepts() -> None:
    opened = open_partner_blob(KEYS, PAIR, "name", _sealed(_payload(ops=[OP, OP2])))
    assert isinstance(opened, Incoming)
    assert (opened.first_seq, opened.last_seq, opened.chain) == (1, 2, bytes.fromhex(CHAIN))


# -- a bug is not a rejection ------------------------------------------------------------------


def test_a_value_error_from_a_bug_stops_the_sync_and_is_not_counted_as_rejected(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key of the wrong length (as a key-derivation bug would give) makes the crypto layer raise
    ValueError. That used to be caught as "this envelope is rejected": counted, remembered as a
    bad blob and so never applied, though nothing was wrong with it."""
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    entry = c.a.entries.add("milestone", {"title": "arrives after the fix"})
    c.sa.sync()

    real = message_keys.key_to_open

    def buggy_key(*args: Any) -> bytes | None:
        key = real(*args)
        return None if key is None else key[:31]

    monkeypatch.setattr(message_keys, "key_to_open", buggy_key)
    with pytest.raises(ValueError, match="32 bytes"):
        c.sb.sync()
    assert c.b.conn.execute("SELECT count(*) FROM rejected_blobs").fetchone()[0] == 0

    monkeypatch.undo()
    result = c.sb.sync()
    assert result.rejected == 0 and result.received == 1, result
    assert c.b.entries.get(entry.id).title == "arrives after the fix"
    c.close()


def test_a_refused_file_is_counted_once_and_read_again_once_repaired(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A file refused is remembered by its name and content: the next sync skips it without
    counting it again, and the same name holding the partner's real envelope again (put back by
    the file-sync tool) is read and applied."""
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    entry = c.a.entries.add("milestone", {"title": "arrives once repaired"}, "shared")
    c.sa.sync()
    (name,) = [r[0] for r in c.a.conn.execute("SELECT name FROM outbox_envelopes")]
    path = c.folder / f"{name}.bin"
    good = path.read_bytes()
    path.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))
    first = c.sb.sync()
    assert first.rejected == 1 and first.received == 0
    assert c.sb.sync().rejected == 0, "counted once"
    path.write_bytes(good)
    repaired = c.sb.sync()
    assert repaired.rejected == 0 and repaired.received == 1
    assert c.qb.entry(entry.id).title == "arrives once repaired"
    c.close()
