"""The entry store's own promises: history is never rewritten, nothing changes without a change."""

from functools import reduce
from itertools import permutations
from pathlib import Path

import pytest

from tests.helpers import shared_prefix
from trustvault.entries.kinds import validate
from trustvault.entries.merge import Version, winner
from trustvault.errors import AmbiguousId
from trustvault.storage.entry_store import AMBIGUOUS_SHOWN
from trustvault.vault import Vault


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
