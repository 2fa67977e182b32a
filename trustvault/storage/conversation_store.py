"""The ``conversations`` and ``conversation_parts`` tables (schemas 16 and 21): plain statements
inside the caller's transaction. :mod:`trustvault.conversations` decides what may be written."""

import json
from dataclasses import dataclass, field

from trustvault.storage.connection import Connection

__all__ = [
    "ConversationRow",
    "PartRow",
    "add",
    "all_rows",
    "get",
    "part",
    "parts",
    "put_part",
    "set_aside",
    "unrevealed_done",
]


@dataclass(frozen=True)
class ConversationRow:
    id: str
    template: str
    event_id: str
    original_start: str
    started_by: str
    started: str
    set_aside: str = field(default="", compare=False)
    """When this person set it aside on this device ('' while it goes on): never sent, so a
    partner's op naming the conversation compares equal without it."""


@dataclass(frozen=True)
class PartRow:
    conversation: str
    person: str
    answers: dict[str, str]
    commitment: bytes | None
    opening: bytes | None
    done: str
    revealed: str


_CONV = "id, template, event_id, original_start, started_by, started, set_aside"
_PART = "conversation, person, answers, commitment, opening, done, revealed"


def _conversation(row: tuple[object, ...]) -> ConversationRow:
    return ConversationRow(*(str(value) for value in row))


def _part(row: tuple[object, ...]) -> PartRow:
    cid, person, answers, commitment, opening, done, revealed = row
    return PartRow(str(cid), str(person), dict(json.loads(str(answers))), _blob(commitment),
                   _blob(opening), str(done), str(revealed))  # fmt: skip


def _blob(value: object) -> bytes | None:
    return bytes(value) if isinstance(value, bytes | bytearray | memoryview) else None


def add(conn: Connection, row: ConversationRow) -> None:
    conn.execute(
        f"INSERT INTO conversations ({_CONV}) VALUES (?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        (row.id, row.template, row.event_id, row.original_start, row.started_by, row.started,
         row.set_aside),
    )  # fmt: skip


def set_aside(conn: Connection, cid: str, when: str) -> None:
    conn.execute("UPDATE conversations SET set_aside = ? WHERE id = ?", (when, cid))


def get(conn: Connection, cid: str) -> ConversationRow | None:
    row = conn.execute(f"SELECT {_CONV} FROM conversations WHERE id = ?", (cid,)).fetchone()  # noqa: S608
    return None if row is None else _conversation(row)


def all_rows(conn: Connection) -> list[ConversationRow]:
    """Every conversation, the newest first."""
    rows = conn.execute(f"SELECT {_CONV} FROM conversations ORDER BY started DESC, id")  # noqa: S608
    return [_conversation(r) for r in rows]


def part(conn: Connection, cid: str, person: str) -> PartRow | None:
    row = conn.execute(
        f"SELECT {_PART} FROM conversation_parts WHERE conversation = ? AND person = ?",  # noqa: S608
        (cid, person),
    ).fetchone()
    return None if row is None else _part(row)


def parts(conn: Connection, cid: str) -> list[PartRow]:
    rows = conn.execute(
        f"SELECT {_PART} FROM conversation_parts WHERE conversation = ?",  # noqa: S608
        (cid,),
    )
    return [_part(r) for r in rows]


def put_part(conn: Connection, part: PartRow) -> None:
    """Store the part as given (a new one, or a later state of it)."""
    answers = json.dumps(part.answers, sort_keys=True, ensure_ascii=False)
    conn.execute(
        f"INSERT OR REPLACE INTO conversation_parts ({_PART}) VALUES (?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        (part.conversation, part.person, answers, part.commitment, part.opening, part.done,
         part.revealed),
    )  # fmt: skip


def unrevealed_done(conn: Connection, person: str, partner: str) -> list[str]:
    """Conversations where ``person`` is done but has not revealed and ``partner`` is done: the
    ones whose part ``person``'s device sends now (never one set aside)."""
    rows = conn.execute(
        "SELECT mine.conversation FROM conversation_parts AS mine"
        " JOIN conversation_parts AS theirs ON theirs.conversation = mine.conversation"
        " JOIN conversations AS c ON c.id = mine.conversation AND c.set_aside = ''"
        " WHERE mine.person = ? AND mine.done != '' AND mine.revealed = ''"
        " AND theirs.person = ? AND theirs.done != ''",
        (person, partner),
    )
    return [str(r[0]) for r in rows]
