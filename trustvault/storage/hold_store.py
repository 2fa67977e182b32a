"""The table of shares that have not left this device yet (``send_holds``, schema 8).

Plain statements inside the caller's transaction; :mod:`trustvault.sync.send_hold` decides when a
share waits, when it leaves and what undoing it restores.
"""

from typing import NamedTuple

from trustvault.storage.connection import Connection

__all__ = [
    "Hold",
    "add_many",
    "all_holds",
    "delete",
    "delete_all",
    "first_waiting",
    "get",
    "holds_after",
    "move",
    "release_sealed",
    "waiting",
]


class Hold(NamedTuple):
    """One share waiting here: its first op, when it may leave, and what undoing it restores."""

    entry_id: str
    first_seq: int
    until: str
    chain_before: bytes
    had_sharing: bool
    prior_last_seq: int | None
    prior_delivered: str | None
    prior_withdrawn: str | None


_COLUMNS = (
    "entry_id, first_seq, until, chain_before, had_sharing, prior_last_seq, prior_delivered,"
    " prior_withdrawn"
)


def _hold(row: tuple[object, ...]) -> Hold:
    entry_id, first, until, chain, had, last, delivered, withdrawn = row
    return Hold(
        str(entry_id),
        int(first),  # type: ignore[call-overload]
        str(until),
        bytes(chain),  # type: ignore[call-overload]
        bool(had),
        None if last is None else int(last),  # type: ignore[call-overload]
        None if delivered is None else str(delivered),
        None if withdrawn is None else str(withdrawn),
    )


def add_many(conn: Connection, holds: list[Hold]) -> None:
    """Start holds; an entry already waiting keeps its first (the later ops wait with it)."""
    conn.executemany(
        f"INSERT OR IGNORE INTO send_holds ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        holds,
    )


def get(conn: Connection, entry_id: str) -> Hold | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM send_holds WHERE entry_id = ?",  # noqa: S608
        (entry_id,),
    ).fetchone()
    return None if row is None else _hold(row)


def all_holds(conn: Connection) -> list[Hold]:
    """Every share still here, in sequence order."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM send_holds ORDER BY first_seq")  # noqa: S608
    return [_hold(r) for r in rows]


def holds_after(conn: Connection, seq: int) -> list[Hold]:
    """The shares whose first op comes after ``seq``, in sequence order."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM send_holds WHERE first_seq > ? ORDER BY first_seq",  # noqa: S608
        (seq,),
    )
    return [_hold(r) for r in rows]


def first_waiting(conn: Connection, now: str) -> int | None:
    """The first seq of the earliest share whose moment is after ``now`` (ISO text, UTC, the
    form ``until`` is stored in, so text order is time order)."""
    row = conn.execute("SELECT min(first_seq) FROM send_holds WHERE until > ?", (now,)).fetchone()
    return None if row[0] is None else int(row[0])


def waiting(conn: Connection, now: str) -> tuple[int, str]:
    """How many shares wait past ``now``, and the earliest moment one of them leaves ("")."""
    row = conn.execute(
        "SELECT count(*), min(until) FROM send_holds WHERE until > ?", (now,)
    ).fetchone()
    return int(row[0]), str(row[1] or "")


def delete(conn: Connection, entry_id: str) -> None:
    conn.execute("DELETE FROM send_holds WHERE entry_id = ?", (entry_id,))


def delete_all(conn: Connection) -> None:
    conn.execute("DELETE FROM send_holds")


def release_sealed(conn: Connection, packed_seq: int) -> None:
    """The shares whose first op is sealed have left the hold."""
    conn.execute("DELETE FROM send_holds WHERE first_seq <= ?", (packed_seq,))


def move(conn: Connection, entry_id: str, first_seq: int, chain_before: bytes) -> None:
    """The unsealed ops were renumbered: this share now starts at ``first_seq``."""
    conn.execute(
        "UPDATE send_holds SET first_seq = ?, chain_before = ? WHERE entry_id = ?",
        (first_seq, chain_before, entry_id),
    )
