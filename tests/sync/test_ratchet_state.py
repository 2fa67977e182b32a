"""The ratchet kept in two real, paired vaults (trustvault/sync/ratchet_state.py, schema 20).

Driven directly, as the v2 sealing and opening code calls it, so each rule shows on its own:
re-seals keep their key, peeking uses nothing up, applying forgets, receipts delete the sender's
keys, an old public never moves the root, the three-day step, and unpairing forgets it all.
"""

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from crypto.aead import open_sealed, seal
from tests.sync.sync_helpers import Couple, paired_couple
from trustvault.storage import erasure, pairing_store, ratchet_store
from trustvault.storage.transaction import transaction
from trustvault.sync import migration, ratchet_state, receipt_bytes, sealing
from trustvault.sync.pair_state import PairState, load_identity, load_pair
from trustvault.sync.rejection import Rejected
from trustvault.vault import Vault

DAY = date(2026, 12, 2)
LABEL = b"tv:test-body:v2"


class Side:
    """One device of the couple, as the sealing and opening code sees it."""

    def __init__(self, vault: Vault) -> None:
        self.conn = vault.conn
        state = load_pair(vault.conn)
        assert state is not None and state.paired
        # A pairing of its own, so the ratchet starts afresh whatever the template's syncs did.
        self.pair: PairState = replace(state, pair_id=b"\x42" * 16)
        self.keys = state.keys(load_identity(vault.conn))

    def seal(self, first: int, text: bytes) -> tuple[bytes, bytes]:
        with transaction(self.conn):
            key, field = ratchet_state.key_to_seal(self.conn, self.pair, self.keys, first)
        return field, seal(key, text, LABEL, field)

    def peek(self, field: bytes) -> bytes | None:
        return ratchet_state.key_to_open(self.conn, self.pair, self.keys, field)

    def apply(self, field: bytes, blob: bytes) -> bytes:
        key = self.peek(field)
        assert key is not None
        with transaction(self.conn):
            ratchet_state.applied(self.conn, self.pair, self.keys, [field])
        return open_sealed(key, blob, LABEL, field)

    def receipt(self) -> bytes:
        with transaction(self.conn):
            return ratchet_state.receipt_public(self.conn, self.pair, self.keys)

    def hear(self, public: bytes) -> bool:
        with transaction(self.conn):
            return ratchet_state.partner_public(self.conn, self.pair, self.keys, public)

    def use(self, day: date) -> None:
        with transaction(self.conn):
            ratchet_state.note_use(self.conn, self.pair, self.keys, day)

    def due(self) -> bool:
        return ratchet_state.step_due(self.conn, self.pair, self.keys)

    def stored(self) -> bytes:
        loaded = ratchet_store.load(self.conn, self.pair.pair_id)
        assert loaded is not None
        return loaded.state


