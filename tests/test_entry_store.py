"""The entry store's own promises: history is never rewritten, nothing changes without a change."""

from functools import reduce
from itertools import permutations
from pathlib import Path

import pytest

from tests.helpers import ManualClock, shared_prefix
from trustvault.entries.kinds import validate
from trustvault.entries.merge import Version, winner
from trustvault.entries.model import Entry, Revision
from trustvault.errors import AmbiguousId
from trustvault.queries import Queries
from trustvault.storage.entry_store import AMBIGUOUS_SHOWN
from trustvault.storage.transaction import transaction
from trustvault.sync.apply import withdraw
from trustvault.vault import Vault

START = "2026-12-01T19:00"


def test_an_unchanged_edit_adds_no_revision_even_at_zero_seconds(vault: Vault) -> None:
    """disclosed_at is stored in the same canonical form validation produces (no ':00')."""
    entry = vault.entries.add("disclosure", {"title": "T", "occurred_on": "2026-10-01"})
    assert vault.entries.edit(entry.id, {"title": "T"}).revision == 1
    assert len(vault.entries.history(entry.id)) == 1


def test_timeline_orders_mixed_date_forms_by_time(vault: Vault) -> None:
    forms = {
        "a": "2026-05-03T00:07Z",  # 00:07:00 UTC
        "b": "2026-05-03T00:07:29Z",  # 29 s later
        "c": "2026-05-03T04:00+05:00",  # 2026-05-02T23:00 UTC: the earliest
        "d": "2026-05-03",  # midnight, floating
    }
    for title, when in forms.items():
        vault.entries.add("disclosure", {"title": title, "occurred_on": when})
    newest_first = [e.title for e in vault.entries.page(10)]
    assert newest_first == ["b", "a", "d", "c"]


def test_page_filters_by_author_and_pages_on(vault: Vault) -> None:
    vault.entries.add_many(
        ("milestone", {"title": f"m{i}", "due_on": f"2026-01-{i + 1:02d}"}, None) for i in range(5)
    )
    mine = vault.entries.page(2, author=vault.device_id)
    assert [e.title for e in mine] == ["m4", "m3"]
    rest = vault.entries.page(10, author=vault.device_id, before=vault.entries.cursor_of(mine[-1]))
    assert [e.title for e in rest] == ["m2", "m1", "m0"]
    assert vault.entries.page(10, author="someone else") == []


def _page_steps(vault: Vault, **filters: str) -> int:
    """How much work (SQLite virtual-machine steps, in hundreds) reading a page of 20 takes."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    vault.conn.set_progress_handler(count, 100)
    try:
        assert len(vault.entries.page(20, **filters)) == 20
    finally:
        vault.conn.set_progress_handler(None, 100)
    return steps[0]


def test_a_filtered_page_costs_what_an_unfiltered_one_does(vault: Vault) -> None:
    """Schema 25: a page of one kind, or of one person's entries, is read from an index in
    timeline order, not sorted from every entry of the kind (153 ms a page of check-ins in a
    vault of 100,000 before)."""
    vault.entries.add_many(
        ("checkin", {"mood": 5, "safety": 5, "note": f"n{i}"}, None) for i in range(3000)
    )
    unfiltered = _page_steps(vault)
    for filters in ({"kind": "checkin"}, {"author": vault.device_id}):
        assert _page_steps(vault, **filters) <= 2 * unfiltered, filters
    both = _page_steps(vault, kind="checkin", author=vault.device_id)
    assert both <= 2 * unfiltered


def test_a_new_vault_clears_what_an_interrupted_create_left(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    leftover = folder / ".init-0123456789ab"
    leftover.mkdir(parents=True)
    (leftover / "vault.db").write_bytes(b"half-made, encrypted")
    Vault.create(folder, "a long passphrase", "Alex", kdf_profile="interactive").close()
    assert not leftover.exists()
    assert sorted(p.name for p in folder.iterdir()) == ["vault.db", "vault.key"]


def test_put_version_keeps_the_merge_winner_current_in_any_order(vault: Vault) -> None:
    """The cached current version and the history's order both follow trustvault.entries.merge,
    whatever order the versions arrive in (here the top revision is a tie between editors)."""
    me, partner = vault.device_id, "f" * 32  # the partner's id sorts after this device's
    arriving = [Version(2, me), Version(2, partner), Version(3, me), Version(3, partner)]
    start = "2026-12-01T19:00"
    for order in permutations(arriving):
        entry = vault.entries.add("event", {"title": "first", "start": start})
        for v in order:
            fields = validate("event", {"title": f"{v.revision} by {v.editor}", "start": start})
            assert vault.entries.put_version(entry.id, v.revision, v.editor, "2026-11-02", fields)
        history = [Version(r.revision, r.editor) for r in vault.entries.history(entry.id)]
        current = vault.entries.get(entry.id)
        assert Version(current.revision, current.editor) == Version(3, partner)
        assert reduce(winner, history) == Version(3, partner)
        assert history[-1] == Version(3, partner), "history ends with the current version"
        assert current.fields["title"] == f"3 by {partner}"
        copy = validate("event", {"title": "the same key again", "start": start})
        assert not vault.entries.put_version(entry.id, 3, partner, "2026-11-03", copy)
        assert vault.entries.get(entry.id) == current, "an identical version changes nothing"


def test_an_ambiguous_prefix_names_the_first_matches_and_counts_all(vault: Vault) -> None:
    made = vault.entries.add_many(
        ("milestone", {"title": f"m{i}", "due_on": "2026-01-01"}, None) for i in range(12)
    )
    ids = sorted(e.id for e in made)
    shared = shared_prefix(ids)
    assert len(shared) >= 6
    with pytest.raises(AmbiguousId) as raised:
        vault.entries.find(shared)
    assert (raised.value.matches, raised.value.total) == (tuple(ids[:AMBIGUOUS_SHOWN]), 12)
    assert vault.entries.find(ids[-1]).title == "m11"


def test_history_lists_each_version_once_oldest_first_the_current_last(
    vault: Vault, clock: ManualClock
) -> None:
    entry = vault.entries.add("milestone", {"title": "first"}, "private")
    assert vault.entries.history(entry.id) == [
        Revision(entry.id, 1, vault.device_id, entry.updated, entry.fields)
    ]
    clock.advance(minutes=1)
    vault.entries.edit(entry.id, {"title": "second"})
    clock.advance(minutes=1)
    current = vault.entries.edit(entry.id, {"title": "third"})
    history = vault.entries.history(entry.id)
    assert [(r.revision, r.fields["title"]) for r in history] == [
        (1, "first"),
        (2, "second"),
        (3, "third"),
    ]
    assert [r.updated for r in history] == [
        "2026-11-01T09:00:00Z",
        "2026-11-01T09:01:00Z",
        "2026-11-01T09:02:00Z",
    ]
    assert (history[-1].updated, history[-1].fields) == (current.updated, current.fields)
    assert vault.entries.max_revision(entry.id) == 3
    assert Queries(vault).drafts_before_sharing(current) == 2  # what "Share…" offers to hold back


def test_a_losing_version_joins_the_history_and_a_repeated_one_adds_nothing(vault: Vault) -> None:
    me, partner = vault.device_id, "f" * 32  # the partner's id sorts after this device's
    entry = vault.entries.add("event", {"title": "first", "start": START}, "shared")
    theirs = validate("event", {"title": "theirs", "start": START})
    mine = validate("event", {"title": "mine", "start": START})
    assert vault.entries.put_version(entry.id, 2, partner, "2026-11-02", theirs)
    assert vault.entries.put_version(entry.id, 2, me, "2026-11-03", mine)  # the editor loses
    current = vault.entries.get(entry.id)
    assert (current.revision, current.editor, current.fields) == (2, partner, theirs)
    assert current.updated == "2026-11-02"
    before = vault.entries.history(entry.id)
    assert [(r.revision, r.editor, r.fields["title"]) for r in before] == [
        (1, me, "first"),
        (2, me, "mine"),
        (2, partner, "theirs"),
    ]
    for revision, editor in ((1, me), (2, me), (2, partner)):  # old, losing, current: all known
        again = validate("event", {"title": "again", "start": START})
        assert not vault.entries.put_version(entry.id, revision, editor, "2026-11-04", again)
    assert vault.entries.history(entry.id) == before
    assert vault.entries.get(entry.id) == current


def test_new_entries_write_no_revisions_row(vault: Vault) -> None:
    """A new entry's only version is its current one, stored once (schema 23)."""
    made = vault.entries.add_many(("milestone", {"title": f"m{i}"}, None) for i in range(50))
    assert vault.conn.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0
    for entry in made:
        assert [r.fields for r in vault.entries.history(entry.id)] == [entry.fields]
        assert vault.entries.max_revision(entry.id) == 1


