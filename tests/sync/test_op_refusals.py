"""An authentic op the vault cannot apply is refused (:class:`OpRefused`, counted by the inbox),
whatever shape it has; nothing else escapes for bad data, so whatever else escapes is a bug.

Rows marked "was a crash" used to escape as AttributeError, OverflowError, UnicodeEncodeError or
ValueError from the store, failing that sync and every later one (the envelope is read again).
"""

import json
from dataclasses import replace
from typing import Any

import pytest
import sqlcipher3

from tests.sync.conftest import PARTNER
from trustvault.storage import pairing_store, social_store
from trustvault.storage.entry_store import EntryStore
from trustvault.sync import closing_state
from trustvault.sync.apply import OpApplier, OpRefused
from trustvault.sync.closing_state import ClosingRecord

NEW_ID = "0190" + "a" * 28
START = "2026-12-01T19:00"


def _version(**changes: Any) -> dict[str, Any]:
    """A partner's new milestone; ``...`` for a value leaves that key out."""
    op = {
        "t": "version", "seq": 1, "id": NEW_ID, "kind": "milestone", "author": PARTNER,
        "created": "2026-11-01T09:00:00Z", "rev": 1, "editor": PARTNER,
        "updated": "2026-11-01T09:00:00Z", "fields": {"title": "hello"},
    }  # fmt: skip
    op.update(changes)
    return {k: v for k, v in op.items() if v is not ...}


def _edit(**changes: Any) -> dict[str, Any]:
    """The partner's edit of this device's event ``EVENT`` (filled in by the test)."""
    edit = {"id": "EVENT", "kind": "event", "author": "ME", "rev": 2}
    return _version(**{**edit, "fields": {"title": "edited", "start": START}, **changes})


def _other(t: str, **body: Any) -> dict[str, Any]:
    op = {"t": t, "seq": 1, **body}
    return {k: v for k, v in op.items() if v is not ...}


VERSION_KEYS = ("id", "kind", "author", "editor", "rev", "updated", "created", "fields")
ACK = {"id": "EVENT", "state": "read", "at": "2026-11-02"}
COMMENT = {"cid": "c1", "id": "EVENT", "text": "see you", "at": "2026-11-02"}
ACCEPT = {"id": "AGREEMENT", "digest": "d" * 64, "at": "2026-11-02"}

REFUSED = [
    pytest.param(_version(fields="hello"), id="fields text (was a crash)"),
    pytest.param(_version(fields=None), id="fields null (was a crash)"),
    pytest.param(_version(fields=["hello"]), id="fields list (was a crash)"),
    pytest.param(_version(rev=2**70), id="rev past 64 bits, new entry (was a crash)"),
    pytest.param(_version(rev=1e300), id="rev huge float (was a crash)"),
    pytest.param(_version(id="\ud800"), id="id lone surrogate (was a crash)"),
    pytest.param(_version(updated="\udcff"), id="updated lone surrogate (was a crash)"),
    pytest.param(_version(fields={"title": "\ud800"}), id="field lone surrogate (was a crash)"),
    pytest.param(
        _version(kind="checkin", fields={"mood": 3, "safety": 4}, created="soon"),
        id="created not a date, sorted by it (was a crash)",
    ),
    pytest.param(_version(rev="abc"), id="rev not a number"),
    pytest.param(_version(rev=None), id="rev null"),
    pytest.param(_version(rev=[1]), id="rev list"),
    *(pytest.param(_version(**{key: ...}), id=f"no {key}") for key in VERSION_KEYS),
    pytest.param(_version(kind="diary"), id="unknown kind"),
    pytest.param(_version(author="someone else"), id="wrong author"),
    pytest.param(_version(editor="ME"), id="names this device as editor"),
    pytest.param(_version(fields={"title": ""}), id="fields fail validation"),
    pytest.param(_version(kind="agreement", fields={"title": "a", "text": "b"}), id="no version"),
    pytest.param(_edit(rev=2**70), id="rev past 64 bits, edit"),
    pytest.param(_edit(updated="\ud800"), id="edit updated lone surrogate"),
    pytest.param(_other("profile", name="Alex"), id="profile, no partner record of that device"),
    pytest.param(_other("revoke"), id="revoke no id"),
    pytest.param(_other("revoke", id="EVENT", at="2026-11-02"), id="revoke another's"),
    pytest.param(_other("revoke", id="\ud800", at="x"), id="revoke id lone surrogate"),
    pytest.param(_other("delete"), id="delete no id"),
    pytest.param(_other("delete", id="EVENT", at="2026-11-02"), id="delete another's (forged)"),
    pytest.param(_other("delete", id=NEW_ID), id="delete no at"),
    pytest.param(_other("ack", **{**ACK, "state": "maybe"}), id="ack unknown state"),
    pytest.param(_other("ack", **{**ACK, "at": ...}), id="ack no at"),
    pytest.param(_other("ack", **{**ACK, "id": "\ud800"}), id="ack id lone surrogate"),
    pytest.param(_other("comment", **{**COMMENT, "text": " "}), id="comment empty"),
    pytest.param(_other("comment", **{**COMMENT, "cid": ...}), id="comment no cid"),
    pytest.param(_other("comment", **{**COMMENT, "text": "\ud800"}), id="comment lone surrogate"),
    pytest.param(_other("accept", **{**ACCEPT, "digest": ...}), id="accept no digest"),
]