@pytest.fixture
def couple(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Couple:
    c = paired_couple(tmp_path / "c", tmp_path_factory)
    yield c
    c.close()


def _client_first(c: Couple) -> tuple[Side, Side]:
    a, b = Side(c.a), Side(c.b)
    return (a, b) if a.keys.is_client else (b, a)


def test_keys_are_kept_while_needed_and_gone_after(couple: Couple) -> None:
    client, server = _client_first(couple)
    field, blob = client.seal(1, b"three ops")
    again_field, again = client.seal(1, b"three ops, one redacted")  # a withdrawal's re-seal
    assert again_field == field and again != blob
    assert ratchet_store.sent_key_count(client.conn) == 1
    # The partner may open both generations ahead of applying, as often as it reads.
    assert server.peek(field) == server.peek(field) is not None
    assert open_sealed(server.peek(field) or b"", again, LABEL, field) == b"three ops, one redacted"
    assert server.apply(field, again) == b"three ops, one redacted"
    assert server.peek(field) is None, "applied: its key is forgotten"
    assert erasure.pending(server.conn), "the log still holds the old state until erased"
    client.seal(4, b"the next envelope")
    with transaction(client.conn):
        ratchet_state.confirmed(client.conn, 3)
    assert ratchet_store.sent_key_count(client.conn) == 1, "the receipt covers the first only"
    assert ratchet_store.sent_key(client.conn, 1) is None
    with transaction(client.conn):
        ratchet_state.confirmed(client.conn, 4)
    assert ratchet_store.sent_key_count(client.conn) == 0


def test_receipts_step_once_and_an_old_public_never_moves_the_root(couple: Couple) -> None:
    client, server = _client_first(couple)
    # The first v2 sync: the client has never made an ephemeral, so a receipt is due at once.
    assert client.due()
    client.use(DAY - timedelta(days=1))
    first = client.receipt()
    assert not client.due()
    assert server.hear(first) and not server.hear(first), "stepped once, then known"
    answer = server.receipt()
    assert answer != first and client.hear(answer)
    # Answered, the client steps again only after three days of use (not of the calendar),
    # counted from the day it stepped.
    for day in (DAY, DAY, DAY + timedelta(days=1)):
        client.use(day)
    assert not client.due()
    client.use(DAY + timedelta(days=9))
    assert client.due()
    newer = client.receipt()
    assert server.hear(newer)
    assert client.hear(server.receipt())
    field, blob = server.seal(1, b"after three steps")
    assert client.apply(field, blob) == b"after three steps"  # older chains dropped
    client.receipt()  # the client steps again and waits for the answer, its private kept
    # An old receipt a medium puts back: the server's first answer, long left behind.
    before = client.stored()
    assert not client.hear(answer)
    assert client.stored() == before
    field, blob = server.seal(2, b"and after the old receipt")
    assert client.apply(field, blob) == b"and after the old receipt"


def test_unpairing_forgets_the_ratchet(couple: Couple) -> None:
    client, _ = _client_first(couple)
    client.seal(1, b"one")
    with transaction(client.conn):
        pairing_store.forget_pairing(client.conn)
    assert ratchet_store.load(client.conn, client.pair.pair_id) is None
    assert ratchet_store.sent_key_count(client.conn) == 0
    assert not ratchet_store.seen(client.conn, client.keys.send)


def test_the_receipt_resealed_on_the_switch_to_v2_carries_the_public(couple: Couple) -> None:
    """The switch re-seals the receipt out as v2 (PROTOCOL.md §4): in v2's exact receipt form,
    or the partner would refuse it, and a round that applies nothing would never replace it."""
    alex, sam = Side(couple.a), Side(couple.b)
    state = load_pair(couple.a.conn)
    assert state is not None
    with transaction(couple.a.conn):
        state.seal_format, state.receipt_seq = 1, 7
        state.receipt_name = "0" * 32
        migration.heard(couple.a.conn, state, alex.keys, announced=True, saw_v2=False)
    sams = load_pair(couple.b.conn)
    assert sams is not None
    opened = sealing.open_theirs(
        couple.b.conn, sams, sealing.round_keys(sam.keys), state.receipt_blob
    )
    assert not isinstance(opened, Rejected) and opened.format == 2
    receipt = receipt_bytes.read(opened.header.seq, opened.payload, opened.format)
    assert receipt is not None and receipt[0] == 7 and receipt[1] is not None


def test_a_long_backlog_opens_in_any_order_at_one_step_per_envelope(
    couple: Couple, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Envelopes of one chain, opened in a listing's (random) order before any is applied: each
    opens, however far ahead, the chain is walked once, not once per envelope, and the new
    public they carry is looked up and stepped on once while the stored state stays the same."""
    client, server = _client_first(couple)
    n = 1100
    with transaction(client.conn):
        fields = [
            ratchet_state.key_to_seal(client.conn, client.pair, client.keys, i)[1]
            for i in range(1, n + 1)
        ]
    steps = 0
    walk = ratchet_state.kdf_chain

    def counted(chain: bytes) -> tuple[bytes, bytes]:
        nonlocal steps
        steps += 1
        return walk(chain)

    looked_up = 0
    seen = ratchet_store.seen

    def counted_seen(conn: object, public: bytes) -> bool:
        nonlocal looked_up
        looked_up += 1
        return seen(conn, public)  # type: ignore[arg-type]

    monkeypatch.setattr(ratchet_state, "kdf_chain", counted)
    monkeypatch.setattr(ratchet_store, "seen", counted_seen)
    order = fields[::-1] + fields[::2]  # the last first, then again, out of order
    assert all(server.peek(field) is not None for field in order)
    assert steps == n
    assert looked_up == 1, "the client's first public: looked up once for the whole listing"
    with transaction(server.conn):
        ratchet_state.applied(server.conn, server.pair, server.keys, fields)
    assert server.peek(fields[0]) is None and server.peek(fields[-1]) is None


def test_no_walk_or_step_outlives_the_round_that_used_it(couple: Couple) -> None:
    """The keys walked ahead while opening (and the last receive step, root included) serve one
    round only: after it, a lock or an unpairing must find none of them in this process."""
    for i in range(3):
        couple.a.entries.add("milestone", {"title": f"step {i}"}, "shared")
    couple.settle()
    sams = {e.fields["title"] for e in couple.b.entries.all("milestone")}
    assert {"step 0", "step 1", "step 2"} <= sams
    assert ratchet_state._WALKS._walks == {}
    assert ratchet_state._LAST_STEP is None
    assert ratchet_state._PEEKS == {} and ratchet_state._ROWS == {}
