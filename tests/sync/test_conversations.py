"""Structured conversations between two real vaults through a real folder: each part stays on
its writer's device until both are done, then both show together on both devices; a modified
client can neither read the other's part early nor reveal one it did not commit to."""

import hashlib
from pathlib import Path

import pytest

from crypto.commitment import commit, opens
from tests.sync.sync_helpers import (
    Couple,
    blobs_in,
    open_blob_as_sender,
    paired_couple,
    record_as_sam,
)
from trustvault.actions import Actions
from trustvault.conversation_view import PartState
from trustvault.conversations import framed
from trustvault.errors import InvalidField, PairingError
from trustvault.storage import conversation_store
from trustvault.storage.conversation_store import ConversationRow, PartRow
from trustvault.vault import Vault

ALEX_WORDS = {"feelings": "Tender and a little scared", "ownership": "I went quiet on Tuesday"}
SAM_WORDS = {"feelings": "Hopeful", "appreciation": "You made soup when I was tired"}


def _sealed(c: Couple) -> bytes:
    """Everything Sam's device can read in the folder: Alex's envelopes, opened."""
    return b"".join(
        opened
        for _, blob in blobs_in(c.folder)
        if (opened := open_blob_as_sender(c.a, blob)) is not None
    )


def test_both_parts_show_together_and_only_once_both_are_done(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    event = alex.add("event", {"title": "Sunday check-in", "start": "2026-11-01T18:00:00+00:00",
                               "event_kind": "check_in"}, "shared")  # fmt: skip
    c.settle(1)
    opened = alex.start_conversation("fanos", event_id=event.id,
                                     original_start="2026-11-01T18:00:00Z")  # fmt: skip
    assert opened.original_start == "2026-11-01T18:00:00+00:00"
    alex.write_part(opened.id, ALEX_WORDS)
    alex.sync()
    sam.sync()
    theirs = sam.queries.conversation(opened.id)
    assert (theirs.template.key, theirs.event_id) == ("fanos", event.id)
    assert theirs.partner.state is PartState.WRITING and theirs.partner.answers == {}
    assert sam.queries.conversations_of(event.id, "2026-11-01T19:00:00+01:00")[0].id == opened.id
    assert sam.queries.conversations_of(event.id, "2026-11-08T18:00:00+00:00") == []

    done = alex.finish_part(opened.id)
    assert done.mine.state is PartState.DONE and not done.both_shown
    with pytest.raises(InvalidField, match="can no longer change"):
        alex.write_part(opened.id, {"needs": "more"})
    alex.sync()
    sam.sync()
    seen = sam.queries.conversation(opened.id)
    assert seen.partner.state is PartState.DONE and seen.partner.answers == {}
    assert b"a little scared" not in _sealed(c)  # nothing Sam's device could read holds it

    with pytest.raises(InvalidField, match="at least one part"):
        sam.finish_part(opened.id)
    sam.write_part(opened.id, SAM_WORDS)
    after = sam.finish_part(opened.id)  # Alex is done already: Sam's part goes at once
    assert after.partner.answers == {} and not after.both_shown
    sam.sync()
    alex.sync()  # Sam's done and part arrive; Alex's part goes now
    mine = alex.queries.conversation(opened.id)
    assert mine.both_shown and mine.partner.answers["appreciation"] == SAM_WORDS["appreciation"]
    sam.sync()
    shown = sam.queries.conversation(opened.id)
    assert shown.both_shown and shown.partner.answers["ownership"] == ALEX_WORDS["ownership"]
    assert shown.mine.answers["feelings"] == "Hopeful"
    results = c.settle()
    assert all(r.refused_ops == 0 and r.rejected == 0 for r in results), [
        r.problems for r in results
    ]
    c.close()


def test_opening_a_conversation_checks_what_it_names(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex = Actions(c.a, c.transport_a)
    private = alex.add("event", {"title": "Mine", "start": "2026-11-01T18:00:00+00:00"}, "private")
    with pytest.raises(InvalidField, match="share the event first"):
        alex.start_conversation("fanos", event_id=private.id, original_start="2026-11-01T18:00Z")
    with pytest.raises(InvalidField, match="is not one of fanos"):
        alex.start_conversation("therapy-notes")
    with pytest.raises(InvalidField, match="both the event and the start"):
        alex.start_conversation("fanos", event_id=private.id)
    alex.unpair()
    with pytest.raises(PairingError, match="pair first"):
        alex.start_conversation("state_of_the_union")
    assert alex.queries.conversations() == []  # nothing half-written
    c.close()


def test_a_modified_client_cannot_reveal_early_or_change_its_part(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex = Actions(c.a, c.transport_a)
    cid = alex.start_conversation("state_of_the_union").id
    alex.write_part(cid, {"issue": "The late nights"})
    alex.sync()
    c.sb.sync()
    sam = c.b.device_id
    answers = {"appreciations": "Your patience", "issue": "", "need": "", "loved": ""}
    opening, commitment = commit(framed(cid, sam, "state_of_the_union", answers))
    reveal = {"cid": cid, "answers": answers, "opening": opening.hex(), "at": "2026-11-01T09:00Z"}
    record_as_sam(c, "reveal", reveal)  # before any "done": no commitment to open
    record_as_sam(c, "done", {"cid": cid, "commit": commitment.hex(), "at": "2026-11-01T09:00Z"})
    record_as_sam(c, "reveal", reveal)  # before Alex is done
    c.sb.sync()
    early = c.sa.sync()
    assert early.refused_ops == 2, early.problems
    assert "before your partner was done" in early.problems[0]
    assert "before yours was done" in early.problems[1]
    assert alex.queries.conversation(cid).partner.answers == {}

    alex.finish_part(cid)
    changed = {**answers, "issue": "Something else after reading yours"}
    forged = [
        {**reveal, "answers": changed},  # not what was committed to
        {**reveal, "opening": bytes(32).hex()},  # the wrong opening
        {**reveal, "answers": {**answers, "extra": "x"}},  # a part the template has not
        {"cid": cid, "commit": bytes(32).hex(), "at": "2026-11-01T09:01Z"},  # a new commitment
        {"cid": "c-other", "template": "fanos", "event": "", "start": "", "by": c.a.device_id,
         "at": "2026-11-01T09:00Z"},  # a conversation in Alex's name
    ]  # fmt: skip
    kinds = ["reveal", "reveal", "reveal", "done", "conversation"]
    for kind, body in zip(kinds, forged, strict=True):
        record_as_sam(c, kind, body)
    record_as_sam(c, "reveal", reveal)  # the honest one, at last
    c.sb.sync()
    result = c.sa.sync()
    assert result.refused_ops == len(forged), result.problems
    assert sum("does not match what your partner committed to" in p for p in result.problems) == 2
    shown = alex.queries.conversation(cid)
    assert shown.both_shown and shown.partner.answers == answers
    c.close()


def test_a_commitment_is_the_framed_keyed_blake2b_of_protocol_md() -> None:
    """An independent computation of §6b (hashlib, not crypto/), so the two cannot drift."""
    opening, part = bytes(range(32)), b'{"a":{},"by":"d","c":"c1","tpl":"fanos"}'
    label = b"tv:conversation-part:v1"
    framed_input = len(label).to_bytes(8, "big") + label + len(part).to_bytes(8, "big") + part
    expected = hashlib.blake2b(framed_input, digest_size=32, key=opening).digest()
    assert opens(expected, opening, part)
    assert framed("c1", "d", "fanos", {}) == part


def test_a_commitment_hides_and_binds() -> None:
    opening, commitment = commit(b"fine")
    again, other = commit(b"fine")
    assert commitment != other and opening != again  # a fresh opening each time: nothing to guess
    assert opens(commitment, opening, b"fine")
    assert not opens(commitment, opening, b"fine.")
    assert not opens(commitment, again, b"fine")
    assert not opens(commitment, opening[:16], b"fine")


def test_a_part_set_aside_is_never_due_to_be_revealed(vault: Vault) -> None:
    """Set aside after unpairing means it stops: were the two to pair again with both parts
    done, this device would still not send its part."""
    me, partner = vault.device_id, "f" * 32
    row = ConversationRow("c" * 32, "fanos", "", "", me, "2026-12-01T10:00:00+00:00")
    conversation_store.add(vault.conn, row)
    for person in (me, partner):
        part = PartRow(row.id, person, {"feelings": "x"}, b"c" * 32, b"o" * 32, "2026-12-01", "")
        conversation_store.put_part(vault.conn, part)
    assert conversation_store.unrevealed_done(vault.conn, me, partner) == [row.id]
    conversation_store.set_aside(vault.conn, row.id, "2026-12-02T10:00:00+00:00")
    assert conversation_store.unrevealed_done(vault.conn, me, partner) == []
    assert conversation_store.get(vault.conn, row.id) == row  # an op naming it still matches