APPLIED = [
    pytest.param(_version(), id="new entry"),
    pytest.param(_edit(), id="edit of a shared event"),
    pytest.param(_edit(created=...), id="edit without created"),
    pytest.param(
        _edit(fields={"title": "x", "start": "0001-01-01T00:00", "rrule": "FREQ=WEEKLY"}),
        id="weekly from the first second of the year 1 (was a crash)",
    ),
    pytest.param(_edit(seen="x"), id="seen unread: no withdrawal to compare with"),
    pytest.param(_other("revoke", id=NEW_ID), id="revoke of an entry never received"),
    pytest.param(_other("delete", id=NEW_ID, at="x"), id="delete of an entry never received"),
    pytest.param(_other("ack", **ACK), id="ack"),
    pytest.param(_other("comment", **COMMENT), id="comment"),
    pytest.param(_other("accept", **ACCEPT), id="accept"),
]


def _apply(applier: OpApplier, template: dict[str, Any]) -> None:
    """Apply one op as the inbox does (prefetch, apply, flush) to this vault's shared event (or
    agreement, for an acceptance)."""
    store = applier.store
    event = store.add("event", {"title": "ours", "start": START}, "shared")
    agreement = store.add("agreement", {"title": "ours", "text": "ours"}, "shared")
    text = json.dumps(template).replace('"EVENT"', json.dumps(event.id))
    text = text.replace('"AGREEMENT"', json.dumps(agreement.id))
    op = json.loads(text.replace('"ME"', json.dumps(store.device)))
    applier.prefetch([op])
    applier.apply(op)
    applier.flush()


@pytest.mark.parametrize("op", REFUSED)
def test_an_op_that_cannot_be_applied_is_refused(applier: OpApplier, op: dict[str, Any]) -> None:
    with pytest.raises(OpRefused) as refused:
        _apply(applier, op)
    assert "\ud800" not in str(refused.value) and "hello" not in str(refused.value)


@pytest.mark.parametrize("op", APPLIED)
def test_an_op_within_the_rules_is_applied(applier: OpApplier, op: dict[str, Any]) -> None:
    _apply(applier, op)


PROFILE_REFUSED = [
    pytest.param(_other("profile", name="Alex", device="ME"), id="naming this device"),
    pytest.param(_other("profile", name=" "), id="empty name"),
    pytest.param(_other("profile", name="Al\nex"), id="name on two lines"),
    pytest.param(_other("profile", name="x" * 101), id="name too long"),
    pytest.param(_other("profile", name=["Alex"]), id="name not text"),
    pytest.param(_other("profile", name="\ud800"), id="name lone surrogate"),
    pytest.param(_other("profile"), id="no name"),
]


@pytest.mark.parametrize("op", PROFILE_REFUSED)
def test_a_profile_against_the_rules_leaves_the_partner_name(
    applier: OpApplier, op: dict[str, Any]
) -> None:
    conn = applier.store.connection
    pairing_store.record_partner(conn, PARTNER, "Sam", b"k" * 32, "2026-11-01")
    with pytest.raises(OpRefused):
        _apply(applier, op)
    partner = pairing_store.partner(conn)
    assert partner is not None and partner.name == "Sam"


