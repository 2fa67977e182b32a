"""The table of drafts an editor kept when the vault locked (``drafts``, schema 10).

Plain statements inside the caller's transaction; :class:`trustvault.actions.Actions` keeps and
discards them, and deletes one in the same transaction as the save that finishes it. Nothing
here records a sync op: a draft never leaves this device.
"""

import json

from trustvault.results import Draft
from trustvault.storage.connection import Connection

__all__ = ["all_drafts", "delete", "delete_for_entry", "get", "put"]

_COLUMNS = "id, kind, entry_id, base_revision, fields, visibility, kept_at"


def _draft(row: tuple[object, ...]) -> Draft:
    id_, kind, entry_id, base, fields, visibility, kept_at = row
    return Draft(
        str(id_),
        str(kind),
        None if entry_id is None else str(entry_id),
        None if base is None else int(base),  # type: ignore[call-overload]
        json.loads(str(fields)),
        None if visibility is None else str(visibility),
        str(kept_at),
    )


def put(conn: Connection, draft: Draft) -> None:
    """Keep ``draft``, replacing the one with its id (the same editor locked again)."""
    conn.execute(
        f"INSERT OR REPLACE INTO drafts ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        (
            draft.id,
            draft.kind,
            draft.entry_id,
            draft.base_revision,
            json.dumps(draft.fields, ensure_ascii=False, sort_keys=True),
            draft.visibility,
            draft.kept_at,
        ),
    )


def get(conn: Connection, draft_id: str) -> Draft | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM drafts WHERE id = ?",  # noqa: S608
        (draft_id,),
    ).fetchone()
    return None if row is None else _draft(row)


def all_drafts(conn: Connection) -> list[Draft]:
    """Every kept draft, oldest first (ids are time-ordered)."""
    return [_draft(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM drafts ORDER BY id")]  # noqa: S608


def delete(conn: Connection, draft_id: str) -> bool:
    """Drop a draft; False when there was none with that id."""
    return conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,)).rowcount > 0


def delete_for_entry(conn: Connection, entry_id: str) -> None:
    """Drop every draft of an entry whose content is being erased (its author withdrew it):
    an edit in progress holds that content too."""
    conn.execute("DELETE FROM drafts WHERE entry_id = ?", (entry_id,))
