"""Questions between the partners and the disclosures that answer them, on two real vaults."""

from datetime import date
from pathlib import Path

import pytest

from tests.sync.sync_helpers import paired_couple
from trustvault.actions import Actions
from trustvault.entries.kinds import validate
from trustvault.errors import InvalidField

TOLD = {"title": "The lunch in March", "occurred_on": "2026-03-02"}


def test_an_answer_links_to_the_partners_question_on_both_devices(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    asked = sam.add("question", {"text": "Did you see them after March?", "setting": "for_session"})
    home = sam.add("question", {"text": "Who else knew?"})
    c.settle()
    (waiting, other) = alex.queries.questions()[:2]
    assert {waiting.entry.id, other.entry.id} == {asked.id, home.id}
    assert not waiting.answered and waiting.status == "asked today"
    assert alex.queries.entry(asked.id).fields["setting"] == "for_session"
    assert alex.queries.entry(home.id).fields["setting"] == "at_home"

    with pytest.raises(InvalidField) as own:
        sam.add("disclosure", {**TOLD, "answers": asked.id})
    assert own.value.field == "answers" and "your own question" in own.value.message
    with pytest.raises(InvalidField) as missing:
        alex.add("disclosure", {**TOLD, "answers": "0" * 32})
    assert "no question" in missing.value.message
    with pytest.raises(InvalidField) as not_one:
        alex.add("disclosure", {**TOLD, "answers": alex.add("milestone", {"title": "x"}).id})
    assert "not a question" in not_one.value.message
    assert alex.queries.count("disclosure") == 0  # nothing half-written

    c.clock.advance(days=3)
    draft = alex.add("disclosure", {**TOLD, "answers": asked.id.upper()}, "private")
    assert draft.fields["answers"] == asked.id
    assert not alex.queries.questions()[0].answered  # a private answer is not told yet
    alex.share(draft.id)
    c.settle()
    for q in (alex.queries, sam.queries):
        by_id = {x.entry.id: x for x in q.questions(date(2026, 11, 9))}
        assert by_id[asked.id].answered and by_id[asked.id].status == "answered after 3 days"
        assert [a.id for a in by_id[asked.id].answers] == [draft.id]
        assert by_id[home.id].status == "waiting 8 days"
        assert [x.entry.id for x in q.questions()] == [home.id, asked.id]  # waiting first
    told = sam.queries.entry(draft.id)
    assert told.fields["answers"] == asked.id
    assert sam.queries.question_of(told) == sam.queries.entry(asked.id)

    with pytest.raises(InvalidField):  # an edit may not point the answer at Alex's own entry
        alex.edit(draft.id, {"answers": alex.add("question", {"text": "Mine"}).id})
    assert alex.queries.entry(draft.id).fields["answers"] == asked.id
    c.close()


def test_question_fields_are_checked() -> None:
    assert validate("question", {"text": " Why? "}) == {"text": "Why?", "setting": "at_home"}
    with pytest.raises(InvalidField) as bad:
        validate("question", {"text": "Why?", "setting": "at_night"})
    assert bad.value.field == "setting"
    with pytest.raises(InvalidField):
        validate("question", {"text": ""})
    with pytest.raises(InvalidField) as link:
        validate("disclosure", {**TOLD, "answers": "abc"})
    assert link.value.field == "answers"
    assert "answers" not in validate("disclosure", TOLD)  # older disclosures keep their form
