"""The partner writes only where this vault's rules allow (PROTOCOL.md §9), whatever its client.

Each row is an authentic op a modified client could send, applied through the real applier to a
real vault holding one entry of each state the rules tell apart. A refused row must raise
:class:`OpRefused` with a content-free reason and write nothing (entries, revisions, comments,
responses and acceptances as before); each rule has a companion row that is applied. Rows marked
"was applied" were written by the old applier; the others were refused already and stay so.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from tests.sync.conftest import PARTNER
from tests.sync.sync_helpers import paired_couple, record_as_sam
from trustvault.storage import social_store
from trustvault.storage.entry_store import EntryStore
from trustvault.sync.apply import OpApplier, OpRefused, withdraw
from trustvault.sync.recorder import version_body

ABSENT = "0190" + "f" * 28
START = "2026-12-01T19:00"
AT = "2026-11-02T10:00:00Z"
EVENT = {"title": "OTTER-EDIT", "start": START}
AGREEMENT = {"title": "phones", "text": "no phones at dinner", "version": 1}
MILESTONE = {"title": "OTTER-EDIT"}


def _edit(target: str, kind: str = "event", author: str = "ME", **changes: Any) -> dict[str, Any]:
    """A partner's version op of ``target`` (``ME`` is replaced by this device's id)."""
    fields = {"event": EVENT, "agreement": AGREEMENT, "milestone": MILESTONE}[kind]
    op = {
        "t": "version", "seq": 1, "id": target, "kind": kind, "author": author, "rev": 2,
        "editor": PARTNER, "updated": AT, "created": AT, "fields": fields,
    }  # fmt: skip
    return {**op, **changes}


def _ack(target: str) -> dict[str, Any]:
    return {"t": "ack", "seq": 1, "id": target, "state": "read", "at": AT}


def _comment(target: str) -> dict[str, Any]:
    return {"t": "comment", "seq": 1, "cid": "c-new", "id": target, "text": "see you", "at": AT}


def _accept(target: str) -> dict[str, Any]:
    return {"t": "accept", "seq": 1, "id": target, "digest": "d" * 64, "at": AT}


def _revoke(target: str) -> dict[str, Any]:
    return {"t": "revoke", "seq": 1, "id": target, "at": AT}


NOT_SHARED_HERE = {
    "ABSENT": "absent",
    "MINE_PRIVATE": "this device's, never shared",
    "MINE_WITHDRAWN": "this device's, withdrawn",
    "THEIRS_WITHDRAWN": "the partner's, withdrawn",
}

REFUSED = [
    # Edits of this device's entries: only its events and agreements that are shared now.
    pytest.param(_edit("MINE_WITHDRAWN"), id="edit of my event made private again (was applied)"),
    pytest.param(
        _edit("MINE_WITHDRAWN", seen=10**6),
        id="edit of my withdrawn event, claiming to have seen the withdrawal (was applied)",
    ),
    pytest.param(_edit("MINE_PRIVATE"), id="edit of my never-shared event (was applied)"),
    pytest.param(_edit(ABSENT), id="edit naming me as author of an id not here"),
    pytest.param(_edit("MINE_MILESTONE"), id="my milestone posing as an event (was applied)"),
    pytest.param(_edit("MINE_MILESTONE", kind="milestone"), id="edit of my shared milestone"),
    pytest.param(
        _edit("MINE_UNSHARED_AGREEMENT", kind="agreement"), id="edit of my private agreement"
    ),
    pytest.param(_edit("MINE_AGREEMENT"), id="my agreement posing as an event"),
    # Authorship: the partner never writes in this device's name, nor passes off its entries.
    pytest.param(_edit("MINE_SHARED", author=PARTNER), id="my event claimed as the partner's"),
    pytest.param(_edit("THEIRS", kind="milestone"), id="partner's entry claimed as mine"),
    pytest.param(_edit("MINE_SHARED", editor="ME"), id="names me as editor"),
    pytest.param(
        _edit("THEIRS", author=PARTNER), id="partner's milestone turned into an event (was applied)"
    ),
    # Withdrawals: the partner's own entries only.
    pytest.param(_revoke("MINE_SHARED"), id="revoke of my shared entry"),
    pytest.param(_revoke("MINE_PRIVATE"), id="revoke of my private entry"),
    # Responses: only to an entry shared between the two here.
    *(
        pytest.param(make(target), id=f"{make.__name__[1:]} on an entry {why} (was applied)")
        for make in (_ack, _comment, _accept)
        for target, why in NOT_SHARED_HERE.items()
    ),
    pytest.param(
        _accept("MINE_UNSHARED_AGREEMENT"), id="accept of my private agreement (was applied)"
    ),
    pytest.param(_accept("MINE_SHARED"), id="accept of an event (was applied)"),
    pytest.param(_accept("THEIRS"), id="accept of a milestone (was applied)"),
]

APPLIED = [
    pytest.param(_edit("MINE_SHARED"), id="edit of my shared event"),
    pytest.param(_edit("MINE_RESHARED"), id="edit of my event shared again after a withdrawal"),
    pytest.param(
        _edit("MINE_AGREEMENT", kind="agreement"), id="proposal on my shared agreement (refused)"
    ),
    pytest.param(_edit("THEIRS", kind="milestone", author=PARTNER), id="partner edits their own"),
    pytest.param(_edit("THEIRS_WITHDRAWN", kind="milestone", author=PARTNER), id="re-grant"),
    pytest.param(_revoke("THEIRS"), id="revoke of the partner's entry"),
    *(
        pytest.param(make(target), id=f"{make.__name__[1:]} on {target.lower()}")
        for make in (_ack, _comment)
        for target in ("MINE_SHARED", "MINE_RESHARED", "THEIRS")
    ),
    pytest.param(_accept("MINE_AGREEMENT"), id="accept of my shared agreement"),
    pytest.param(_accept("THEIRS_AGREEMENT"), id="accept of the partner's agreement"),
]


def _targets(applier: OpApplier) -> dict[str, str]:
    """One entry in each state the rules tell apart; their ids by placeholder."""
    store = applier.store
    event = {"title": "ours", "start": START}
    ids = {
        "MINE_SHARED": store.add("event", event, "shared").id,
        "MINE_PRIVATE": store.add("event", event, "private").id,
        "MINE_WITHDRAWN": store.add("event", event, "shared").id,
        "MINE_RESHARED": store.add("event", event, "shared").id,
        "MINE_AGREEMENT": store.add("agreement", AGREEMENT, "shared").id,
        "MINE_UNSHARED_AGREEMENT": store.add("agreement", AGREEMENT, "private").id,
        "MINE_MILESTONE": store.add("milestone", {"title": "ours"}, "shared").id,
    }
    for withdrawn in ("MINE_WITHDRAWN", "MINE_RESHARED"):  # what SyncService.revoke leaves
        store.set_visibility(ids[withdrawn], "private")
        social_store.mark_withdrawn(store.connection, ids[withdrawn], AT, None)
    store.set_visibility(ids["MINE_RESHARED"], "shared")
    for number, (name, kind, fields) in enumerate(
        [
            ("THEIRS", "milestone", {"title": "theirs"}),
            ("THEIRS_AGREEMENT", "agreement", AGREEMENT),
            ("THEIRS_WITHDRAWN", "milestone", {"title": "theirs"}),
        ]
    ):
        ids[name] = f"0191{number:028d}"
        new = _edit(ids[name], kind=kind, author=PARTNER, rev=1, fields=fields)
        applier.apply(new)
        applier.flush()
    withdraw(store, ids["THEIRS_WITHDRAWN"], PARTNER, AT)
    social_store.add_comment(store.connection, "c-old", ids["MINE_SHARED"], PARTNER, "hi", AT)
    return ids


def _resolve(template: dict[str, Any], ids: dict[str, str], device: str) -> dict[str, Any]:
    text = json.dumps(template)
    for name, entry_id in {**ids, "ABSENT": ABSENT, "ME": device}.items():
        text = text.replace(json.dumps(name), json.dumps(entry_id))
    op: dict[str, Any] = json.loads(text)
    return op


def _written(store: EntryStore, ids: dict[str, str]) -> list[Any]:
    """Everything an op could have written about the entries here (or the absent id)."""
    conn = store.connection
    return [
        (
            [e for e in store.all() if e.id == entry_id],
            store.history(entry_id) if store.exists(entry_id) else [],
            social_store.comments(conn, entry_id),
            social_store.responses(conn, entry_id),
            social_store.acceptances(conn, entry_id),
        )
        for entry_id in [*ids.values(), ABSENT]
    ]


def _apply(applier: OpApplier, op: dict[str, Any]) -> None:
    """Apply one op as the inbox does (prefetch, apply, flush)."""
    applier.prefetch([op])
    applier.apply(op)
    applier.flush()


@pytest.mark.parametrize("template", REFUSED)
def test_an_op_outside_the_rules_is_refused_and_writes_nothing(
    applier: OpApplier, template: dict[str, Any]
) -> None:
    ids = _targets(applier)
    op = _resolve(template, ids, applier.store.device)
    before = _written(applier.store, ids)
    with pytest.raises(OpRefused) as refused:
        _apply(applier, op)
    assert _written(applier.store, ids) == before
    reason = str(refused.value)
    assert not any(word in reason for word in ("OTTER-EDIT", "see you", "phones", op["id"]))


@pytest.mark.parametrize("template", APPLIED)
def test_an_op_within_the_rules_is_applied(applier: OpApplier, template: dict[str, Any]) -> None:
    ids = _targets(applier)
    before = _written(applier.store, ids)
    _apply(applier, _resolve(template, ids, applier.store.device))
    assert _written(applier.store, ids) != before


def test_a_modified_client_cannot_write_where_the_rules_forbid(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Alex shares an event, then withdraws it; Sam's client edits and comments on it anyway,
    edits Alex's never-shared event, accepts it, and invents an entry in Alex's name. Alex's
    device refuses and counts every one, and applies what Sam sends next."""
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    withdrawn = c.a.entries.add("event", {"title": "Dinner", "start": START}, "shared")
    private = c.a.entries.add("event", {"title": "Secret", "start": START}, "private")
    c.settle()
    seen = version_body(c.b.entries.get(withdrawn.id))
    c.sa.revoke(withdrawn.id)
    c.settle()
    assert c.b.entries.get(withdrawn.id).visibility == "withdrawn"
    edit = {**seen, "rev": 2, "editor": c.b.device_id, "fields": EVENT}
    forged = [
        ("version", {**edit, "seen": 10**6}),
        ("version", {**edit, "id": private.id}),
        ("version", {**edit, "id": ABSENT}),
        ("comment", {"cid": "c1", "id": withdrawn.id, "text": "see you", "at": AT, "seen": 10**6}),
        ("ack", {"id": private.id, "state": "read", "at": AT}),
        ("accept", {"id": private.id, "digest": "d" * 64, "at": AT}),
        ("revoke", {"id": private.id, "at": AT}),
    ]
    for op_type, body in forged:
        record_as_sam(c, op_type, body)
    c.sb.sync()
    result = c.sa.sync()
    assert result.refused_ops == len(forged), result.problems
    assert all("OTTER-EDIT" not in p and "see you" not in p for p in result.problems)
    for entry in (withdrawn, private):
        now = c.a.entries.get(entry.id)
        assert (now.visibility, now.revision, now.fields) == ("private", 1, entry.fields)
        assert len(c.a.entries.history(entry.id)) == 1
        assert social_store.comments(c.a.conn, entry.id) == []
        assert social_store.responses(c.a.conn, entry.id) == []
        assert social_store.acceptances(c.a.conn, entry.id) == []
    assert not c.a.entries.exists(ABSENT)
    later = c.b.entries.add("milestone", {"title": "still syncing"})
    c.settle()
    assert c.a.entries.get(later.id).fields["title"] == "still syncing"
    c.close()


