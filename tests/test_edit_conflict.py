"""An edit begun on an older revision is refused whole: it never silently undoes a newer one."""

from pathlib import Path

import pytest

from tests.sync.sync_helpers import paired_couple
from trustvault.actions import Actions
from trustvault.errors import EditConflict

EVENT = {"title": "Dinner", "start": "2026-11-06T19:00", "end": "2026-11-06T21:00"}


def test_an_edit_on_a_revision_the_partner_replaced_is_refused(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    event = alex.add("event", {**EVENT, "location": ""}, "shared")
    c.settle()
    sam.edit(event.id, {"location": "Sam's kitchen"}, base_revision=1)
    c.settle()
    draft = alex.keep_draft("event", {"notes": "bring wine"}, entry_id=event.id, base_revision=1)

    with pytest.raises(EditConflict, match="revision 1 is now 2") as refused:
        alex.edit(event.id, {"notes": "bring wine"}, base_revision=1, draft=draft.id)
    assert (refused.value.base, refused.value.current) == (1, 2)
    now = alex.queries.entry(event.id)
    assert (now.revision, now.fields["location"], now.fields["notes"]) == (2, "Sam's kitchen", "")
    assert [d.id for d in alex.queries.drafts()] == [draft.id]  # nothing was saved, not even that

    rebased = alex.edit(event.id, {"notes": "bring wine"}, base_revision=2, draft=draft.id)
    assert (rebased.revision, rebased.fields["location"]) == (3, "Sam's kitchen")
    assert alex.queries.drafts() == []
    c.close()


def test_a_stale_proposal_is_refused_too(tmp_path: Path) -> None:
    with Actions.create(tmp_path / "v", "correct horse battery", "Alex",
                        kdf_profile="interactive") as actions:  # fmt: skip
        agreement = actions.add("agreement", {"title": "Phones", "text": "open"})
        actions.propose_revision(agreement.id, {"text": "open, always"}, base_revision=1)
        with pytest.raises(EditConflict):
            actions.propose_revision(agreement.id, {"text": "open, mostly"}, base_revision=1)
        assert actions.queries.entry(agreement.id).fields["text"] == "open, always"
