"""A structured conversation (FANOS, State of the Union), written privately, shown together.

Each person writes their part on their own device; nothing of it leaves until both are done.
The protocol is commit, then reveal (:mod:`crypto.commitment`, PROTOCOL.md §9):

1. "I'm done" fixes this person's part and sends only a ``done`` op carrying a commitment to it
   (a keyed BLAKE2b over the framed part, under a fresh secret opening).
2. A device sends its part itself (a ``reveal`` op: the answers and the opening) only once its
   own person is done *and* the partner's ``done`` has arrived (:mod:`.sync.conversation_sync`).
3. The receiving device takes a reveal in only after its own person is done and the partner's
   commitment is held, and only if the answers open that commitment; anything else is refused.

So neither device ever receives the other's words before its own are fixed, even from a
modified client, and a part cannot be changed after reading the other's. Where it stops: a
partner may decline to finish (or a modified client may keep its part back once it has read
this one: this device then shows "waiting" for ever, never a changed part), and once revealed,
what was read stays read. :data:`trustvault.conversation_view.PROMISE` says so in the faces' words.

Once the two devices are no longer paired, a conversation neither finished never can: this
person may set it aside on their own device (:func:`set_aside`). Nothing is sent (there is no
partner to send to); their part stays here, read-only, and is never revealed afterwards.
"""

import json
from collections.abc import Mapping
from datetime import datetime

from crypto.commitment import commit
from trustvault.clock import iso_now
from trustvault.conversation_templates import Template, template
from trustvault.conversation_view import Conversation, PartState, PartView
from trustvault.errors import InvalidField
from trustvault.ids import new_id
from trustvault.storage import conversation_store as store
from trustvault.storage.connection import Connection
from trustvault.storage.conversation_store import ConversationRow, PartRow
from trustvault.vault import Vault

__all__ = [
    "MAX_PART",
    "check_answers",
    "finish",
    "framed",
    "moment",
    "read",
    "read_all",
    "set_aside",
    "start",
    "write",
]

MAX_PART = 10_000
"""The longest one part may be (characters), as for a comment."""


def framed(cid: str, person: str, template_key: str, answers: Mapping[str, str]) -> bytes:
    """The bytes a commitment binds: the conversation, the writer, the template and the
    answers, as canonical JSON, so a commitment cannot be replayed elsewhere."""
    doc = {"c": cid, "by": person, "tpl": template_key, "a": dict(answers)}
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def check_answers(tpl: Template, answers: Mapping[str, object]) -> dict[str, str]:
    """The answers as stored: every part of ``tpl``, stripped; InvalidField for a part the
    template does not have, a value that is not text, or one longer than :data:`MAX_PART`."""
    unknown = set(answers) - set(tpl.keys)
    if unknown:
        raise InvalidField("part", f"{sorted(unknown)[0]!r} is not a part of {tpl.name}")
    clean = {}
    for key in tpl.keys:
        value = answers.get(key, "")
        if not isinstance(value, str):
            raise InvalidField("part", f"{key} is not text")
        if len(value) > MAX_PART:
            raise InvalidField("part", f"{key} is longer than {MAX_PART:,} characters")
        clean[key] = value.strip()
    return clean


def start(vault: Vault, template_key: str, event_id: str = "", original_start: str = "") -> str:
    """A new conversation from ``template_key``, opened from the occurrence (``event_id``,
    ``original_start``) or standalone; returns its id. Inside the caller's transaction."""
    tpl = template(template_key)
    if bool(event_id) != bool(original_start):
        raise InvalidField("occurrence", "give both the event and the start of its occurrence")
    if event_id:
        event = vault.entries.get(event_id)
        if event.kind != "event":
            raise InvalidField("occurrence", "a conversation opens from an event")
        if event.visibility != "shared":  # a private entry's id never leaves the device
            raise InvalidField("occurrence", "share the event first: the conversation is for both")
        original_start = moment(original_start)
    row = ConversationRow(new_id(), tpl.key, event_id, original_start, vault.device_id,
                          iso_now(vault.clock))  # fmt: skip
    store.add(vault.conn, row)
    store.put_part(vault.conn, PartRow(row.id, vault.device_id, dict.fromkeys(tpl.keys, ""),
                                       None, None, "", ""))  # fmt: skip
    return row.id