def test_a_response_that_crossed_a_withdrawal_is_applied_not_refused(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Sam (an honest client) answers Alex's entries while Alex withdraws them: the answers
    were written before Sam's device applied the withdrawals (their ``seen`` says so), so Alex's
    device applies them as a moment earlier, with no refusal to report, and both devices agree.
    Sam's acceptance of an agreement of Sam's own that Sam withdraws before Alex fetched it goes
    with it (redacted, as the entry is), rather than reaching Alex for an entry never received.
    """
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    event = c.a.entries.add("event", {"title": "Dinner", "start": START}, "shared")
    agreement = c.a.entries.add("agreement", AGREEMENT, "shared")
    c.settle()
    c.sb.comment(event.id, "see you")
    c.sb.ack(event.id)
    c.sb.accept(agreement.id)
    theirs = c.b.entries.add("agreement", AGREEMENT, "shared")
    c.sb.accept(theirs.id)
    c.sb.revoke(theirs.id)
    c.sb.sync()
    c.sa.revoke(event.id)
    c.sa.revoke(agreement.id)
    results = c.settle()
    assert all(r.refused_ops == 0 for r in results), [r.problems for r in results]
    for entry in (event, agreement):
        for rows in (social_store.comments, social_store.responses, social_store.acceptances):
            assert rows(c.a.conn, entry.id) == rows(c.b.conn, entry.id)
    assert [c.text for c in social_store.comments(c.a.conn, event.id)] == ["see you"]
    assert not c.a.entries.exists(theirs.id)
    assert social_store.acceptances(c.a.conn, theirs.id) == []
    c.close()
