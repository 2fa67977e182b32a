"""A newly shared entry waits a short hold before it leaves; withdrawing it meanwhile means it
was never sent (two real vaults, a real folder, a hand-moved clock).

"Never sent" is checked without trusting the code under test: every blob Alex's device ever put
in the sync folder is kept and opened with Alex's own channel key, and neither the entry's words
nor its id, nor a redacted placeholder, nor a withdrawal is in any of them.
"""

import random
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crypto.errors import CryptoError
from tests.sync.sync_helpers import (
    Couple,
    Template,
    blobs_in,
    copy_couple,
    make_couple,
    open_blob_as_sender,
    open_sealed_by,
    pair_up,
    paired_template,
)
from trustvault.actions import Actions
from trustvault.entries.model import Entry
from trustvault.errors import EntryNotFound, InvalidField
from trustvault.results import DeliveryState, PartnerCopy, Visibility
from trustvault.sync.folder_transport import FolderTransport
from trustvault.sync.pair_state import load_identity, load_pair
from trustvault.sync.results import SyncResult
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

HOLD = timedelta(minutes=5)


class RecordingFolder(FolderTransport):
    """The real folder, remembering every blob put in it (the medium's version history)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.history: list[bytes] = []

    def put(self, name: str, data: bytes) -> None:
        self.history.append(data)
        super().put(name, data)


_TEMPLATE: list[Template] = []


def _couple(tmp_path: Path, factory: pytest.TempPathFactory) -> tuple[Couple, RecordingFolder]:
    """A paired couple whose Alex shares with a five-minute hold, through a recorded folder."""
    if not _TEMPLATE:
        _TEMPLATE.append(paired_template(factory.mktemp("hold-template"), factory))
    c = copy_couple(_TEMPLATE[0], tmp_path / "couple")
    recording = RecordingFolder(c.folder)
    c.transport_a, c.sa = recording, SyncService(c.a, recording)
    Actions(c.a).set_send_hold(HOLD)
    return c, recording


def _everything_alex_sent(c: Couple, medium: RecordingFolder) -> bytes:
    """The plaintext of every envelope Alex's device ever put, and of those in the folder now."""
    blobs = medium.history + [data for _name, data in blobs_in(c.folder)]
    opened = [open_blob_as_sender(c.a, blob) for blob in blobs]
    return b"\n".join(p for p in opened if p is not None)


