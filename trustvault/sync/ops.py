"""Ops: the unit of change sent to the partner, their digests and the hash chain over them.

An op is a small JSON object with a type ``t``, a per-device sequence number ``seq`` and a random
``salt`` (so its digest commits to the content without revealing it). Each side chains the digests
of the ops in sequence order: ``chain[n] = H(chain[n-1] | n | digest[n])``. The sender puts its
chain
value in each envelope; the receiver recomputes it, so an op rewritten or withheld later is
detected. A redacted op (revoked before the partner confirmed it) keeps only its digest, so the
chain still verifies while the content is gone from the transport.

Op types (fields besides t, seq, salt):
    profile   name                            the sender's new display name (a rename)
    version   id, kind, author, created, rev, editor, updated, fields
              [seen: on an edit of the partner's event, how many partner ops were applied]
    revoke    id, at                          the author withdrew an entry
    delete    id, at                          the author deleted an entry for good
    ack       id, state (read|need_time), at [seen]
    comment   cid, id, text, at [seen]
    accept    id, digest, at [seen]           agreement version accepted
              [seen on a response: how many partner ops were applied]
    close     at, erase                       the sender closed the shared space; erase: it
                                              asks that the receiver delete what it wrote
    keep      at                              the sender agrees that both keep everything
    received_versions  on, versions           these versions ([id, rev] each) of the
                                              partner's disclosures first reached this device
                                              on day ``on``
    received  id, rev, on                     one version did (older senders)
    homework_done  id, done, at [seen]      homework marked done (or not) by the one
                                              it is for (trustvault/homework.py)
    pause     pid, asked_by, started, until, ended, came_back, at
                                              a pause with a promised return, whole, as it is
                                              now (trustvault/pauses.py); recorded ahead of
                                              any share still in its hold (sync/urgent.py)
    mark      id, of, state, by, at [seen]    an occurrence of a shared event marked held,
                                              skipped or moved by ``by`` (the sender); ``of``
                                              is its original start (trustvault/routines.py)
    conversation  cid, template, event, start, by, at
                                              a structured conversation opened by the sender
    done      cid, commit, at                 the sender's part is fixed: a commitment to it
    reveal    cid, answers, opening, at       the part itself, once both are done
                                              (trustvault/sync/conversation_sync.py)
    redacted  digest                          content withdrawn before delivery
"""

import json
import os
from collections.abc import Mapping
from typing import Any

from crypto.hashing import digest
from trustvault.sync.rejection import Rejected

__all__ = [
    "GENESIS",
    "OP_TYPES",
    "DecodedOp",
    "chain_step",
    "decode_ops",
    "decode_payload",
    "encode_op",
    "op_digest",
    "redacted",
    "renumbered",
]

GENESIS = bytes(32)
OP_TYPES = (
    "profile",
    "version",
    "revoke",
    "delete",
    "ack",
    "comment",
    "accept",
    "close",
    "keep",
    "received",
    "received_versions",
    "pause",
    "mark",
    "conversation",
    "done",
    "reveal",
    "homework_done",
)
_OP_LABEL = b"tv:op:v1"

DecodedOp = tuple[int, bytes, dict[str, Any] | None]
"""An op as read from an envelope: its sequence number, its digest and the op (None if redacted)."""


