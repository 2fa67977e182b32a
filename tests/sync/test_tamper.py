"""Bad input in the sync folder: tampered, truncated, garbage, foreign, replayed and leftover files.

The tamper matrix flips every bit of a real (v2) envelope's prefix, tag, nonces, sealed head and
AEAD tags and one bit of each body byte (:func:`_flips`), and opens each the way the receiver does
(its tag, then :func:`sealing.open_theirs`, then :func:`incoming`); a handful of flips then
go through a real sync, which must count them, apply nothing, give a content-free reason, and
carry on with the valid envelopes that follow.
"""

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pytest

from crypto import envelope_v2
from crypto.envelope import HEADER_BYTES, Header, seal_envelope
from crypto.errors import CryptoError
from tests.sync.sync_helpers import Couple, envelope_names, paired_couple
from trustvault.storage.transaction import transaction
from trustvault.sync import heartbeat, outbox, sealing
from trustvault.sync.folder_transport import SUFFIX, FolderTransport
from trustvault.sync.inbox import Incoming, incoming
from trustvault.sync.ops import GENESIS, chain_step, encode_op, op_digest
from trustvault.sync.pair_state import load_identity, load_pair, save_pair
from trustvault.sync.recorder import version_body
from trustvault.sync.rejection import Rejected
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

MARKER = "TAMPER-MARKER-WALRUS"


def _couple(tmp_path: Path, factory: pytest.TempPathFactory) -> Couple:
    return paired_couple(tmp_path / "couple", factory)


def _partner_envelopes(c: Couple) -> dict[str, bytes]:
    """Alex's sealed envelopes (kind E) now in the folder, by blob name."""
    state = load_pair(c.a.conn)
    assert state is not None
    own = envelope_v2.direction_keys(state.keys(load_identity(c.a.conn)).send)
    out = {}
    for name in envelope_names(c.folder):
        data = (c.folder / f"{name}{SUFFIX}").read_bytes()
        try:
            head = envelope_v2.open_head(own, data)
        except CryptoError:
            continue
        if head.kind == b"E":
            out[name] = data
    return out


def _sams_device(c: Couple) -> Callable[[str, bytes], Incoming | Rejected]:
    """Open one of Alex's envelopes as Sam's device does: sort by tag, open, decode. The pair
    state and keys are read once (a sync round reads them once too), so a matrix of thousands
    of flips costs the opening alone, not a key exchange and two queries per flip."""
    state = load_pair(c.b.conn)
    assert state is not None
    keys = sealing.round_keys(state.keys(load_identity(c.b.conn)))

    def open_as_sam(name: str, blob: bytes) -> Incoming | Rejected:
        if sealing.whose(keys, blob) != "theirs":
            return Rejected("belongs to another pair")
        opened = sealing.open_theirs(c.b.conn, state, keys, blob)
        if isinstance(opened, Rejected):
            return opened
        assert opened.payload is not None
        return incoming(
            keys.channel, state.pair_id, name, opened.header, opened.payload, opened.format
        )

    return open_as_sam


def _role(vault: Vault) -> int:
    state = load_pair(vault.conn)
    assert state is not None
    return 0 if state.keys(load_identity(vault.conn)).is_client else 1


def _recv_seq(vault: Vault) -> int:
    state = load_pair(vault.conn)
    assert state is not None
    return state.recv_seq


def _one_envelope(c: Couple) -> tuple[str, bytes]:
    c.a.entries.add("milestone", {"title": MARKER, "note": "reference"})
    c.sa.sync()
    envelopes = _partner_envelopes(c)
    assert len(envelopes) == 1
    return next(iter(envelopes.items()))


def _flip(blob: bytes, bit: int) -> bytes:
    out = bytearray(blob)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def _assert_content_free(problems: list[str]) -> None:
    for text in problems:
        assert MARKER not in text and "reference" not in text
        assert "\n" not in text


_BODY = (
    149  # where the body ciphertext starts: "TV", format, tag, head nonce, sealed head, body nonce
)
_BODY_MAC = 16


