"""Reading safety on two real vaults: a content note and a level of detail travel with the
disclosure; holding and putting away stay on the reader's device and tell the author nothing."""

from pathlib import Path

import pytest

from tests.sync.sync_helpers import paired_couple
from trustvault.actions import Actions
from trustvault.entries.kinds import validate
from trustvault.errors import InvalidField
from trustvault.results import Reading

TOLD = {"title": "The hotel in June", "occurred_on": "2026-06-02"}


def test_holding_and_putting_away_stay_on_the_readers_device(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    hard = alex.add("disclosure", {**TOLD, "content_note": "Physical details", "detail": "full"})
    other = alex.add("milestone", {"title": "Ten sessions"})
    c.settle()
    told = sam.queries.entry(hard.id)
    assert (told.fields["content_note"], told.fields["detail"]) == ("Physical details", "full")

    alex_before = (alex.queries.delivery(hard.id), alex.queries.responses(hard.id))
    sam.hold_for_session(hard.id)
    sam.put_away(other.id)
    assert sam.queries.reading(hard.id) == Reading(held=True)
    assert sam.queries.held_ids() == {hard.id} and sam.queries.put_away_ids() == {other.id}
    timeline = [e.id for e in sam.queries.page(put_away=False)]
    assert hard.id in timeline and other.id not in timeline
    assert [e.id for e in sam.queries.page(put_away=True)] == [other.id]
    assert len(sam.queries.page()) == len(timeline) + 1  # every entry, for counts and export
    with pytest.raises(InvalidField):
        alex.hold_for_session(hard.id)  # one holds what the partner shared, not one's own
    results = c.settle()
    assert all(r.received == 0 for r in results[::2])  # nothing came to Alex's device
    assert alex.queries.reading(hard.id) == Reading()
    assert (alex.queries.delivery(hard.id), alex.queries.responses(hard.id)) == alex_before
    assert all(r.sent == 0 for r in results[1::2])  # and Sam's device sent nothing

    sam.open_held(hard.id)
    sam.bring_back(other.id)
    assert sam.queries.reading(hard.id) == sam.queries.reading(other.id) == Reading()
    assert other.id in [e.id for e in sam.queries.page(put_away=False)]
    c.close()


def test_a_content_note_and_a_level_of_detail_are_checked() -> None:
    fields = validate("disclosure", {**TOLD, "content_note": " Names ", "detail": "outline"})
    assert (fields["content_note"], fields["detail"]) == ("Names", "outline")
    with pytest.raises(InvalidField) as bad:
        validate("disclosure", {**TOLD, "detail": "everything"})
    assert bad.value.field == "detail"
    with pytest.raises(InvalidField) as long:
        validate("disclosure", {**TOLD, "content_note": "x" * 121})
    assert long.value.field == "content_note"
    assert "detail" not in validate("disclosure", TOLD)