def encode_op(op_type: str, seq: int, body: Mapping[str, Any]) -> str:
    """The canonical JSON text of an op (sorted keys, no spaces)."""
    op = {**body, "t": op_type, "seq": seq, "salt": os.urandom(16).hex()}
    return json.dumps(op, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def renumbered(op_text: str, seq: int) -> str:
    """The same op (its salt too) under another sequence number, in the same canonical form.

    Only for ops never sealed: an undone share drops its ops, and the ones after them close
    the gap, so the partner's device never sees a number go missing."""
    op = json.loads(op_text)
    op["seq"] = seq
    return json.dumps(op, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def op_digest(op_text: str) -> bytes:
    return digest(op_text.encode("utf-8"), _OP_LABEL)


def chain_step(previous: bytes, seq: int, op_hash: bytes) -> bytes:
    return digest(previous + seq.to_bytes(8, "big") + op_hash, b"tv:chain:v1")


def redacted(seq: int, op_hash: bytes) -> dict[str, Any]:
    return {"t": "redacted", "seq": seq, "digest": op_hash.hex()}


def decode_payload(payload: bytes) -> tuple[list[DecodedOp], bytes, int] | Rejected:
    """Read an ``E`` envelope's opened payload, ``{"ops": [...], "chain": hex[, "gen": n]}``,
    into its ops (see :func:`decode_ops`), the chain value the sender declares after the last of
    them, and the envelope's generation (0 when absent: every first sealing, and older senders).

    The generation counts re-sealings of the envelope (a withdrawal redacts its ops and seals it
    again under a new name); it is inside the ciphertext, so a medium cannot raise an old copy's.
    """
    doc = _parse_json(payload)
    if isinstance(doc, Rejected):
        return doc
    if not isinstance(doc, dict):
        return Rejected("is not an object")
    ops = decode_ops(doc.get("ops"))
    if isinstance(ops, Rejected):
        return ops
    chain = _hex(doc.get("chain"))
    if chain is None:
        return Rejected("has no chain value")
    generation = doc.get("gen", 0)
    if not isinstance(generation, int) or isinstance(generation, bool):
        return Rejected("has a bad generation")
    if not 0 <= generation < 2**32:
        return Rejected("has a bad generation")
    return ops, chain, generation


def decode_ops(items: object) -> list[DecodedOp] | Rejected:
    """Turn an envelope's op list into ``(seq, digest, op or None if redacted)``.

    Anything malformed gives a :class:`Rejected` instead; the caller refuses the whole envelope.
    Only the op's shape is checked here (a type, a sequence number, a digest): its values are the
    applier's to check, and one it cannot apply is refused on its own.
    """
    if not isinstance(items, list):
        return Rejected("has no list of ops")
    out: list[DecodedOp] = []
    for item in items:
        decoded = _decode_one(item)
        if isinstance(decoded, Rejected):
            return decoded
        out.append(decoded)
    return out


def _decode_one(item: object) -> DecodedOp | Rejected:
    if isinstance(item, str):
        try:
            raw = item.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, which the envelope's JSON can escape
            return Rejected("has an op that is not UTF-8 text")
        op = _parse_op(item)
        if isinstance(op, Rejected):
            return Rejected("has an op that is not JSON")
        if not isinstance(op, dict) or op.get("t") not in OP_TYPES:
            return Rejected("has an op of unknown type")
        seq = _seq(op)
        if seq is None:
            return Rejected("has a bad op sequence number")
        return seq, digest(raw, _OP_LABEL), op
    if isinstance(item, dict) and item.get("t") == "redacted":
        value = _hex(item.get("digest"))
        if value is None or len(value) != 32:
            return Rejected("has a bad redacted digest")
        seq = _seq(item)
        if seq is None:
            return Rejected("has a bad op sequence number")
        return seq, value, None
    return Rejected("has a malformed op")


def _parse_json(text: str | bytes) -> object:
    """The JSON value of ``text``, or a :class:`Rejected` if it is not JSON or too deep to read
    (no JSON value is a ``Rejected``, so ``isinstance`` tells the two apart)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        # Only json.loads is inside: ValueError is its documented failure (JSONDecodeError, and
        # UnicodeDecodeError for bytes) and also how it refuses an integer past Python's digit
        # limit, so here it can only mean "not JSON", never a bug elsewhere.
        return Rejected("is not JSON")


_DECODER = json.JSONDecoder()


def _parse_op(text: str) -> object:
    """An op's JSON value, as :func:`_parse_json`, but with nothing around it: an op is the
    canonical text the sender wrote (:func:`encode_op`), which has no whitespace to skip, and
    ``raw_decode`` alone costs a third less than ``json.loads``, which every op pays."""
    try:
        value, end = _DECODER.raw_decode(text)
    except (ValueError, RecursionError):  # as in _parse_json
        return Rejected("is not JSON")
    return value if end == len(text) else Rejected("is not JSON")


def _seq(op: dict[str, Any]) -> int | None:
    seq = op.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq < 2**63:
        return None
    return seq


def _hex(value: object) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        return bytes.fromhex(value)
    except ValueError:  # not hexadecimal: fromhex's only failure
        return None