def test_a_new_share_waits_its_hold_then_leaves(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c, medium = _couple(tmp_path, tmp_path_factory)
    entry = c.a.entries.add(
        "disclosure", {"title": "HOLD-MARMOT", "body": "words", "occurred_on": "2026-10-01"}
    )
    delivery = c.qa.delivery(entry.id)
    assert delivery.state is DeliveryState.SENDING
    assert str(delivery) == "sending in 5:00" and delivery.at == "2026-11-01T09:05:00Z"
    results = c.settle()
    assert b"HOLD-MARMOT" not in _everything_alex_sent(c, medium)
    assert results[0].holding == 1 and results[0].next_send == "2026-11-01T09:05:00Z"
    with pytest.raises(EntryNotFound):
        c.b.entries.get(entry.id)

    c.clock.advance(minutes=4, seconds=48)
    assert str(c.qa.delivery(entry.id)) == "sending in 0:12"
    c.settle()
    with pytest.raises(EntryNotFound):
        c.b.entries.get(entry.id)

    c.clock.advance(seconds=12)
    assert c.qa.delivery(entry.id).state is DeliveryState.PENDING  # leaves at the next sync
    results = c.settle()
    assert results[0].holding == 0 and results[0].next_send == ""
    assert c.b.entries.get(entry.id).title == "HOLD-MARMOT"
    assert str(c.qa.delivery(entry.id)).startswith("delivered")
    c.close()


def test_withdrawing_within_the_hold_means_it_was_never_sent(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c, medium = _couple(tmp_path, tmp_path_factory)
    theirs = c.b.entries.add("milestone", {"title": "Sam's first week"})
    c.settle()
    regret = c.a.entries.add(
        "disclosure",
        {"title": "REGRET-TAPIR", "body": "UNSENT-QUOKKA", "occurred_on": "2026-10-02"},
        visibility="private",
    )
    Actions(c.a).share(regret.id)
    Actions(c.a).comment(regret.id, "COMMENT-WOMBAT")
    Actions(c.a).acknowledge(theirs.id)  # recorded after the share: it waits behind it
    c.settle()
    assert c.qb.responses(theirs.id) == []
    assert c.qa.undoable(regret.id)

    Actions(c.a).withdraw(regret.id)
    assert c.qa.delivery(regret.id).state is DeliveryState.NEVER_SHARED
    assert not c.qa.undoable(regret.id)
    assert c.a.entries.get(regret.id).visibility == Visibility.PRIVATE
    results = c.settle()
    assert all(r.rejected == 0 and r.refused_ops == 0 and r.problems == [] for r in results)
    assert [r.state for r in c.qb.responses(theirs.id)] == ["read"]  # the ack went, renumbered

    sent = _everything_alex_sent(c, medium)
    assert b't\\":\\"ack' in sent  # the scan can fail: what Alex did send is in it
    for trace in (b"REGRET-TAPIR", b"UNSENT-QUOKKA", b"COMMENT-WOMBAT", regret.id.encode()):
        assert trace not in sent
    assert b"redacted" not in sent and b"revoke" not in sent
    with pytest.raises(EntryNotFound):
        c.b.entries.get(regret.id)
    assert c.qb.withdrawal(regret.id) is None

    # The chain carries on: a later share arrives, nothing is refused.
    later = c.a.entries.add("milestone", {"title": "After the undo"})
    c.clock.advance(minutes=5)
    results = c.settle()
    assert all(r.rejected == 0 and r.problems == [] for r in results)
    assert c.b.entries.get(later.id).title == "After the undo"
    state_a, state_b = load_pair(c.a.conn), load_pair(c.b.conn)
    assert state_a is not None and state_b is not None
    assert state_a.send_seq == state_b.recv_seq and state_a.send_chain == state_b.recv_chain
    c.close()


def test_deleting_within_the_hold_sends_nothing_at_all(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A share still here when its entry is deleted was never sent: no delete op, no redacted
    placeholder, not even its id reaches the medium, and Sam's device holds no tombstone."""
    c, medium = _couple(tmp_path, tmp_path_factory)
    regret = c.a.entries.add("disclosure", {"title": "GONE-OCELOT", "occurred_on": "2026-10-02"})
    kept = c.a.entries.add("milestone", {"title": "After it"})  # recorded behind the hold
    assert c.qa.undoable(regret.id)
    assert Actions(c.a).delete(regret.id) is PartnerCopy.NEVER_SENT
    c.clock.advance(minutes=5)
    results = c.settle()
    assert all(r.rejected == 0 and r.refused_ops == 0 and r.problems == [] for r in results)
    assert c.b.entries.get(kept.id).title == "After it"
    sent = _everything_alex_sent(c, medium)
    assert b"After it" in sent
    for trace in (b"GONE-OCELOT", regret.id.encode(), b"redacted", b"delete"):
        assert trace not in sent
    with pytest.raises(EntryNotFound):
        c.b.entries.get(regret.id)
    c.close()


def test_undoing_one_share_keeps_the_next_in_its_own_hold(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c, medium = _couple(tmp_path, tmp_path_factory)
    first = c.a.entries.add("milestone", {"title": "UNDONE-OKAPI"})
    c.clock.advance(minutes=2)
    second = c.a.entries.add("milestone", {"title": "Second share"})
    Actions(c.a).withdraw(first.id)
    assert str(c.qa.delivery(second.id)) == "sending in 5:00"
    c.clock.advance(minutes=4)
    c.settle()
    with pytest.raises(EntryNotFound):
        c.b.entries.get(second.id)
    c.clock.advance(minutes=1)
    results = c.settle()
    assert all(r.rejected == 0 and r.problems == [] for r in results)
    assert [e.title for e in c.b.entries.all()] == ["Second share"]
    assert b"UNDONE-OKAPI" not in _everything_alex_sent(c, medium)
    c.close()


def test_undo_after_the_hold_but_before_any_sync_still_sends_nothing(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c, medium = _couple(tmp_path, tmp_path_factory)
    entry = c.a.entries.add("milestone", {"title": "LATE-IBIS"})
    c.clock.advance(minutes=30)  # the hold is over, but no sync sealed it yet
    assert c.qa.delivery(entry.id).state is DeliveryState.PENDING and c.qa.undoable(entry.id)
    Actions(c.a).withdraw(entry.id)
    c.settle()
    assert c.qa.delivery(entry.id).state is DeliveryState.NEVER_SHARED
    assert b"LATE-IBIS" not in _everything_alex_sent(c, medium)
    assert b"revoke" not in _everything_alex_sent(c, medium)
    c.close()


def test_once_it_has_left_withdrawing_is_a_withdrawal(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c, _medium = _couple(tmp_path, tmp_path_factory)
    entry = c.a.entries.add("milestone", {"title": "Gone out"})
    c.clock.advance(minutes=5)
    c.sa.sync()  # sealed and put: no longer undoable
    assert not c.qa.undoable(entry.id)
    c.sb.sync()
    assert c.b.entries.get(entry.id).title == "Gone out"
    Actions(c.a).withdraw(entry.id)
    assert c.qa.delivery(entry.id).state is DeliveryState.WITHDRAWING
    c.settle()
    assert c.qa.delivery(entry.id).state is DeliveryState.WITHDRAWN
    assert c.b.entries.get(entry.id).visibility == Visibility.WITHDRAWN
    c.close()


def test_undoing_a_share_again_restores_the_withdrawal(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c, medium = _couple(tmp_path, tmp_path_factory)
    Actions(c.a).set_send_hold(timedelta(0))
    entry = c.a.entries.add("milestone", {"title": "Once shared", "note": "v1"})
    c.settle()
    Actions(c.a).withdraw(entry.id)
    c.settle()
    withdrawn = c.qa.delivery(entry.id)
    assert withdrawn.state is DeliveryState.WITHDRAWN
    before = len(medium.history)

    Actions(c.a).set_send_hold(HOLD)
    c.a.entries.edit(entry.id, {"note": "REGRANT-NEWT"})
    Actions(c.a).share_again(entry.id)
    assert c.qa.delivery(entry.id).state is DeliveryState.SENDING
    Actions(c.a).withdraw(entry.id)
    assert c.qa.delivery(entry.id) == withdrawn  # as it was: withdrawn on the same day
    results = c.settle()
    assert sum(r.received for r in results) == 0
    assert c.b.entries.get(entry.id).visibility == Visibility.WITHDRAWN
    sent_after = b"".join(
        p for p in (open_blob_as_sender(c.a, b) for b in medium.history[before:]) if p
    )
    assert b"REGRANT-NEWT" not in sent_after and b'"ops"' not in sent_after
    c.close()


def test_sharing_with_an_unverified_partner_and_the_hold(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Entries written before pairing wait for verification; a new share waits its hold; what
    verifying releases waits behind the hold (in order), and goes at once if it is undone."""
    c = make_couple(tmp_path, tmp_path_factory)
    early = c.a.entries.add("milestone", {"title": "Written before pairing"})
    pair_up(c)
    Actions(c.a).set_send_hold(HOLD)
    new = c.a.entries.add("milestone", {"title": "UNVERIFIED-LYNX"})
    assert c.qa.delivery(early.id).state is DeliveryState.HELD
    assert c.qa.delivery(new.id).state is DeliveryState.SENDING
    c.sa.verify()
    assert c.qa.delivery(early.id).state is DeliveryState.PENDING
    c.settle()
    assert [e.title for e in c.b.entries.all()] == []  # the early one waits behind the hold
    Actions(c.a).withdraw(new.id)
    results = c.settle()
    assert all(r.rejected == 0 and r.problems == [] for r in results)
    assert [e.title for e in c.b.entries.all()] == ["Written before pairing"]
    assert c.qa.delivery(new.id).state is DeliveryState.NEVER_SHARED
    c.close()


def test_unpairing_during_the_hold_sends_nothing_and_says_never_shared(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c, medium = _couple(tmp_path, tmp_path_factory)
    entry = c.a.entries.add("milestone", {"title": "UNPAIRED-MINK"})
    state = load_pair(c.a.conn)
    assert state is not None
    send = state.keys(load_identity(c.a.conn)).send  # gone with the pairing: kept to look
    c.sa.unpair()
    assert c.qa.delivery(entry.id).state is DeliveryState.NEVER_SHARED
    sent = []
    for blob in medium.history + [data for _name, data in blobs_in(c.folder)]:
        try:
            sent.append(open_sealed_by(send, blob))
        except CryptoError:
            continue
    assert set(sent) == {b'{"left": "2026-11-01"}'}  # only the notice that Alex unpaired
    c.close()


def test_the_hold_is_five_minutes_by_default_and_adjustable(vault: Vault) -> None:
    actions = Actions(vault)
    assert actions.queries.send_hold() == timedelta(minutes=5)
    actions.set_send_hold(timedelta(0))
    assert actions.queries.send_hold() == timedelta(0)
    actions.set_send_hold(timedelta(minutes=60))
    assert actions.queries.send_hold() == timedelta(hours=1)
    for bad in (timedelta(seconds=-1), timedelta(minutes=61)):
        with pytest.raises(InvalidField, match="0 to 60 minutes"):
            actions.set_send_hold(bad)
    assert actions.queries.send_hold() == timedelta(hours=1)


# -- random schedules -------------------------------------------------------------------------


def _by(vault: Vault, author: str) -> list[Entry]:
    return [e for e in vault.entries.all() if e.author == author]


STEPS = ["share", "share", "undo", "withdraw", "ack", "sam_adds", "advance", "sync_a", "sync_b"]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(st.sampled_from(STEPS), st.integers(0, 2**16)), max_size=25))
def test_random_schedules_of_shares_undos_and_syncs_stay_in_order(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, int]]
) -> None:
    """Shares, undos, withdrawals and acknowledgements at random moments of their holds, with
    syncs between: every undone entry's words never reach the folder, nothing is refused, and
    once every hold is over both chains agree and Sam holds exactly what Alex shares."""
    c, medium = _couple(tmp_path_factory.mktemp("schedule"), tmp_path_factory)
    alex = Actions(c.a)
    undone: dict[str, str] = {}
    results: list[SyncResult] = []
    for n, (step, seed) in enumerate(steps):
        rng = random.Random(seed)  # noqa: S311  (schedule choices, not a secret)
        mine = [e for e in _by(c.a, c.a.device_id) if e.visibility == Visibility.SHARED]
        if step == "share":
            c.a.entries.add("milestone", {"title": f"SCHEDULE-{n}-{seed}"})
        elif step == "undo" and (held := [e for e in mine if c.qa.undoable(e.id)]):
            entry = rng.choice(held)
            undone[entry.id] = entry.title
            alex.withdraw(entry.id)
        elif step == "withdraw" and mine:
            entry = rng.choice(mine)
            if c.qa.undoable(entry.id):
                undone[entry.id] = entry.title
            alex.withdraw(entry.id)
        elif step == "ack" and (theirs := _by(c.a, c.b.device_id)):
            alex.acknowledge(rng.choice(theirs).id)
        elif step == "sam_adds":
            c.b.entries.add("milestone", {"title": f"From Sam {n}"})
        elif step == "advance":
            c.clock.advance(seconds=rng.randrange(0, 240))
        elif step in ("sync_a", "sync_b"):
            results.append((c.sa if step == "sync_a" else c.sb).sync())
    c.clock.advance(minutes=10)
    results += c.settle(3)
    assert all(r.rejected == r.refused_ops == 0 and not r.problems for r in results), results
    for a_side, b_side in ((c.a, c.b), (c.b, c.a)):
        sent, got = load_pair(a_side.conn), load_pair(b_side.conn)
        assert sent is not None and got is not None
        assert (sent.send_seq, sent.send_chain) == (got.recv_seq, got.recv_chain)
    shared_a = {e.id: e.fields for e in _by(c.a, c.a.device_id) if e.visibility == "shared"}
    on_b = {e.id: e.fields for e in _by(c.b, c.a.device_id) if e.visibility == "shared"}
    assert on_b == shared_a
    sent_text = _everything_alex_sent(c, medium)
    for entry_id, title in undone.items():
        assert title.encode() not in sent_text and entry_id.encode() not in sent_text
        assert c.qb.withdrawal(entry_id) is None
        with pytest.raises(EntryNotFound):
            c.b.entries.get(entry_id)
    c.close()
