"""The ``homework_done`` table (schema 17): plain statements inside the caller's transaction.

:mod:`trustvault.homework` decides who may mark an item done.
"""

from trustvault.storage.connection import Connection

__all__ = ["done_marks", "set_done"]


def set_done(conn: Connection, entry_id: str, person: str, done_at: str | None) -> None:
    """``person``'s latest word on the item: done at ``done_at``, or not done (None)."""
    if done_at is None:
        conn.execute(
            "DELETE FROM homework_done WHERE entry_id = ? AND person = ?", (entry_id, person)
        )
    else:
        conn.execute(
            "INSERT OR REPLACE INTO homework_done (entry_id, person, done_at) VALUES (?, ?, ?)",
            (entry_id, person, done_at),
        )


def done_marks(conn: Connection) -> dict[str, dict[str, str]]:
    """Every mark: entry id -> person -> when it was done (one read for a whole list)."""
    out: dict[str, dict[str, str]] = {}
    for entry_id, person, done_at in conn.execute(
        "SELECT entry_id, person, done_at FROM homework_done"
    ):
        out.setdefault(str(entry_id), {})[str(person)] = str(done_at)
    return out
