"""The entry store's own promises: history is never rewritten, nothing changes without a change."""

from trustvault.vault import Vault


def test_an_unchanged_edit_adds_no_revision_even_at_zero_seconds(vault: Vault) -> None:
    """disclosed_at is stored in the same canonical form validation produces (no ':00')."""
    entry = vault.entries.add("disclosure", {"title": "T", "occurred_on": "2026-10-01"})
    assert vault.entries.edit(entry.id, {"title": "T"}).revision == 1
    assert len(vault.entries.history(entry.id)) == 1
