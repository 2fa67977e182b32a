"""Triggers on two real vaults: private by default (nothing of one reaches the partner unless
it is shared, that one entry alone); a shared one asks the partner for reassurance, and the
reply (a comment) comes back. The pattern view counts only its author's own, calmly."""

from datetime import date
from pathlib import Path

import pytest

from tests.sync.sync_helpers import blobs_in, open_blob_as_sender, paired_couple
from trustvault.actions import Actions
from trustvault.entries.kinds import validate
from trustvault.errors import InvalidField
from trustvault.triggers import NO_PLACE, STRENGTHS


def test_a_private_trigger_stays_and_a_shared_one_asks_for_reassurance(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    kept = alex.add("trigger", {"what": "A song from that summer", "where": "car", "strength": 7})
    told = alex.add("trigger", {"what": "Phone face down", "where": "kitchen", "strength": 4})
    assert kept.visibility == told.visibility == "private"
    alex.share(told.id)
    c.settle()
    assert [e.id for e in sam.queries.all("trigger")] == [told.id]
    for _, blob in blobs_in(c.folder):  # not even sealed: the private one never left
        assert b"that summer" not in (open_blob_as_sender(c.a, blob) or b"")
    shown = sam.queries.entry(told.id)
    assert sam.queries.reassurance_prompt(shown) == "What would help Alex feel safe right now?"
    assert alex.queries.reassurance_prompt(told) is None  # one's own asks nothing of oneself
    sam.comment(told.id, "I am here. My phone is on the table, open, whenever you want.")
    c.settle()
    (reply,) = alex.queries.comments(told.id)
    assert (reply.person, reply.text) == (c.b.device_id, "I am here. My phone is on the "
                                          "table, open, whenever you want.")  # fmt: skip
    assert alex.queries.trigger_patterns().total == 2
    assert sam.queries.trigger_patterns().total == 0  # Alex's shared one is not Sam's pattern
    c.close()


def test_the_pattern_view_counts_by_week_place_strength_and_time_of_day(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex = Actions(c.a, c.transport_a)
    for what, where, strength, felt in [
        ("Late text", "Kitchen", 3, "2026-10-30T08:15"),
        ("Her name on TV", "kitchen", 8, "2026-10-31T21:40"),
        ("The hotel ad", "", 5, "2026-11-01T23:30"),
        ("That restaurant", "town", 6, "2026-10-12"),
    ]:
        alex.add("trigger", {"what": what, "where": where, "strength": strength, "felt_at": felt})
    found = alex.queries.trigger_patterns(date(2026, 11, 1))
    assert found.total == 4
    assert found.by_week[-3:] == ((date(2026, 10, 12), 1), (date(2026, 10, 19), 0),
                                  (date(2026, 10, 26), 3))  # fmt: skip
    assert len(found.by_week) == 8
    assert found.by_place == (("Kitchen", 2), ("town", 1), (NO_PLACE, 1))
    assert found.by_strength == ((STRENGTHS[0], 1), (STRENGTHS[1], 2), (STRENGTHS[2], 1))
    assert dict(found.by_time) == {
        "morning": 1, "afternoon": 0, "evening": 1, "night": 1, "time not noted": 1
    }  # fmt: skip
    words = "\n".join(found.lines())
    assert "4 triggers logged." in words and "By place: Kitchen 2, town 1" in words
    assert "score" not in words and "average" not in words
    c.close()


def test_a_trigger_needs_what_and_a_strength_from_1_to_10() -> None:
    with pytest.raises(InvalidField) as empty:
        validate("trigger", {"strength": 3})
    assert empty.value.field == "what"
    with pytest.raises(InvalidField) as strong:
        validate("trigger", {"what": "A song", "strength": 11})
    assert strong.value.field == "strength"
    assert validate("trigger", {"what": " A song ", "strength": "2"}) == {
        "what": "A song", "where": "", "strength": 2
    }  # fmt: skip
