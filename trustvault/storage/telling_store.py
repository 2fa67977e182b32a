"""When disclosures reached the partner's device, and when this device first shared its own
(``arrivals`` and ``first_shared``, schema 11).

Plain statements inside the caller's transaction; :mod:`trustvault.sync.tellings` decides what is
written and :mod:`trustvault.telling` what the days mean. Days are ``YYYY-MM-DD`` text.
"""

from collections.abc import Iterable, Sequence

from trustvault.storage.connection import Connection

__all__ = [
    "accounts",
    "add_arrivals",
    "arrivals",
    "arrivals_of",
    "first_shared",
    "first_shared_of",
    "forget",
    "mark_first_shared",
]

Arrival = tuple[int, str]
"""(revision, the day it first reached the reader's device)."""


def add_arrivals(conn: Connection, rows: Iterable[tuple[str, int, str]]) -> None:
    """(entry id, revision, day) of versions that reached the reader; the first day stays."""
    conn.executemany(
        "INSERT OR IGNORE INTO arrivals (entry_id, revision, received_on) VALUES (?, ?, ?)",
        list(rows),
    )


def arrivals(conn: Connection, entry_id: str) -> list[Arrival]:
    rows = conn.execute(
        "SELECT revision, received_on FROM arrivals WHERE entry_id = ? ORDER BY revision",
        (entry_id,),
    )
    return [(int(r), str(d)) for r, d in rows]


def arrivals_of(conn: Connection, entry_ids: Sequence[str]) -> dict[str, list[Arrival]]:
    """:func:`arrivals` of many entries in one query (absent: none arrived)."""
    out: dict[str, list[Arrival]] = {}
    for start in range(0, len(entry_ids), 500):
        chunk = list(entry_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT entry_id, revision, received_on FROM arrivals"  # noqa: S608
            f" WHERE entry_id IN ({marks}) ORDER BY entry_id, revision",
            chunk,
        )
        for entry_id, revision, day in rows:
            out.setdefault(str(entry_id), []).append((int(revision), str(day)))
    return out


def mark_first_shared(conn: Connection, entry_ids: Iterable[str], day: str) -> None:
    """These disclosures of this device's left it today (the first time counts)."""
    conn.executemany(
        "INSERT OR IGNORE INTO first_shared (entry_id, shared_on) VALUES (?, ?)",
        [(entry_id, day) for entry_id in entry_ids],
    )


def first_shared(conn: Connection, entry_id: str) -> str | None:
    row = conn.execute(
        "SELECT shared_on FROM first_shared WHERE entry_id = ?", (entry_id,)
    ).fetchone()
    return None if row is None else str(row[0])


def first_shared_of(conn: Connection, entry_ids: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for start in range(0, len(entry_ids), 500):
        chunk = list(entry_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT entry_id, shared_on FROM first_shared WHERE entry_id IN ({marks})",  # noqa: S608
            chunk,
        )
        out.update((str(e), str(d)) for e, d in rows)
    return out


def accounts(conn: Connection) -> list[tuple[str, str, str]]:
    """(entry id, author, complete as of) of every disclosure its author called a full account."""
    rows = conn.execute(
        "SELECT id, author, json_extract(fields, '$.complete_as_of') FROM entries"
        " WHERE kind = 'disclosure' AND json_extract(fields, '$.complete_as_of') IS NOT NULL"
    )
    return [(str(i), str(a), str(c)) for i, a, c in rows]


def forget(conn: Connection, entry_id: str) -> None:
    """The entry was deleted for good: nothing of it stays, not even when it arrived."""
    conn.execute("DELETE FROM arrivals WHERE entry_id = ?", (entry_id,))
    conn.execute("DELETE FROM first_shared WHERE entry_id = ?", (entry_id,))