def test_a_profile_after_the_partner_closed_the_space_is_refused(applier: OpApplier) -> None:
    """Nothing new comes from a partner who closed the shared space, a new name neither (only a
    modified client would send one: an honest one stops, ``closing_state.STILL_SENT``)."""
    conn = applier.store.connection
    pairing_store.record_partner(conn, PARTNER, "Sam", b"k" * 32, "2026-11-01")
    closed = ClosingRecord("Sam", False, "2026-11-02T10:00:00+00:00", "2026-11-09T10:00:00+00:00")
    closing_state.save(conn, replace(closed, they_closed=True))
    with pytest.raises(OpRefused, match="closed"):
        _apply(applier, _other("profile", name="Samira"))
    partner = pairing_store.partner(conn)
    assert partner is not None and partner.name == "Sam"


def test_a_profile_renames_the_partner_record_and_nothing_else(applier: OpApplier) -> None:
    """The partner's new name replaces the recorded one (stripped, as a typed name is); their
    key, device and pairing dates stay as they were."""
    conn = applier.store.connection
    before = pairing_store.record_partner(conn, PARTNER, "Sam", b"k" * 32, "2026-11-01")
    _apply(applier, _other("profile", name="  Samira ", device=PARTNER))
    assert pairing_store.partner(conn) == replace(before, name="Samira")


def test_a_deleted_entry_stays_deleted_whatever_comes_after(applier: OpApplier) -> None:
    """The partner's delete leaves a tombstone that says so; no later version brings the entry
    back (unlike a withdrawal's), a withdrawal cannot turn it into one, and a second delete
    changes nothing."""
    store = applier.store
    _apply(applier, _version(fields={"title": "told you"}))
    _apply(applier, _other("delete", id=NEW_ID, at="2026-11-03T10:00:00Z"))
    tomb = store.get(NEW_ID)
    assert (tomb.visibility, tomb.fields, store.history(NEW_ID)) == ("withdrawn", {}, [])
    with pytest.raises(OpRefused, match="a change refers to a deleted entry"):
        _apply(applier, _version(rev=2, fields={"title": "back again"}))
    _apply(applier, _other("revoke", id=NEW_ID, at="2026-11-04T10:00:00Z"))
    _apply(applier, _other("delete", id=NEW_ID, at="2026-11-05T10:00:00Z"))
    with pytest.raises(OpRefused, match="a change refers to a deleted entry"):
        _apply(applier, _version(rev=3, fields={"title": "back again"}))
    gone = social_store.withdrawal(store.connection, NEW_ID)
    assert gone is not None and (gone.deleted, gone.at) == (True, "2026-11-03T10:00:00Z")


def test_a_fault_of_this_app_refuses_that_op_in_its_own_words(
    applier: OpApplier, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An exception nobody foresaw, on one op, refuses and counts that op (issue 15: one odd op
    must never stop every later sync); the words say the fault is this device's, not the
    partner's data, and the log names the exception's type, never the op's content."""

    def broken(*_: object) -> bool:
        raise ValueError("a bug in the store MARIGOLD")

    monkeypatch.setattr(EntryStore, "put_version", broken)
    with pytest.raises(OpRefused, match="a fault on this device") as refused:
        _apply(applier, _edit())
    assert "MARIGOLD" not in str(refused.value)
    assert "ValueError" in caplog.text and "MARIGOLD" not in caplog.text


def test_a_fault_of_the_device_stops_the_sync_and_skips_nothing(
    applier: OpApplier, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk or a broken database is not the op's doing: it is raised, the sync stops,
    and the op is applied when the sync runs again."""

    def full(*_: object) -> bool:
        raise sqlcipher3.OperationalError("database or disk is full")

    monkeypatch.setattr(EntryStore, "put_version", full)
    with pytest.raises(sqlcipher3.OperationalError):
        _apply(applier, _edit())


@pytest.mark.parametrize(
    "op",
    [
        pytest.param(
            _version(kind="checkin", fields={"mood": 99, "safety": 4, "note": "MARIGOLD-OTTER"}),
            id="invalid mood beside a note",
        ),
        pytest.param(
            _version(fields={"title": "MARIGOLD-OTTER", "due_on": "MARIGOLD-OTTER"}),
            id="invalid date that is the content",
        ),
        pytest.param(_other("MARIGOLD-OTTER"), id="unknown op type"),
    ],
)
def test_a_refusal_names_the_field_never_the_content(
    applier: OpApplier, op: dict[str, Any]
) -> None:
    """The reason goes into the sync report a person sees and into logs: the partner's words
    (what validation messages quote) never do."""
    with pytest.raises(OpRefused) as refused:
        _apply(applier, op)
    assert "MARIGOLD-OTTER" not in str(refused.value)