def _flips(size: int) -> list[int]:
    """The bits the matrix flips: every bit of everything but the body ciphertext (the clear
    prefix, the tag, both nonces, the sealed head and both AEAD tags: the bytes something
    parses or compares), and one bit of each body ciphertext byte, its position turning with
    the byte (bit ``i % 8`` of byte ``i``), so every byte and every bit position is hit.

    Every bit of the body would cost four times as much to prove nothing more: Poly1305 covers
    the ciphertext as a whole, no code reads a body bit on its own, and
    tests/crypto/test_envelope_v2.py flips every bit of a whole v2 blob at the crypto layer."""
    body = range(_BODY, size - _BODY_MAC)
    every = [b for b in range(size) if b not in body]
    return sorted([8 * b + i for b in every for i in range(8)] + [8 * b + b % 8 for b in body])


def test_every_region_and_byte_of_an_envelope_flipped_is_rejected(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    name, blob = _one_envelope(c)
    open_as_sam = _sams_device(c)
    reference = open_as_sam(name, blob)
    assert isinstance(reference, Incoming)
    assert reference.first_seq == 1 and reference.ops  # the untouched blob opens
    assert reference.format == 2

    flips = _flips(len(blob))
    assert {bit // 8 for bit in flips} == set(range(len(blob))), "every byte"
    assert len(flips) == 8 * (_BODY + _BODY_MAC) + len(blob) - _BODY - _BODY_MAC
    accepted = []
    for bit in flips:
        opened = open_as_sam(name, _flip(blob, bit))
        if isinstance(opened, Rejected):
            assert MARKER not in opened.reason
        else:
            accepted.append(bit)
    assert accepted == [], f"flips accepted at bits {accepted[:10]}"
    assert len(blob) - _BODY - _BODY_MAC > 256, "a body of a real bucket"
    c.close()


_REGIONS = [
    0,  # magic
    2 * 8,  # format version
    3 * 8 + 1,  # tag
    (19 + 5) * 8 + 3,  # head nonce
    (43 + 1) * 8,  # sealed kind
    (43 + 30) * 8 + 6,  # sealed sequence number
    124 * 8,  # head's AEAD tag
    (125 + 5) * 8 + 2,  # body nonce
    (149 + 60) * 8 + 7,  # body ciphertext
    -1,  # body's AEAD tag
]
_HEALS = ["sender re-puts", "file-sync tool repairs"]


# Each region once, the two ways of healing taking turns (five regions each): how the folder
# heals does not depend on which byte was damaged, and every pairing of the two would double
# the two-vault syncs for nothing the matrix above does not already show.
@pytest.mark.parametrize(
    ("where", "heal"), [(where, _HEALS[i % 2]) for i, where in enumerate(_REGIONS)]
)
def test_a_flipped_envelope_in_the_folder_applies_nothing_and_then_heals(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, where: int, heal: str
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    name, blob = _one_envelope(c)
    path = c.folder / f"{name}{SUFFIX}"
    bit = where if where >= 0 else len(blob) * 8 + where
    path.write_bytes(_flip(blob, bit))
    before = c.b.entries.count()

    result = c.sb.sync()
    assert result.rejected == 1 and result.received == 0, result
    assert c.b.entries.count() == before and _recv_seq(c.b) == 0
    _assert_content_free(result.problems)
    assert result.problems

    assert c.sb.sync().rejected == 0, "counted once"
    if heal == "file-sync tool repairs":
        path.write_bytes(blob)
    else:
        assert c.sa.sync().sent == 1, "Alex's device sees the damaged copy and puts it again"
        assert path.read_bytes() == blob
    c.settle()
    assert [e.fields["title"] for e in c.b.entries.all()] == [MARKER]
    c.close()


def test_bad_files_are_counted_with_a_content_free_reason_and_never_block(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    _, blob = _one_envelope(c)
    state = load_pair(c.a.conn)
    assert state is not None
    role = _role(c.a)
    other_pair = seal_envelope(os.urandom(32), Header(b"E", os.urandom(16), role, 1), b"{}")
    forged = seal_envelope(os.urandom(32), Header(b"E", state.pair_id, role, 1), b"{}")
    strangers = envelope_v2.direction_keys(os.urandom(32))
    head = envelope_v2.InnerHead(b"E", role, state.pair_id, 1)
    foreign_v2 = envelope_v2.seal(strangers, os.urandom(32), head, b"{}")
    bad = {
        "truncated-header": blob[:10],
        "truncated-body": blob[: HEADER_BYTES + 40],
        "truncated-tail": blob[:-1],
        "empty": b"",
        "garbage": os.urandom(len(blob)),
        "text": b"hello, this is not an envelope\n",
        "other-pair": other_pair,
        "forged": forged,
        "foreign-v2": foreign_v2,
        "v2-prefix-only": blob[:200],
        "extended": blob + b"\0",
    }
    for label, data in bad.items():
        (c.folder / f"{label}{SUFFIX}").write_bytes(data)

    result = c.sb.sync()
    assert result.rejected == len(bad), result
    assert result.received == 1, "the valid envelope among them still applied"
    assert [e.fields["title"] for e in c.b.entries.all()] == [MARKER]
    _assert_content_free(result.problems)
    on_alex = c.sa.sync()  # Alex's device reads the same folder and refuses the same files
    assert on_alex.rejected == len(bad), on_alex
    _assert_content_free(on_alex.problems)

    later = c.a.entries.add("milestone", {"title": "after the garbage"})
    results = c.settle()
    assert c.b.entries.get(later.id).fields["title"] == "after the garbage"
    assert sum(r.rejected for r in results) == 0, "each bad file is counted once"
    assert all(r.problems == [] for r in results)
    c.close()


def test_replayed_old_envelopes_are_ignored(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    name, blob = _one_envelope(c)
    c.settle()
    assert name not in envelope_names(c.folder), "confirmed envelopes are collected"
    entry = c.b.entries.all()[0]
    c.a.entries.edit(entry.id, {"note": "second version"})
    c.settle()

    # Someone puts the old envelope back, under its own name and under a new one.
    (c.folder / f"{name}{SUFFIX}").write_bytes(blob)
    (c.folder / f"replayed{SUFFIX}").write_bytes(blob)
    result = c.sb.sync()
    assert result.received == 0 and result.rejected == 0
    assert result.duplicates == 2
    assert c.b.entries.get(entry.id).fields["note"] == "second version"
    assert len(c.b.entries.history(entry.id)) == 2
    c.settle()
    assert c.b.entries.get(entry.id).fields["note"] == "second version"
    c.close()


def test_leftover_files_of_file_sync_tools_are_skipped(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    name, blob = _one_envelope(c)
    leftovers = [
        f"{name}.sync-conflict-20261101-090000-ABCDEFG{SUFFIX}",
        f"{name} (conflicted copy){SUFFIX}",
        f"{name} (Sam's conflicted copy 2026-11-01){SUFFIX}",
        f"{name}_conflict-20261101-090000{SUFFIX}",
        f".{name}{SUFFIX}",
        f".{name}{SUFFIX}.1234.abcd.tmp",
        f"{name}{SUFFIX}.tmp",
        f"{name}{SUFFIX}.part",
        f"~${name}{SUFFIX}",
        f".syncthing.{name}{SUFFIX}.tmp",
    ]
    for leftover in leftovers:
        (c.folder / leftover).write_bytes(_flip(blob, 300))
    subdir = c.folder / f"nested{SUFFIX}"
    subdir.mkdir()
    listed = FolderTransport(c.folder).names()
    beats = {beat[0] for v in (c.a, c.b) if (beat := heartbeat.outgoing(v.conn)) is not None}
    beats |= {s.announce_name for v in (c.a, c.b) if (s := load_pair(v.conn)) and s.announce_name}
    # and each device's receipt: an idle pair has one, carrying its ratchet public (§4b)
    beats |= {s.receipt_name for v in (c.a, c.b) if (s := load_pair(v.conn)) and s.receipt_name}
    assert sorted(set(listed) - beats) == [name] and len(listed) == len(beats) + 1
    result = c.sb.sync()
    assert result.rejected == 0 and result.received == 1 and result.problems == []
    c.settle()
    for leftover in leftovers:
        assert (c.folder / leftover).exists(), "someone else's file is never deleted"
    shutil.rmtree(subdir)
    c.close()


def _sealed_by_alex(c: Couple, seq: int, ops: list[str], chain: bytes) -> bytes:
    """An envelope Alex's device could have made (its real key): a rewritten past."""
    state = load_pair(c.a.conn)
    assert state is not None
    keys = state.keys(load_identity(c.a.conn))
    payload = json.dumps({"ops": ops, "chain": chain.hex()}).encode()
    with transaction(c.a.conn):
        return sealing.seal(c.a.conn, state, keys, b"E", seq, payload)


def test_a_rewritten_or_inconsistent_past_is_reported_and_not_applied(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    _one_envelope(c)
    c.settle()
    entry = c.b.entries.all()[0]
    done = _recv_seq(c.b)
    forged_op = encode_op("version", 1, {"id": entry.id, "kind": "milestone"})
    rewritten = _sealed_by_alex(c, 1, [forged_op], chain_step(GENESIS, 1, op_digest(forged_op)))
    (c.folder / f"rewritten{SUFFIX}").write_bytes(rewritten)
    ack = encode_op("ack", done + 1, {"id": entry.id, "state": "read", "at": "2026-11-01"})
    wrong_chain = _sealed_by_alex(c, done + 1, [ack], chain_step(GENESIS, done + 1, bytes(32)))
    (c.folder / f"wrongchain{SUFFIX}").write_bytes(wrong_chain)

    result = c.sb.sync()
    assert result.rejected == 2 and result.received == 0
    assert any("rewrites changes already received" in p for p in result.problems)
    assert any("does not match the partner's history" in p for p in result.problems)
    _assert_content_free(result.problems)
    assert _recv_seq(c.b) == done and c.qb.responses(entry.id) == []
    assert c.b.entries.get(entry.id).fields["title"] == MARKER

    later = c.a.entries.add("milestone", {"title": "real history goes on"})
    c.settle()
    assert c.b.entries.get(later.id).fields["title"] == "real history goes on"
    c.close()


class Withholding(FolderTransport):
    """A medium that hides one blob, as a hostile relay or a stuck file-sync tool might."""

    hidden: ClassVar[set[str]] = set()

    def names(self) -> list[str]:
        return [n for n in super().names() if n not in self.hidden]


def test_a_withheld_envelope_holds_the_later_ones_back_and_says_so(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    first, _ = _one_envelope(c)
    c.a.entries.add("milestone", {"title": "second"})
    c.sa.sync()
    Withholding.hidden = {first}
    c.sb = SyncService(c.b, Withholding(c.folder))
    result = c.sb.sync()
    assert result.waiting == 1 and result.received == 0
    assert c.b.entries.count() == 0, "nothing applied out of order"
    Withholding.hidden = set()
    c.settle()
    assert sorted(e.fields["title"] for e in c.b.entries.all()) == [MARKER, "second"]
    c.close()


def test_an_authentic_op_with_absurd_values_is_refused_not_a_crash(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A partner's buggy (or newer) app sends numbers SQLite cannot store: the op is refused
    with a reason, and the syncs after it still work."""
    c = _couple(tmp_path, tmp_path_factory)
    event = c.b.entries.add("event", {"title": "Dinner", "start": "2026-12-01T19:00"})
    c.settle()
    body = {**version_body(c.a.entries.get(event.id)), "editor": c.a.device_id, "rev": 2**70}
    with transaction(c.a.conn):
        state = load_pair(c.a.conn)
        assert state is not None
        outbox.record(c.a.conn, state, "version", body, event.id)
        save_pair(c.a.conn, state)
    c.sa.sync()
    result = c.sb.sync()
    assert result.refused_ops == 1 and result.problems
    assert c.b.entries.get(event.id).revision == 1
    later = c.a.entries.add("milestone", {"title": "still syncing"})
    c.settle()
    assert c.b.entries.get(later.id).fields["title"] == "still syncing"
    c.close()
