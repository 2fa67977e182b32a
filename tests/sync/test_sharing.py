"""Sharing between two real, paired vaults through a real folder: what arrives, what never leaves,
edits both ways, revocation before and after the partner fetched, delivery states, responses.

Secrecy is checked without trusting the code under test: every byte of every file in the sync
folder is scanned for marker words, and the envelopes are decrypted with the sender's own channel
keys to show that private content is not in them even sealed.
"""

from datetime import date, datetime, timedelta
from functools import reduce
from pathlib import Path

import pytest

from tests.sync.sync_helpers import (
    Couple,
    blobs_in,
    envelope_names,
    make_couple,
    open_blob_as_sender,
    pair_up,
    paired_couple,
)
from trustvault.actions import Actions
from trustvault.agreements import IN_FORCE, PROPOSED, status_of
from trustvault.entries.merge import Version, winner
from trustvault.errors import EntryNotFound, InvalidField
from trustvault.results import DeliveryState
from trustvault.storage import meta_store
from trustvault.vault import Vault

TODAY = date(2026, 11, 1)


def _couple(tmp_path: Path, factory: pytest.TempPathFactory) -> Couple:
    return paired_couple(tmp_path / "couple", factory)


def _clear_text_hits(folder: Path, markers: list[str]) -> list[tuple[str, str]]:
    hits = []
    for name, data in blobs_in(folder):
        for marker in markers:
            for form in (marker, marker.lower(), marker.encode("utf-16-le").decode("latin-1")):
                if form.encode("latin-1", "ignore") in data or form.encode() in data:
                    hits.append((name, marker))
    return hits


def _opened_by_name(vault: Vault, folder: Path) -> dict[str, bytes]:
    """The plaintext of every envelope in the folder that ``vault`` sent, by file name."""
    out = {}
    for name, data in blobs_in(folder):
        payload = open_blob_as_sender(vault, data)
        if payload is not None:
            out[name] = payload
    return out


def _opened(vault: Vault, folder: Path) -> list[bytes]:
    return list(_opened_by_name(vault, folder).values())


