"""The reader's marks on entries (``reading_marks``, schema 12): held for a session, put away.

Plain statements inside the caller's transaction. Nothing here records a sync op: a mark is
this device's alone (:meth:`trustvault.actions.Actions.hold_for_session` and the rest).
"""

from trustvault.storage.connection import Connection

__all__ = ["HELD", "MARKS", "PUT_AWAY", "clear", "marked", "marks_of", "put"]

HELD = "held"
PUT_AWAY = "put_away"
MARKS = (HELD, PUT_AWAY)


def put(conn: Connection, entry_id: str, mark: str, at: str) -> bool:
    """Mark the entry; False when it already carried the mark."""
    cur = conn.execute(
        "INSERT OR IGNORE INTO reading_marks (entry_id, mark, marked_at) VALUES (?, ?, ?)",
        (entry_id, mark, at),
    )
    return cur.rowcount == 1


def clear(conn: Connection, entry_id: str, mark: str) -> bool:
    """Take the mark off; False when the entry did not carry it."""
    cur = conn.execute(
        "DELETE FROM reading_marks WHERE entry_id = ? AND mark = ?", (entry_id, mark)
    )
    return cur.rowcount == 1


def marks_of(conn: Connection, entry_id: str) -> set[str]:
    rows = conn.execute("SELECT mark FROM reading_marks WHERE entry_id = ?", (entry_id,))
    return {str(r[0]) for r in rows}


def marked(conn: Connection, mark: str) -> set[str]:
    """The ids of every entry carrying ``mark`` (a handful: a person marks them one by one)."""
    rows = conn.execute("SELECT entry_id FROM reading_marks WHERE mark = ?", (mark,))
    return {str(r[0]) for r in rows}
