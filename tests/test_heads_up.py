"""A heads-up on two real vaults: told in two short fields, counted apart from disclosures."""

from pathlib import Path

import pytest

from tests.sync.sync_helpers import paired_couple
from trustvault.actions import Actions
from trustvault.entries.kinds import validate
from trustvault.errors import InvalidField


def test_a_heads_up_reaches_the_partner_and_counts_apart(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    small = alex.add("headsup", {"what": "Jordan messaged me", "response": "I did not reply"})
    alex.add("disclosure", {"title": "The lunch", "occurred_on": "2026-10-30"})
    assert small.visibility == "shared" and small.title == "Jordan messaged me"
    c.settle()
    told = sam.queries.entry(small.id)
    assert told.fields == {"what": "Jordan messaged me", "response": "I did not reply"}
    for q in (alex.queries, sam.queries):
        counts = q.summary()["counts"]
        assert (counts["headsup"], counts["disclosure"]) == (1, 1)
        assert len(q.summary()["disclosure_latency"]["per_disclosure"]) == 1  # not a latency
    assert [e.id for e in sam.queries.search("reply")] == [small.id]
    c.close()


def test_a_heads_up_needs_what_happened() -> None:
    with pytest.raises(InvalidField) as empty:
        validate("headsup", {"response": "I did not reply"})
    assert empty.value.field == "what"
    assert validate("headsup", {"what": " A call "}) == {"what": "A call", "response": ""}
