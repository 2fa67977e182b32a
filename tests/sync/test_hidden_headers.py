"""Protocol v2 through real vaults and a real folder: what the medium sees, and migration from v1.

A withdrawal's re-seal must look like any new envelope (same size bucket as what it replaces, a
fresh random name, nothing in the clear tying it to the old blob), and a pair made before v2
must move to it without a new pairing, losing and doubling nothing (PROTOCOL.md §4).
"""

from pathlib import Path

import pytest

from crypto import envelope_v2
from crypto.envelope import Header, parse_header, seal_envelope
from tests.sync.sync_helpers import Couple, blobs_in, make_couple, pair_up, paired_couple
from trustvault.actions import Actions
from trustvault.storage import outbox_store
from trustvault.storage.transaction import transaction
from trustvault.sync import migration, sealing
from trustvault.sync.folder_transport import SUFFIX
from trustvault.sync.pair_state import PairState, load_identity, load_pair
from trustvault.vault import Vault

LONG = ("a confession long enough to need its own size bucket " * 60).strip()  # 3 KiB


def _state(vault: Vault) -> PairState:
    state = load_pair(vault.conn)
    assert state is not None
    return state


def _medium(c: Couple) -> dict[str, bytes]:
    return {n[: -len(SUFFIX)]: b for n, b in blobs_in(c.folder) if n.endswith(SUFFIX)}


def test_a_withdrawal_reseal_looks_like_an_edit_to_the_medium(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    c.settle(1)
    assert _state(c.a).seal_format == _state(c.b).seal_format == 2
    withdrawn = c.a.entries.add(
        "disclosure", {"title": "t", "body": LONG, "occurred_on": "2026-05-01"}
    )
    c.sa.sync()
    ((old_name, old_blob, first, _),) = outbox_store.envelopes(c.a.conn)
    Actions(c.a, c.transport_a).withdraw(withdrawn.id)
    edited = c.a.entries.add(
        "disclosure", {"title": "u", "body": LONG, "occurred_on": "2026-05-02"}
    )
    c.sa.sync()
    envelopes = outbox_store.envelopes(c.a.conn)
    reseal = next(blob for name, blob, f, _ in envelopes if f == first)
    edit = next(blob for name, blob, f, _ in envelopes if f != first and len(blob) > 1000)
    on_medium = _medium(c)
    assert old_name not in on_medium and old_blob not in on_medium.values()  # the old copy left
    assert len(reseal) == len(old_blob) == len(edit), "redacted, yet the size of an edit"
    for blob in (reseal, edit, old_blob):
        assert blob[:3] == b"TV\x02" and envelope_v2.padded_size(blob) == 4096
    assert reseal[3:43] != old_blob[3:43], "no clear byte ties the re-seal to what it replaces"
    for name, blob in on_medium.items():
        assert len(name) == 32 and int(name, 16) >= 0
        if not envelope_v2.is_v2(blob):  # only a "V" announcement, until both read v2
            assert parse_header(blob).kind == migration.KIND
    c.settle()
    assert c.b.entries.get(edited.id).fields["body"] == LONG
    assert [e.id for e in c.b.entries.all("disclosure")] == [edited.id], "never delivered"
    c.close()


def _titles(vault: Vault) -> list[str]:
    return sorted(e.fields["title"] for e in vault.entries.all("milestone"))


def test_a_v1_pair_moves_to_v2_without_a_new_pairing_and_loses_nothing(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = make_couple(tmp_path / "couple", tmp_path_factory)
    for vault in (c.a, c.b):
        with transaction(vault.conn):
            sealing._behave_as_v1(vault.conn, True)
    try:
        pair_up(c)
        pair_id = _state(c.a).pair_id
        c.a.entries.add("milestone", {"title": "alex, old client"})
        c.b.entries.add("milestone", {"title": "sam, old client"})
        assert all(r.rejected == 0 for r in c.settle())
        assert not any(envelope_v2.is_v2(b) for b in _medium(c).values())

        sealing._behave_as_v1(c.b.conn, False)
        c.a.entries.add("milestone", {"title": "alex, still old"})
        c.b.entries.add("milestone", {"title": "sam, updated"})
        results = c.settle()
        assert [r.rejected for r in results] == [0, 0, 1, 0, 0, 0], "the old client: one file"
        assert _state(c.b).seal_format == 1, "Sam's device waits for Alex's to read v2"
        assert not any(envelope_v2.is_v2(b) for b in _medium(c).values())
        kinds = {parse_header(b).kind for b in _medium(c).values()}
        assert migration.KIND in kinds

        sealing._behave_as_v1(c.a.conn, False)
        c.a.entries.add("milestone", {"title": "alex, updated"})
        c.b.entries.add("milestone", {"title": "sam, both updated"})
        assert all(r.rejected == 0 and r.problems == [] for r in c.settle(4))
        c.a.entries.add("milestone", {"title": "alex, v2"})
        c.b.entries.add("milestone", {"title": "sam, v2"})
        c.sa.sync()
        c.sb.sync()
        medium = _medium(c).values()
        assert medium and all(envelope_v2.is_v2(b) for b in medium), "no V, no v1 left"
        c.settle()
        for vault in (c.a, c.b):
            state = _state(vault)
            assert (state.seal_format, state.partner_format) == (2, 2)
            assert state.v2_from > 0 and state.announce_name == "" and state.pair_id == pair_id
        everything = [
            "alex, old client", "alex, still old", "alex, updated", "alex, v2",
            "sam, both updated", "sam, old client", "sam, updated", "sam, v2",
        ]  # fmt: skip
        assert _titles(c.a) == _titles(c.b) == everything, "nothing lost, nothing twice"

        # The partner's first v2 ops envelope was applied: a v1 one after it is refused, once.
        state = _state(c.a)
        keys = state.keys(load_identity(c.a.conn))
        header = Header(b"E", state.pair_id, sealing.sender_role(keys), state.send_seq + 1)
        (c.folder / f"{'ab' * 16}{SUFFIX}").write_bytes(seal_envelope(keys.send, header, b"{}"))
        refused = c.sb.sync()
        assert refused.rejected == 1 and "old format" in refused.problems[0]
        assert c.sb.sync().rejected == 0
    finally:
        for vault in (c.a, c.b):
            sealing._behave_as_v1(vault.conn, False)
        c.close()
