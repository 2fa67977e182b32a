"""The three conversation ops, sent and applied (:mod:`trustvault.conversations` has the why).

    conversation  cid, template, event, start, by, at   a conversation opened by the sender
    done          cid, commit, at                       the sender's part is fixed: its
                                                        commitment (hex), never the part
    reveal        cid, answers, opening, at             the sender's part itself, sent only
                                                        once both are done

What the partner's device may send is checked here (PROTOCOL.md §9): a conversation only in
its own name; a ``done`` only for a conversation held here, once, with one commitment; a
``reveal`` only after its own ``done`` *and* after this person's own part is done, opening that
commitment exactly (constant-time, :func:`crypto.commitment.opens`).
"""

from typing import Any

from crypto.commitment import COMMITMENT_SIZE, opens
from trustvault.clock import iso_now
from trustvault.conversation_templates import TEMPLATES
from trustvault.conversations import check_answers, framed, moment
from trustvault.errors import InvalidField, PairingError
from trustvault.storage import conversation_store as store
from trustvault.storage.connection import Connection
from trustvault.storage.conversation_store import ConversationRow, PartRow
from trustvault.storage.entry_store import EntryStore
from trustvault.sync import closing_state, outbox
from trustvault.sync.pair_state import PairState, load_pair, save_pair

__all__ = ["OP_TYPES", "apply_op", "record", "reveal_due"]

OP_TYPES = ("conversation", "done", "reveal")


def record(conn: Connection, op_type: str, body: dict[str, Any]) -> PairState:
    """Queue a conversation op (inside the caller's transaction); a conversation is between the
    two of a pairing, so unpaired there is nothing to do it with."""
    state = load_pair(conn)
    if state is None or not state.paired:
        raise PairingError("A conversation is with your partner: pair first ('invite', 'join').")
    outbox.record(conn, state, op_type, body, None)
    save_pair(conn, state)
    return state


def start_body(row: ConversationRow) -> dict[str, Any]:
    return {"cid": row.id, "template": row.template, "event": row.event_id,
            "start": row.original_start, "by": row.started_by, "at": row.started}  # fmt: skip


def reveal_due(conn: Connection, me: str, clock_now: str, state: PairState | None = None) -> int:
    """Send this person's part in every conversation where both are done and it has not gone
    yet (after applying the partner's ops, and at "I'm done"); returns how many went. With
    ``state`` (a sync round's, which it saves itself) the ops are recorded on it."""
    caller_saves = state is not None
    state = state or load_pair(conn)
    if state is None or not state.paired or not closing_state.may_send(conn, "reveal"):
        return 0
    due = store.unrevealed_done(conn, me, state.partner_device)
    for cid in due:
        part = store.part(conn, cid, me)
        assert part is not None and part.opening is not None  # done: unrevealed_done says so
        body = {"cid": cid, "answers": part.answers, "opening": part.opening.hex(), "at": clock_now}
        outbox.record(conn, state, "reveal", body, None)
        store.put_part(conn, PartRow(cid, me, part.answers, part.commitment, part.opening,
                                     part.done, clock_now))  # fmt: skip
    if due and not caller_saves:
        save_pair(conn, state)
    return len(due)


def apply_op(store_: EntryStore, partner: str, op: dict[str, Any]) -> None:
    """Apply the partner's ``conversation``, ``done`` or ``reveal`` op, or refuse it."""
    from trustvault.sync.apply import OpRefused, _text  # apply imports this lazily

    conn, me = store_.connection, store_.device
    cid = _text(op, "cid")
    if op.get("t") == "conversation":
        _apply_start(store_, partner, op, cid)
        return
    row = store.get(conn, cid)
    if row is None:
        raise OpRefused("it names a conversation this vault does not hold")
    theirs = store.part(conn, cid, partner)
    if op.get("t") == "done":
        commitment = _hex(op, "commit")
        if len(commitment) != COMMITMENT_SIZE:
            raise OpRefused("malformed done: commit is not a commitment")
        if theirs is not None and theirs.done:
            if theirs.commitment != commitment:
                raise OpRefused("it changes a part your partner was already done with")
            return
        at = _text(op, "at")
        store.put_part(conn, PartRow(cid, partner, {}, commitment, None, at, ""))
        return
    mine = store.part(conn, cid, me)
    if theirs is None or theirs.commitment is None:
        raise OpRefused("a conversation part came before your partner was done with it")
    if mine is None or not mine.done:
        raise OpRefused("a conversation part came before yours was done")
    raw = op.get("answers")
    if not isinstance(raw, dict):
        raise OpRefused("malformed reveal: answers is not an object")
    try:
        answers = check_answers(TEMPLATES[row.template], raw)
    except InvalidField:
        raise OpRefused("malformed reveal: its answers do not fit the conversation") from None
    opening = _hex(op, "opening")
    if answers != raw or not opens(
        theirs.commitment, opening, framed(cid, partner, row.template, raw)
    ):
        raise OpRefused("a conversation part does not match what your partner committed to")
    if theirs.revealed:
        return  # the same part again (the commitment binds it): nothing new
    store.put_part(conn, PartRow(cid, partner, answers, theirs.commitment, opening, theirs.done,
                                 iso_now(store_.clock)))  # fmt: skip


def _apply_start(store_: EntryStore, partner: str, op: dict[str, Any], cid: str) -> None:
    from trustvault.sync.apply import OpRefused, _text

    conn = store_.connection
    by, key = _text(op, "by"), _text(op, "template")
    if by != partner:
        raise OpRefused("a conversation names someone else as who opened it")
    if key not in TEMPLATES:
        raise OpRefused("this app does not know that conversation")
    event, start = _text(op, "event"), _text(op, "start")
    if bool(event) != bool(start):
        raise OpRefused("malformed conversation: an event without its occurrence")
    try:
        start = moment(start) if start else ""
    except InvalidField:
        raise OpRefused("malformed conversation: start is not a date and time") from None
    held = store_.authorship_of(event) if event else None
    if held is not None and held[2] != "event":
        raise OpRefused("a conversation names an entry that is not an event")
    row = ConversationRow(cid, key, event, start, by, _text(op, "at"))
    stored = store.get(conn, cid)
    if stored is not None:
        if stored != row:
            raise OpRefused("it rewrites a conversation")
        return
    store.add(conn, row)
    tpl = TEMPLATES[key]
    store.put_part(conn, PartRow(cid, store_.device, dict.fromkeys(tpl.keys, ""), None, None,
                                 "", ""))  # fmt: skip


def _hex(op: dict[str, Any], key: str) -> bytes:
    from trustvault.sync.apply import OpRefused, _text

    try:
        return bytes.fromhex(_text(op, key))
    except ValueError:  # not hexadecimal: fromhex's only failure
        raise OpRefused(f"malformed {op.get('t')}: {key} is not hexadecimal") from None
