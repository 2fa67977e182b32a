"""A new pair starts at protocol v2: the formats each device reads travel in the pairing messages.

Two real vaults pair through a real folder that remembers every blob ever put in it (the
medium's version history), by the long code and by the short code. When both devices read v2,
nothing but the pairing frames is ever v1 on the medium: not the history sent at pairing, not
the first receipts, and no ``V`` announcement. A device acting as a client from before v2
(:func:`trustvault.sync.sealing._behave_as_v1`) sends no formats: it still pairs, and the pair
then moves to v2 through ``V`` as a pair made before v2 does (PROTOCOL.md §3, §4).
"""

import json
from pathlib import Path

import pytest

from crypto import envelope_v2
from crypto.envelope import Header, parse_header, seal_envelope
from crypto.errors import CryptoError
from crypto.identity import generate_keypair
from crypto.invite import join_key, new_invite_secret
from tests.sync.sync_helpers import Couple, make_couple
from trustvault.actions import Actions
from trustvault.storage.transaction import transaction
from trustvault.sync import join_messages, migration, pair_formats, pake_pairing, sealing
from trustvault.sync.folder_transport import FolderTransport
from trustvault.sync.pair_state import PairState, load_pair
from trustvault.sync.rejection import Rejected
from trustvault.sync.results import SyncResult
from trustvault.sync.service import SyncService
from trustvault.sync.transports import folder_spec
from trustvault.vault import Vault

_PAIRING_FRAMES = {b"J", b"W", pake_pairing.KIND}


class RecordingFolder(FolderTransport):
    """The real folder, remembering every blob put in it (the medium's version history)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.history: list[bytes] = []

    def put(self, name: str, data: bytes) -> None:
        self.history.append(data)
        super().put(name, data)


def _recorded_couple(root: Path, factory: pytest.TempPathFactory) -> tuple[Couple, RecordingFolder]:
    c = make_couple(root, factory)
    medium = RecordingFolder(c.folder)
    c.transport_a = c.transport_b = medium
    c.sa, c.sb = SyncService(c.a, medium), SyncService(c.b, medium)
    return c, medium


def _pair(c: Couple, by: str) -> list[SyncResult]:
    """Pair Alex (inviting) and Sam (joining) by the long code or the short one."""
    spec = folder_spec(c.folder)
    if by == "long":
        c.sb.join(c.sa.invite(spec), spec)
        results = [c.sa.sync(), c.sb.sync()]
    else:
        alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
        sam.join_by_words(alex.invite_by_words(spec), spec)
        results = [alex.sync(), sam.sync(), alex.sync()]
    assert c.sa.status() == c.sb.status() == "paired"
    return results


def _state(vault: Vault) -> PairState:
    state = load_pair(vault.conn)
    assert state is not None
    return state


def _formats(c: Couple) -> list[tuple[int, int]]:
    return [(s.seal_format, s.partner_format) for s in (_state(c.a), _state(c.b))]


def _kind(blob: bytes) -> bytes | None:
    """The clear v1 header's kind, or None if no v1 header parses."""
    try:
        return parse_header(blob).kind
    except CryptoError:
        return None


@pytest.mark.parametrize("by", ["long", "short"])
def test_a_new_pair_seals_v2_from_its_first_envelope(
    by: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c, medium = _recorded_couple(tmp_path, tmp_path_factory)
    before = c.a.entries.add("milestone", {"title": "written before we paired"})
    _pair(c, by)
    assert _formats(c) == [(2, 2), (2, 2)], "both said they read v2: no V needed"
    c.sa.verify()  # the history held until the key is compared goes now
    c.sb.verify()
    first = c.b.entries.add("milestone", {"title": "our first shared entry"})
    results = c.settle()
    assert all(r.rejected == 0 and not r.problems for r in results)
    assert c.b.entries.get(before.id).fields["title"] == "written before we paired"
    assert c.a.entries.get(first.id).fields["title"] == "our first shared entry"

    everything = medium.history + [medium.get(n) or b"" for n in medium.names()]
    sealed = [b for b in everything if _kind(b) not in _PAIRING_FRAMES]
    assert len(sealed) >= 6, "ops, receipts and heartbeats of both devices went out"
    assert all(envelope_v2.is_v2(b) and _kind(b) is None for b in sealed), "no clear header"
    assert all(_state(v).announce_name == "" for v in (c.a, c.b)), "no V was ever put"
    assert {_kind(b) for b in everything} <= _PAIRING_FRAMES | {None}
    c.close()


@pytest.mark.parametrize("by", ["long", "short"])
def test_a_joiner_from_before_v2_still_pairs_then_the_pair_moves_as_today(
    by: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c, medium = _recorded_couple(tmp_path, tmp_path_factory)
    with transaction(c.b.conn):
        sealing._behave_as_v1(c.b.conn, True)
    try:
        results = _pair(c, by)
        assert _formats(c) == [(1, 1), (1, 1)], "Sam's device said nothing of v2"
        c.a.entries.add("milestone", {"title": "alex"})
        c.b.entries.add("milestone", {"title": "sam, old client"})
        results += c.settle(2)
        assert sum(r.rejected for r in results) == 1, "the old client refuses the V, once"
        assert migration.KIND in {_kind(b) for b in medium.history}
        assert not any(envelope_v2.is_v2(b) for b in medium.history)

        sealing._behave_as_v1(c.b.conn, False)
        c.b.entries.add("milestone", {"title": "sam, updated"})
        assert all(r.rejected == 0 and not r.problems for r in c.settle(4))
        assert _formats(c) == [(2, 2), (2, 2)]
        titles = ["alex", "sam, old client", "sam, updated"]
        for vault in (c.a, c.b):
            assert sorted(e.fields["title"] for e in vault.entries.all("milestone")) == titles
    finally:
        sealing._behave_as_v1(c.b.conn, False)
        c.close()


@pytest.mark.parametrize(
    ("doc", "read"),
    [
        ({}, (1,)),  # a client from before v2 says nothing: v1 only
        ({"formats": [1, 2]}, (1, 2)),
        ({"formats": [1, 2, 3]}, (1, 2, 3)),  # a later client: what it reads beyond is its own
        ({"formats": []}, None),
        ({"formats": "2"}, None),
        ({"formats": [2.0]}, None),
        ({"formats": [True]}, None),
        ({"formats": [0]}, None),
        ({"formats": list(range(1, 18))}, None),
    ],
)
def test_what_a_pairing_message_says_it_reads(doc: dict[str, object], read: object) -> None:
    assert pair_formats.read(doc) == read


def test_join_messages_carry_the_formats_and_refuse_a_malformed_list() -> None:
    secret = new_invite_secret()
    public = generate_keypair().public.hex()

    def sealed(kind: bytes, doc: dict[str, object]) -> bytes:
        header = Header(kind, bytes(16), 2 if kind == b"J" else 0, 0)
        return seal_envelope(join_key(secret), header, json.dumps(doc).encode())

    request = {"public": public, "device": "d" * 32, "name": "Sam"}
    answer = {"accepted": True, "device": "a" * 32, "name": "Alex"}
    for doc, read in ((request, join_messages.read_request), (answer, join_messages.read_answer)):
        kind = b"J" if doc is request else b"W"
        older = read(secret, sealed(kind, doc))  # from before v2: no field, v1 only
        newer = read(secret, sealed(kind, doc | {"formats": [1, 2]}))
        assert not isinstance(older, Rejected) and older.formats == (1,)
        assert not isinstance(newer, Rejected) and newer.formats == (1, 2)
        assert read(secret, sealed(kind, doc | {"formats": "2"})) == Rejected("is malformed")
