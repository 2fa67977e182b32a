"""The ``occurrence_marks`` table (schema 15): plain statements inside the caller's transaction.

:mod:`trustvault.routines` decides what a mark may be and which of two marks wins.
"""

from trustvault.occurrence_ref import OccurrenceRef
from trustvault.results import MarkState, OccurrenceMark
from trustvault.storage.connection import Connection

__all__ = ["all_marks", "get", "put"]

_COLUMNS = "event_id, original, state, marked_by, at"


def _mark(row: tuple[object, ...]) -> OccurrenceMark:
    event_id, original, state, marked_by, at = (str(v) for v in row)
    return OccurrenceMark(OccurrenceRef(event_id, original), MarkState(state), marked_by, at)


def put(conn: Connection, mark: OccurrenceMark) -> None:
    """Store the mark, replacing any earlier one on the same occurrence."""
    conn.execute(
        f"INSERT OR REPLACE INTO occurrence_marks ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)",  # noqa: S608
        (mark.ref.event_id, mark.ref.original, mark.state, mark.marked_by, mark.at),
    )


def get(conn: Connection, ref: OccurrenceRef) -> OccurrenceMark | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM occurrence_marks WHERE event_id = ? AND original = ?",  # noqa: S608
        (ref.event_id, ref.original),
    ).fetchone()
    return None if row is None else _mark(row)


def all_marks(conn: Connection) -> list[OccurrenceMark]:
    """Every mark, by event and original start (marks are made by hand: a small table)."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM occurrence_marks ORDER BY event_id, original"  # noqa: S608
    )
    return [_mark(r) for r in rows]