def write(vault: Vault, cid: str, answers: Mapping[str, object]) -> None:
    """Keep this person's answers (the parts given; the others stay as they were) until done."""
    row, mine = _mine(vault, cid)
    _not_set_aside(row)
    if mine.done:
        raise InvalidField("part", "you are done with your part: it can no longer change")
    tpl = template(row.template)
    given = check_answers(tpl, answers)
    kept = {key: given[key] if key in answers else mine.answers.get(key, "") for key in tpl.keys}
    store.put_part(vault.conn, PartRow(cid, mine.person, kept, None, None, "", ""))


def finish(vault: Vault, cid: str) -> str:
    """ "I'm done": fix this person's part and return the commitment to send (hex)."""
    row, mine = _mine(vault, cid)
    _not_set_aside(row)
    if mine.done:
        raise InvalidField("part", "you are done with your part already")
    if not any(mine.answers.values()):
        raise InvalidField("part", "write at least one part before you are done")
    opening, commitment = commit(framed(cid, mine.person, row.template, mine.answers))
    done = PartRow(cid, mine.person, mine.answers, commitment, opening, iso_now(vault.clock), "")
    store.put_part(vault.conn, done)
    return commitment.hex()


def set_aside(vault: Vault, cid: str, *, paired: bool) -> None:
    """Set an unfinished conversation aside on this device, once the pair is gone (while
    paired, the partner may still finish: it goes on)."""
    _mine(vault, cid)
    talk = read(vault.conn, cid, vault.device_id)
    if talk.set_aside:
        raise InvalidField("conversation", "it was set aside already")
    if talk.both_shown:
        raise InvalidField("conversation", "both parts are shown: nothing is waiting")
    if paired:
        raise InvalidField(
            "conversation",
            "you are still paired, so your partner may finish it; it can be set aside once"
            " you are no longer paired",
        )
    store.set_aside(vault.conn, cid, iso_now(vault.clock))


def _not_set_aside(row: ConversationRow) -> None:
    if row.set_aside:
        raise InvalidField("conversation", "it was set aside after unpairing: it cannot go on")


def read(conn: Connection, cid: str, me: str) -> Conversation:
    row = store.get(conn, cid)
    if row is None:
        raise InvalidField("conversation", f"no conversation {cid!r} in this vault")
    return _view(conn, row, me)


def read_all(conn: Connection, me: str) -> list[Conversation]:
    return [_view(conn, row, me) for row in store.all_rows(conn)]


def _view(conn: Connection, row: ConversationRow, me: str) -> Conversation:
    tpl = template(row.template)
    parts = store.parts(conn, row.id)
    mine = next((p for p in parts if p.person == me), None)
    theirs = next((p for p in parts if p.person != me), None)
    partner = theirs.person if theirs is not None else ""
    return Conversation(row.id, tpl, row.event_id, row.original_start, row.started_by,
                        row.started, _part_view(me, mine, own=True),
                        _part_view(partner, theirs, own=False), row.set_aside)  # fmt: skip


def _part_view(person: str, part: PartRow | None, *, own: bool) -> PartView:
    if part is None or not part.done:
        answers = part.answers if own and part is not None else {}
        return PartView(person, PartState.WRITING, answers, "")
    if part.revealed:
        return PartView(person, PartState.REVEALED, part.answers, part.done)
    return PartView(person, PartState.DONE, part.answers if own else {}, part.done)


def _mine(vault: Vault, cid: str) -> tuple[ConversationRow, PartRow]:
    row = store.get(vault.conn, cid)
    mine = store.part(vault.conn, cid, vault.device_id) if row is not None else None
    if row is None or mine is None:
        raise InvalidField("conversation", f"no conversation {cid!r} in this vault")
    return row, mine


def moment(text: str) -> str:
    """An occurrence's start in one written form, so both devices name it alike."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidField("occurrence", f"{text!r} is not a date and time") from None
    return moment.isoformat()