def test_shared_entries_arrive_with_history_and_private_ones_never_leave(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    shared = c.a.entries.add(
        "disclosure",
        {"title": "Zebrafish evening", "body": "SHARED-ZEBRAFISH", "occurred_on": "2026-05-01"},
    )
    c.a.entries.edit(shared.id, {"body": "SHARED-ZEBRAFISH, more"})
    c.a.entries.edit(shared.id, {"body": "SHARED-ZEBRAFISH, all of it"})
    checkin = c.a.entries.add("checkin", {"mood": 3, "safety": 4, "note": "PRIVATE-OCELOT"})
    diary = c.a.entries.add(
        "disclosure",
        {"title": "PRIVATE-NARWHAL", "body": "not yet", "occurred_on": "2026-04-01"},
        visibility="private",
    )
    c.a.entries.edit(diary.id, {"body": "PRIVATE-NARWHAL still"})
    c.a.entries.edit(checkin.id, {"note": "PRIVATE-OCELOT again"})
    markers = ["SHARED-ZEBRAFISH", "Zebrafish evening", "PRIVATE-OCELOT", "PRIVATE-NARWHAL"]

    c.sa.sync()  # Alex's envelopes are now in the folder, not yet fetched
    assert envelope_names(c.folder)
    assert _clear_text_hits(c.folder, markers) == []
    sealed = b"".join(_opened(c.a, c.folder))
    assert b"SHARED-ZEBRAFISH" in sealed  # the scan below can fail: this is what it looks for
    for secret in (b"PRIVATE-OCELOT", b"PRIVATE-NARWHAL", checkin.id.encode(), diary.id.encode()):
        assert secret not in sealed, "a private entry left the device, even if sealed"

    for result in c.settle():
        assert result.rejected == 0 and result.problems == []
        assert _clear_text_hits(c.folder, markers) == []
    got = c.b.entries.get(shared.id)
    assert got.fields == c.a.entries.get(shared.id).fields
    assert got.author == c.a.device_id and got.visibility == "shared"
    assert c.b.entries.history(shared.id) == c.a.entries.history(shared.id)
    assert len(c.b.entries.history(shared.id)) == 3
    for private in (checkin, diary):
        with pytest.raises(EntryNotFound):
            c.b.entries.get(private.id)
    assert c.b.entries.search("OCELOT") == [] and c.b.entries.search("NARWHAL") == []
    assert [e.id for e in c.b.entries.all()] == [shared.id]
    c.close()


def test_entries_written_before_pairing_wait_until_the_key_is_verified(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Pairing with a key nobody compared sends no history by itself: what each wrote before
    goes once its author verified the partner's safety number, then with its history."""
    c = make_couple(tmp_path, tmp_path_factory)
    early = c.a.entries.add("milestone", {"title": "First month", "note": "v1"})
    c.a.entries.edit(early.id, {"note": "v2"})
    hidden = c.a.entries.add("milestone", {"title": "Mine"}, visibility="private")
    theirs = c.b.entries.add("event", {"title": "Dinner", "start": "2026-11-20T19:00"})
    pair_up(c)
    c.settle()
    with pytest.raises(EntryNotFound):
        c.b.entries.get(early.id)
    with pytest.raises(EntryNotFound):
        c.a.entries.get(theirs.id)
    assert c.qa.delivery(early.id).state is DeliveryState.HELD
    after = c.a.entries.add("milestone", {"title": "Written after pairing"})
    c.settle()
    assert c.b.entries.get(after.id).title == "Written after pairing"  # new ones flow at once

    c.sa.verify()  # Alex compared the numbers: Alex's earlier entries go; Sam's still wait
    c.settle()
    assert c.b.entries.history(early.id) == c.a.entries.history(early.id)
    assert len(c.b.entries.history(early.id)) == 2
    with pytest.raises(EntryNotFound):
        c.a.entries.get(theirs.id)
    c.sb.verify()
    c.settle()
    assert c.a.entries.get(theirs.id).fields == theirs.fields
    with pytest.raises(EntryNotFound):
        c.b.entries.get(hidden.id)
    assert str(c.qa.delivery(early.id)).startswith("delivered")
    assert str(c.qa.delivery(hidden.id)) == "never shared"
    c.close()


def test_re_pairing_the_same_verified_devices_sends_at_once(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = make_couple(tmp_path, tmp_path_factory)
    pair_up(c)
    c.sa.verify()
    c.sb.verify()
    c.sa.unpair()
    c.sb.unpair()
    kept = c.a.entries.add("milestone", {"title": "Written while apart"})
    pair_up(c)
    c.settle()
    assert c.b.entries.get(kept.id).title == "Written while apart"
    c.close()


def test_edits_propagate_and_concurrent_event_edits_converge_keeping_the_loser(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    event = c.a.entries.add("event", {"title": "Therapy", "start": "2026-11-10T17:00"})
    note = c.a.entries.add("milestone", {"title": "Ninety days"})
    c.settle()
    c.a.entries.edit(note.id, {"note": "we made it"})
    c.b.entries.edit(event.id, {"location": "Room 4"})  # Sam may edit Alex's shared event
    c.settle()
    assert c.b.entries.get(note.id).fields["note"] == "we made it"
    assert c.a.entries.get(event.id).fields["location"] == "Room 4"
    with pytest.raises(InvalidField):
        c.b.entries.edit(note.id, {"note": "not mine to change"})

    c.a.entries.edit(event.id, {"title": "Therapy (Alex)"})
    c.b.entries.edit(event.id, {"title": "Therapy (Sam)"})
    c.settle()
    on_a, on_b = c.a.entries.get(event.id), c.b.entries.get(event.id)
    assert on_a.fields == on_b.fields
    assert (on_a.revision, on_a.editor) == (on_b.revision, on_b.editor)
    history_a, history_b = c.a.entries.history(event.id), c.b.entries.history(event.id)
    assert history_a == history_b
    titles = {r.fields["title"] for r in history_a}
    assert {"Therapy (Alex)", "Therapy (Sam)"} <= titles, "the losing version stays"
    expected = reduce(winner, (Version(r.revision, r.editor) for r in history_a))
    assert Version(on_a.revision, on_a.editor) == expected
    assert c.a.entries.search("Alex") or c.a.entries.search("Sam")
    c.close()


def test_revoke_before_the_partner_fetched_never_delivers_the_content(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    keep = c.a.entries.add("milestone", {"title": "KEEP-BADGER"})
    gone = c.a.entries.add(
        "disclosure",
        {"title": "REVOKED-EARLY-HERON", "body": "words", "occurred_on": "2026-03-01"},
    )
    c.a.entries.edit(gone.id, {"body": "REVOKED-EARLY-HERON more words"})
    c.sa.sync()
    carrying = {n for n, p in _opened_by_name(c.a, c.folder).items() if b"EARLY-HERON" in p}
    assert carrying, "the entry went out sealed"

    c.sa.revoke(gone.id)
    assert str(c.qa.delivery(gone.id)).startswith("withdrawal pending")
    c.sa.sync()
    assert carrying.isdisjoint(name for name, _ in blobs_in(c.folder)), "old blob still there"
    assert all(b"REVOKED-EARLY-HERON" not in p for p in _opened(c.a, c.folder))
    assert any(b"KEEP-BADGER" in p for p in _opened(c.a, c.folder)), "the rest still goes"
    assert _clear_text_hits(c.folder, ["REVOKED-EARLY-HERON", "KEEP-BADGER"]) == []

    c.settle()
    assert c.b.entries.get(keep.id).fields["title"] == "KEEP-BADGER"
    with pytest.raises(EntryNotFound):
        c.b.entries.get(gone.id)
    assert c.b.entries.search("HERON") == []
    c.close()


def test_revoke_after_the_partner_fetched_leaves_a_tombstone_and_grant_restores(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    entry = c.a.entries.add(
        "disclosure",
        {"title": "LATE-OTTER", "body": "LATE-OTTER body", "occurred_on": "2026-02-01"},
    )
    c.a.entries.edit(entry.id, {"body": "LATE-OTTER body, edited"})
    c.settle()
    assert c.b.entries.get(entry.id).fields["title"] == "LATE-OTTER"

    c.clock.advance(days=2)
    c.sa.revoke(entry.id)
    c.settle()
    tomb = c.b.entries.get(entry.id)
    assert tomb.visibility == "withdrawn" and tomb.fields == {} and tomb.title == ""
    assert c.b.entries.history(entry.id) == []
    assert c.b.entries.search("OTTER") == []
    assert entry.id in [e.id for e in c.b.entries.all()], "the tombstone stays visible"
    withdrawal = c.qb.withdrawal(entry.id)
    assert withdrawal is not None and withdrawal.author == c.a.device_id
    assert withdrawal.at.startswith("2026-11-03")
    with pytest.raises(InvalidField):
        c.b.entries.edit(entry.id, {"body": "x"})
    assert all(b"LATE-OTTER" not in p for p in _opened(c.a, c.folder))
    assert c.a.entries.get(entry.id).fields["title"] == "LATE-OTTER", "the author keeps it"

    c.a.entries.edit(entry.id, {"body": "LATE-OTTER body, rewritten while private"})
    c.sa.share(entry.id)
    assert str(c.qa.delivery(entry.id)) == "pending"
    c.settle()
    back = c.b.entries.get(entry.id)
    assert back.visibility == "shared" and back.fields == c.a.entries.get(entry.id).fields
    assert c.qb.withdrawal(entry.id) is None
    assert [e.id for e in c.b.entries.search("rewritten")] == [entry.id]
    assert str(c.qa.delivery(entry.id)).startswith("delivered")
    c.close()


def test_delivery_states(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    entry = c.a.entries.add("milestone", {"title": "Six months"}, visibility="private")
    assert str(c.qa.delivery(entry.id)) == "never shared"
    c.sa.share(entry.id)
    assert str(c.qa.delivery(entry.id)) == "pending"
    c.sa.sync()
    assert str(c.qa.delivery(entry.id)) == "pending", "in the folder is not delivered"
    c.clock.advance(days=1)
    c.sb.sync()
    c.sa.sync()
    assert str(c.qa.delivery(entry.id)) == "delivered 2026-11-02"
    assert c.qb.delivery(entry.id).state is DeliveryState.FROM_PARTNER
    c.clock.advance(days=1)
    c.sa.revoke(entry.id)
    assert str(c.qa.delivery(entry.id)) == "withdrawal pending 2026-11-03"
    c.sa.sync()
    assert str(c.qa.delivery(entry.id)) == "withdrawal pending 2026-11-03", "not taken in yet"
    c.sb.sync()
    c.sa.sync()
    assert str(c.qa.delivery(entry.id)) == "withdrawn 2026-11-03"  # Sam's device confirmed
    with pytest.raises(InvalidField):
        c.sb.revoke(entry.id)  # only the author may withdraw
    c.close()


def test_ack_comment_and_accept_sync_both_ways(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    told = c.a.entries.add(
        "disclosure", {"title": "Told", "body": "b", "occurred_on": "2026-01-05"}
    )
    pact = c.a.entries.add("agreement", {"title": "Phones", "text": "Open phones at home."})
    c.settle()
    c.sb.ack(told.id)
    c.settle()
    assert [r.state for r in c.qa.responses(told.id)] == ["read"]
    c.sb.ack(told.id, need_time=True)
    with pytest.raises(InvalidField):
        c.sa.ack(told.id)  # one acknowledges the partner's entries, not one's own
    cid_b = c.sb.comment(told.id, "Thank you for telling me.")
    cid_a = c.sa.comment(told.id, "I am here when you want to talk.")
    c.settle()
    assert c.qa.responses(told.id) == c.qb.responses(told.id)
    assert [(r.person, r.state) for r in c.qa.responses(told.id)] == [(c.b.device_id, "need_time")]
    assert c.qa.comments(told.id) == c.qb.comments(told.id)
    assert {x.id for x in c.qa.comments(told.id)} == {cid_a, cid_b}

    def statuses() -> tuple[str, str]:
        return (
            status_of(c.a, c.a.entries.get(pact.id), TODAY),
            status_of(c.b, c.b.entries.get(pact.id), TODAY),
        )

    assert statuses() == (PROPOSED, PROPOSED)
    c.sa.accept(pact.id)
    c.settle()
    assert statuses() == (PROPOSED, PROPOSED), "in force only after both accepted"
    c.sb.accept(pact.id)
    c.settle()
    assert statuses() == (IN_FORCE, IN_FORCE)
    c.a.entries.edit(pact.id, {"text": "Open phones at home, and on trips."})
    c.settle()
    # New wording needs both again: the version both accepted stays in force beside it.
    assert statuses() == (IN_FORCE, IN_FORCE)
    for q, vault in ((c.qa, c.a), (c.qb, c.b)):
        standing = q.agreement_standing(vault.entries.get(pact.id), TODAY)
        assert standing.proposal is not None and standing.in_force is not None
        assert standing.proposal.fields["text"] == "Open phones at home, and on trips."
    c.sb.accept(pact.id)
    c.sa.accept(pact.id)
    c.settle()
    assert statuses() == (IN_FORCE, IN_FORCE)
    in_force = c.qa.agreement_standing(c.a.entries.get(pact.id), TODAY)
    assert in_force.proposal is None and in_force.in_force is not None
    assert in_force.in_force.fields["text"] == "Open phones at home, and on trips."
    c.close()


def test_responses_made_before_sharing_reach_the_partner(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """An agreement accepted (and an entry commented) before pairing or while private must not
    leave the two devices disagreeing about whether it is in force."""
    c = make_couple(tmp_path, tmp_path_factory)
    pact = c.a.entries.add("agreement", {"title": "Honesty", "text": "Tell, don't hide."})
    c.sa.accept(pact.id)
    note = c.a.entries.add("milestone", {"title": "Day one"})
    c.sa.comment(note.id, "A note to us.")
    later = c.a.entries.add(
        "agreement", {"title": "Money", "text": "Shared budget."}, visibility="private"
    )
    pair_up(c)
    c.sa.verify()  # what Alex wrote before pairing goes once Alex verified Sam's key
    c.sa.accept(later.id)
    c.sa.share(later.id)
    c.settle()
    c.sb.accept(pact.id)
    c.sb.accept(later.id)
    c.settle()
    for agreement in (pact, later):
        assert status_of(c.a, c.a.entries.get(agreement.id), TODAY) == IN_FORCE
        assert status_of(c.b, c.b.entries.get(agreement.id), TODAY) == IN_FORCE
    assert c.qb.comments(note.id) == c.qa.comments(note.id)
    c.close()


def test_regrant_of_an_event_last_edited_by_the_partner_reaches_the_partner(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    event = c.a.entries.add("event", {"title": "Weekend away", "start": "2026-12-05"})
    c.settle()
    c.b.entries.edit(event.id, {"location": "The coast"})  # Sam's version is now current
    c.settle()
    c.sa.revoke(event.id)
    c.settle()
    assert c.b.entries.get(event.id).visibility == "withdrawn"
    c.sa.share(event.id)
    results = c.settle()
    assert all(r.refused_ops == 0 for r in results), [r.problems for r in results]
    back = c.b.entries.get(event.id)
    assert back.visibility == "shared"
    assert back.fields == c.a.entries.get(event.id).fields
    assert back.fields["location"] == "The coast"
    c.close()


def test_the_authors_comments_are_withdrawn_with_the_entry(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """What the author wrote about an entry goes with it: never sent if withdrawn before the
    partner fetched it, deleted from the partner's device if withdrawn after; the partner's own
    comments stay; a re-grant brings the author's back."""
    c = _couple(tmp_path, tmp_path_factory)
    early = c.a.entries.add("milestone", {"title": "early"})
    c.sa.comment(early.id, "COMMENT-EARLY-LYNX")
    c.sa.sync()
    c.sa.revoke(early.id)
    c.settle()
    assert c.qb.comments(early.id) == []
    assert all(b"LYNX" not in p for p in _opened(c.a, c.folder))

    late = c.a.entries.add("milestone", {"title": "late"})
    c.sa.comment(late.id, "COMMENT-LATE-IBEX")
    c.settle()
    c.sb.comment(late.id, "my own words")
    c.settle()
    c.sa.revoke(late.id)
    c.settle()
    assert [x.text for x in c.qb.comments(late.id)] == ["my own words"]
    assert len(c.qa.comments(late.id)) == 2, "the author keeps everything"

    c.sa.share(late.id)
    c.settle()
    assert c.qb.comments(late.id) == c.qa.comments(late.id)
    c.close()


def test_first_share_of_a_private_entry_sends_its_current_version_only(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A private entry's earlier versions were drafts for nobody else: sharing it sends what it
    says now, unless its author chooses to include them."""
    c = _couple(tmp_path, tmp_path_factory)
    draft = c.a.entries.add("disclosure", {"title": "DRAFT-ONE", "occurred_on": "2026-10-01"},
                            visibility="private")  # fmt: skip
    c.a.entries.edit(draft.id, {"title": "DRAFT-TWO"})
    c.a.entries.edit(draft.id, {"title": "What I tell you"})
    assert c.qa.drafts_before_sharing(c.a.entries.get(draft.id)) == 2
    c.sa.share(draft.id)
    c.settle()
    assert [r.fields["title"] for r in c.b.entries.history(draft.id)] == ["What I tell you"]
    assert not any(b"DRAFT-" in p for p in _opened_payloads(c))

    full = c.a.entries.add("milestone", {"title": "v1"}, visibility="private")
    c.a.entries.edit(full.id, {"title": "v2"})
    c.sa.share(full.id, with_history=True)
    c.settle()
    assert [r.fields["title"] for r in c.b.entries.history(full.id)] == ["v1", "v2"]

    written_shared = c.a.entries.add("milestone", {"title": "s1"})
    c.a.entries.edit(written_shared.id, {"title": "s2"})
    c.settle()
    assert len(c.b.entries.history(written_shared.id)) == 2  # every version was meant to be seen
    c.close()


def _opened_payloads(c: Couple) -> list[bytes]:
    return [p for p in (open_blob_as_sender(c.a, b) for _, b in blobs_in(c.folder)) if p]


def test_daily_receipts_hold_the_receipt_until_their_moment(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A receipt at once tells the author when Sam opened the app; daily ones do not, and the
    author keeps the day a receipt came, never its moment."""
    c = _couple(tmp_path, tmp_path_factory)
    Actions(c.b).set_daily_receipts(True)
    due = datetime.fromisoformat(meta_store.get(c.b.conn, "sync.next_receipt") or "")
    assert c.clock.now < due <= c.clock.now + timedelta(days=1, seconds=1)  # within a day
    entry = c.a.entries.add("milestone", {"title": "Told on Tuesday"})
    c.sa.sync()
    c.clock.now = due - timedelta(seconds=1)
    c.sb.sync()  # Sam's device has it...
    c.sa.sync()
    assert c.b.entries.get(entry.id).title == "Told on Tuesday"
    assert c.qa.delivery(entry.id).state is DeliveryState.PENDING  # ...and says so later
    c.clock.now = due
    c.sb.sync()
    c.sa.sync()
    delivered = c.qa.delivery(entry.id)
    assert delivered.state is DeliveryState.DELIVERED
    assert delivered.at == due.astimezone().date().isoformat()  # the day, never the moment
    Actions(c.b).set_daily_receipts(False)
    later = c.a.entries.add("milestone", {"title": "At once again"})
    c.settle(2)
    assert c.qa.delivery(later.id).state is DeliveryState.DELIVERED
    c.close()


def test_a_round_names_the_entries_the_partners_ops_touched(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """What a face marks unread and counts in its notice: each touched entry once, mine too when
    the partner answered it; never one of this device's own changes."""
    c = _couple(tmp_path, tmp_path_factory)
    first = c.a.entries.add("milestone", {"title": "Thirty days"})
    second = c.a.entries.add("milestone", {"title": "Sixty days"})
    c.a.entries.edit(first.id, {"title": "Thirty days, together"})
    c.a.entries.add("milestone", {"title": "Mine alone"}, visibility="private")
    assert c.sa.sync().arrived == []
    assert c.sb.sync().arrived == [first.id, second.id]
    c.sb.comment(second.id, "Proud of us")
    c.sb.ack(second.id)
    assert c.sb.sync().arrived == []
    assert c.sa.sync().arrived == [second.id]
    assert c.sa.sync().arrived == []