def test_a_withdrawn_entry_has_no_history_until_it_is_given_back(vault: Vault) -> None:
    """As applying the partner's ops writes it: their milestone, edited, withdrawn (a tombstone
    that keeps no version), then given again at a later revision and edited."""
    store, partner, entry_id = vault.entries, "f" * 32, "0190" + "c" * 28

    def given(title: str, revision: int) -> None:
        fields = validate("milestone", {"title": title})
        at = f"2026-11-0{revision}"
        store.insert_entry(Entry(entry_id, "milestone", partner, at, at, "shared", fields,
                                 revision, partner))  # fmt: skip

    with transaction(vault.conn):
        given("told", 1)
        store.put_version(entry_id, 2, partner, "2026-11-02", validate("milestone", {"title": "e"}))
        withdraw(store, entry_id, partner, "2026-11-03T10:00:00Z")
    tomb = store.get(entry_id)
    assert (tomb.visibility, tomb.fields, store.history(entry_id)) == ("withdrawn", {}, [])
    assert store.max_revision(entry_id) == 0

    with transaction(vault.conn):
        store.drop_tombstone(entry_id)
        given("told again", 4)
        store.put_version(entry_id, 3, partner, "2026-11-05", validate("milestone", {"title": "l"}))
        store.put_version(entry_id, 5, partner, "2026-11-06", validate("milestone", {"title": "n"}))
    assert [(r.revision, r.fields["title"]) for r in store.history(entry_id)] == [
        (3, "l"),
        (4, "told again"),
        (5, "n"),
    ]
    assert (store.get(entry_id).title, store.max_revision(entry_id)) == ("n", 5)


def test_a_version_put_on_a_tombstone_keeps_no_empty_version(vault: Vault) -> None:
    """A tombstone's ``{}`` is no version: a version recorded over it does not push it into the
    history (this app drops a tombstone before taking its entry back; the store holds anyway)."""
    store, partner, entry_id = vault.entries, "f" * 32, "0190" + "d" * 28
    fields = validate("milestone", {"title": "told"})
    with transaction(vault.conn):
        store.insert_entry(Entry(entry_id, "milestone", partner, "2026-11-01", "2026-11-01",
                                 "shared", fields, 1, partner))  # fmt: skip
        withdraw(store, entry_id, partner, "2026-11-02T10:00:00Z")
        assert store.put_version(entry_id, 2, partner, "2026-11-03", fields)
    assert [(r.revision, r.fields) for r in store.history(entry_id)] == [(2, fields)]
    assert vault.conn.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0
