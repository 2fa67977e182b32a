"""The ``pauses`` table (schema 13): plain statements inside the caller's transaction.

:mod:`trustvault.pauses` decides what a pause may be and which word on it wins.
"""

from trustvault.results import Pause
from trustvault.storage.connection import Connection

__all__ = ["all_pauses", "forget_all", "get", "latest", "put"]

_COLUMNS = "id, asked_by, started, until, ended, came_back, at"


def _pause(row: tuple[object, ...]) -> Pause:
    pid, asked_by, started, until, ended, came_back, at = row
    return Pause(str(pid), str(asked_by), str(started), str(until), str(ended), bool(came_back),
                 str(at))  # fmt: skip


def put(conn: Connection, pause: Pause) -> None:
    """Store the pause as given (a new one, or a newer word on one)."""
    conn.execute(
        f"INSERT OR REPLACE INTO pauses ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        (pause.id, pause.asked_by, pause.started, pause.until, pause.ended,
         int(pause.came_back), pause.at),
    )  # fmt: skip


def get(conn: Connection, pause_id: str) -> Pause | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM pauses WHERE id = ?",  # noqa: S608
        (pause_id,),
    ).fetchone()
    return None if row is None else _pause(row)


def latest(conn: Connection) -> Pause | None:
    """The pause asked for last, ended or not."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM pauses ORDER BY started DESC, id DESC LIMIT 1"  # noqa: S608
    ).fetchone()
    return None if row is None else _pause(row)


def all_pauses(conn: Connection) -> list[Pause]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM pauses ORDER BY started")  # noqa: S608
    return [_pause(r) for r in rows]


def forget_all(conn: Connection) -> None:
    conn.execute("DELETE FROM pauses")
