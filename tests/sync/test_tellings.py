"""The latency both partners see is counted in the reader's records, not the author's words.

Two real vaults through a real folder: a disclosure written the day after its event, kept
private for 60 days and then shared, reads as 61 days on both devices; the author's own date
and the days it was kept private stand beside it. A modified author client (an early
``disclosed_at``, arrival rows written on its own device) changes nothing on the partner's
device; a partner's device that lies about the day is bounded where it could flatter.
"""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.sync.sync_helpers import Couple, paired_couple
from trustvault.actions import Actions
from trustvault.storage import telling_store
from trustvault.storage.transaction import transaction
from trustvault.sync import outbox
from trustvault.sync.pair_state import load_pair, save_pair


def _kept_private_then_shared(c: Couple, **fields: str) -> str:
    c.clock.now = datetime(2026, 10, 2, 9, 0, tzinfo=UTC)
    alex = Actions(c.a, c.transport_a)
    entry = alex.add(
        "disclosure", {"title": "The lunch", "occurred_on": "2026-10-01", **fields}, "private"
    )
    c.clock.advance(days=60)  # 1 December
    alex.share(entry.id)
    c.settle(2)
    return entry.id


def test_kept_private_60_days_reads_61_on_both_devices(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "c", tmp_path_factory)
    entry_id = _kept_private_then_shared(c)
    for q in (c.qa, c.qb):
        told = q.telling(q.entry(entry_id))
        assert told is not None and told.verified
        assert (told.days, told.dated_days, told.kept_private_days) == (61, 1, 60)
        assert told.received_on is not None and told.received_on.isoformat() == "2026-12-01"
    assert c.qb.telling(c.qb.entry(entry_id)).notes("Alex") == [  # type: ignore[union-attr]
        "kept private 60 days before sharing",
        "Alex dated it 2 Oct 2026",
    ]
    assert c.qa.telling(c.qa.entry(entry_id)).shared_on.isoformat() == "2026-12-01"  # type: ignore[union-attr]
    for summary in (c.qa.summary(), c.qb.summary()):
        lat = summary["disclosure_latency"]
        assert [(d["days"], d["verified"]) for d in lat["per_disclosure"]] == [(61, True)]
        assert lat["median_days"] == 61 and lat["verified_count"] == 1
    c.close()


def test_a_modified_author_client_cannot_shorten_the_partners_figure(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The author dates it the day of the event and writes an early arrival on its own device;
    Sam's device still counts from its own receipt. A lying partner is bounded (too early)."""
    c = paired_couple(tmp_path / "c", tmp_path_factory)
    entry_id = _kept_private_then_shared(c, disclosed_at="2026-10-01")
    with transaction(c.a.conn):  # what a modified client could write into its own vault
        c.a.conn.execute("DELETE FROM arrivals")
        telling_store.add_arrivals(c.a.conn, [(entry_id, 1, "2026-10-01")])
    sam = c.qb.telling(c.qb.entry(entry_id))
    assert sam is not None and sam.days == 61 and sam.dated_days == 0
    assert sam.notes("Alex")[-1] == "Alex dated it 1 Oct 2026"

    # Sam's device claims it arrived a week before Alex's device ever shared it: refused.
    with transaction(c.b.conn):
        state = load_pair(c.b.conn)
        assert state is not None
        body = {"id": entry_id, "rev": 1, "on": "2026-11-20"}
        outbox.record(c.b.conn, state, "received", body, None)
        save_pair(c.b.conn, state)
    with transaction(c.a.conn):
        c.a.conn.execute("DELETE FROM arrivals")
    c.sb.sync()
    assert c.sa.sync().refused_ops == 1
    assert c.qa.telling(c.qa.entry(entry_id)).received_on is None  # type: ignore[union-attr]
    c.close()


def test_only_the_authors_shared_disclosure_takes_a_receipt(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A receipt for an entry that is not Alex's disclosure, or a version never shared, is
    refused; Sam's own disclosures get Sam no receipt from itself."""
    c = paired_couple(tmp_path / "c", tmp_path_factory)
    alex = Actions(c.a, c.transport_a)
    secret = alex.add("disclosure", {"title": "Private", "occurred_on": "2026-10-01"}, "private")
    event = alex.add("event", {"title": "Dinner", "start": "2026-11-03T19:00:00Z"}, "shared")
    c.settle(1)
    with transaction(c.b.conn):
        state = load_pair(c.b.conn)
        assert state is not None
        for entry_id in (secret.id, event.id):
            body = {"id": entry_id, "rev": 1, "on": "2026-11-01"}
            outbox.record(c.b.conn, state, "received", body, None)
        save_pair(c.b.conn, state)
    c.sb.sync()
    assert c.sa.sync().refused_ops == 2
    assert telling_store.arrivals(c.a.conn, secret.id) == []
    c.close()


def test_every_arrival_of_a_sync_goes_back_in_one_op_and_reads_on_both_devices(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Sam's device names all the versions that came in one sync in one ``received_versions``
    op (not one op each); Alex's device takes the word for each of them."""
    c = paired_couple(tmp_path / "c", tmp_path_factory)
    c.clock.now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    alex = Actions(c.a, c.transport_a)
    before = load_pair(c.b.conn)
    assert before is not None
    ids = [
        alex.add("disclosure", {"title": f"Told {n}", "occurred_on": "2026-11-01"}, "shared").id
        for n in range(3)
    ]
    c.settle(2)
    after = load_pair(c.b.conn)
    assert after is not None and after.send_seq == before.send_seq + 1, "one op for all three"
    for q in (c.qa, c.qb):
        for entry_id in ids:
            told = q.telling(q.entry(entry_id))
            assert told is not None and told.verified and told.days == 1
            assert told.received_on is not None and told.received_on.isoformat() == "2026-11-02"
    c.close()


def test_a_received_versions_op_with_one_false_version_is_refused_whole(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A modified reader's op naming Alex's disclosure and Alex's event is refused with
    nothing of it kept; one naming an entry Alex deleted since skips that entry only."""
    c = paired_couple(tmp_path / "c", tmp_path_factory)
    c.clock.now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    alex = Actions(c.a, c.transport_a)
    told = alex.add("disclosure", {"title": "Told", "occurred_on": "2026-11-01"}, "shared")
    gone = alex.add("disclosure", {"title": "Gone", "occurred_on": "2026-11-01"}, "shared")
    other = alex.add("disclosure", {"title": "Other", "occurred_on": "2026-11-01"}, "shared")
    event = alex.add("event", {"title": "Dinner", "start": "2026-11-03T19:00:00Z"}, "shared")
    c.settle(2)
    alex.delete(gone.id)
    with transaction(c.a.conn):
        c.a.conn.execute("DELETE FROM arrivals")
    with transaction(c.b.conn):
        state = load_pair(c.b.conn)
        assert state is not None
        for versions in ([[told.id, 1], [event.id, 1]], [[gone.id, 1], [other.id, 1]]):
            body = {"on": "2026-11-02", "versions": versions}
            outbox.record(c.b.conn, state, "received_versions", body, None)
        save_pair(c.b.conn, state)
    c.sb.sync()
    result = c.sa.sync()
    assert result.refused_ops == 1
    assert telling_store.arrivals(c.a.conn, told.id) == [], "the refused op left nothing"
    assert [tuple(r) for r in telling_store.arrivals(c.a.conn, other.id)] == [(1, "2026-11-02")]
    c.close()
