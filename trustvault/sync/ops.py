"""Ops: the unit of change sent to the partner, their digests and the hash chain over them.

An op is a small JSON object with a type ``t``, a per-device sequence number ``seq`` and a random
``salt`` (so its digest commits to the content without revealing it). Each side chains the digests
of the ops in sequence order: ``chain[n] = H(chain[n-1] | n | digest[n])``. The sender puts its
chain
value in each envelope; the receiver recomputes it, so an op rewritten or withheld later is
detected. A redacted op (revoked before the partner confirmed it) keeps only its digest, so the
chain still verifies while the content is gone from the transport.

Op types (fields besides t, seq, salt):
    profile   name, device                   who the sender is
    version   id, kind, author, created, rev, editor, updated, fields
              [seen: on an edit of the partner's event, how many partner ops were applied]
    revoke    id, at                          the author withdrew an entry
    ack       id, state (read|need_time), at
    comment   cid, id, text, at
    accept    id, digest, at                  agreement version accepted
    redacted  digest                          content withdrawn before delivery
"""

import json
import os
from typing import Any

from crypto.hashing import digest

__all__ = [
    "GENESIS",
    "OP_TYPES",
    "chain_step",
    "decode_ops",
    "encode_op",
    "op_digest",
    "redacted",
]

GENESIS = bytes(32)
OP_TYPES = ("profile", "version", "revoke", "ack", "comment", "accept")


def encode_op(op_type: str, seq: int, body: dict[str, Any]) -> str:
    """The canonical JSON text of an op (sorted keys, no spaces)."""
    op = {**body, "t": op_type, "seq": seq, "salt": os.urandom(16).hex()}
    return json.dumps(op, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def op_digest(op_text: str) -> bytes:
    return digest(op_text.encode("utf-8"), b"tv:op:v1")


def chain_step(previous: bytes, seq: int, op_hash: bytes) -> bytes:
    return digest(previous + seq.to_bytes(8, "big") + op_hash, b"tv:chain:v1")


def redacted(seq: int, op_hash: bytes) -> dict[str, Any]:
    return {"t": "redacted", "seq": seq, "digest": op_hash.hex()}


def decode_ops(items: list[Any]) -> list[tuple[int, bytes, dict[str, Any] | None]]:
    """Turn an envelope's op list into ``(seq, digest, op or None if redacted)``.

    Raises ValueError on anything malformed; the caller rejects the whole envelope.
    """
    out: list[tuple[int, bytes, dict[str, Any] | None]] = []
    for item in items:
        if isinstance(item, str):
            op = json.loads(item)
            if not isinstance(op, dict) or op.get("t") not in OP_TYPES:
                raise ValueError("unknown op type")
            out.append((_seq(op), op_digest(item), op))
        elif isinstance(item, dict) and item.get("t") == "redacted":
            value = bytes.fromhex(str(item["digest"]))
            if len(value) != 32:
                raise ValueError("bad redacted digest")
            out.append((_seq(item), value, None))
        else:
            raise ValueError("malformed op")
    return out


def _seq(op: dict[str, Any]) -> int:
    seq = op.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq < 2**63:
        raise ValueError("bad op sequence number")
    return seq
