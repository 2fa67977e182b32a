"""Drafts kept when the vault locks: inside the vault, this device's alone, gone once finished."""

from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE
from tests.sync.sync_helpers import paired_couple
from trustvault.actions import Actions
from trustvault.errors import EntryNotFound, InvalidField
from trustvault.vault import Vault

DISCLOSURE = {
    "title": "Half a thought",
    "body": "I was going to say",
    "occurred_on": "2026-10-01",
    "approximate": False,
    "category": "",
}


def _ops(vault: Vault) -> int:
    return int(vault.conn.execute("SELECT count(*) FROM outbox_ops").fetchone()[0])


def test_a_draft_is_kept_replaced_and_deleted_with_the_save_that_finishes_it(
    vault: Vault,
) -> None:
    actions = Actions(vault)
    ops = _ops(vault)
    draft = actions.keep_draft("disclosure", DISCLOSURE, visibility="shared")
    assert _ops(vault) == ops  # nothing for the partner: a draft never syncs
    again = actions.keep_draft(
        "disclosure", {**DISCLOSURE, "body": "I was going to say more"}, draft_id=draft.id
    )
    [kept] = actions.queries.drafts()
    assert kept.id == draft.id == again.id
    assert kept.fields["body"] == "I was going to say more"
    assert (kept.kind, kept.entry_id, kept.base_revision) == ("disclosure", None, None)
    assert kept.visibility is None and kept.kept_at.endswith("Z")

    entry = actions.add("disclosure", kept.fields, "private", draft=kept.id)
    assert actions.queries.drafts() == []
    assert actions.queries.entry(entry.id).fields["body"] == "I was going to say more"

    edit = actions.keep_draft(
        "disclosure", {"title": "Better words"}, entry_id=entry.id, base_revision=1
    )
    assert (edit.entry_id, edit.base_revision) == (entry.id, 1)
    actions.edit(entry.id, {"title": "Better words"}, draft=edit.id)
    assert actions.queries.drafts() == []
    assert actions.discard_draft(edit.id) is False  # already gone: nothing to say


def test_a_refused_save_keeps_its_draft(vault: Vault) -> None:
    actions = Actions(vault)
    draft = actions.keep_draft("disclosure", {**DISCLOSURE, "title": ""})
    with pytest.raises(InvalidField):
        actions.add("disclosure", draft.fields, draft=draft.id)
    assert [d.id for d in actions.queries.drafts()] == [draft.id]
    assert actions.discard_draft(draft.id) is True
    assert actions.queries.drafts() == []


def test_drafts_survive_closing_the_vault(vault: Vault) -> None:
    Actions(vault).keep_draft("milestone", {"title": "Weekend away", "note": "\u00e9t\u00e9"})
    folder = vault.folder
    vault.close()
    with Actions.unlock(folder, PASSPHRASE) as actions:
        [draft] = actions.queries.drafts()
        assert draft.fields == {"title": "Weekend away", "note": "\u00e9t\u00e9"}


def test_bad_drafts_are_refused_whole(vault: Vault) -> None:
    actions = Actions(vault)
    with pytest.raises(InvalidField, match="kind"):
        actions.keep_draft("diary", {"title": "x"})
    with pytest.raises(InvalidField, match="visibility"):
        actions.keep_draft("disclosure", DISCLOSURE, visibility="everyone")
    with pytest.raises(InvalidField, match="draft"):
        actions.keep_draft("disclosure", {"title": object()})
    with pytest.raises(InvalidField, match="too long"):
        actions.keep_draft("disclosure", {"body": "x" * 1_000_001})
    with pytest.raises(EntryNotFound):
        actions.keep_draft("disclosure", DISCLOSURE, entry_id="0" * 32)
    milestone = actions.add("milestone", {"title": "Step"})
    with pytest.raises(InvalidField, match="kind"):
        actions.keep_draft("disclosure", DISCLOSURE, entry_id=milestone.id)
    assert actions.queries.drafts() == []


def test_a_withdrawal_erases_the_partners_draft_of_it(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Sam was editing Alex's shared event when Alex withdrew it: the draft held its words."""
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    event = alex.add(
        "event",
        {"title": "Dinner at NIGHTJAR", "start": "2026-11-06T19:00", "end": "2026-11-06T21:00"},
        "shared",
    )
    c.settle()
    sam.keep_draft(
        "event", {"title": "Dinner at NIGHTJAR, moved"}, entry_id=event.id, base_revision=1
    )
    keep = sam.keep_draft("milestone", {"title": "Unrelated"})
    alex.withdraw(event.id)
    c.settle()
    assert c.qb.entry(event.id).visibility == "withdrawn"
    assert [d.id for d in sam.queries.drafts()] == [keep.id]
    c.close()
