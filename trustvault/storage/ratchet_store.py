"""The ratchet tables (schema 20): the packed state, sent envelopes' message keys, seen publics.

Plain statements inside the caller's transaction; :mod:`trustvault.sync.ratchet_state` decides
what they hold and when keys go.
"""

from typing import NamedTuple

from trustvault.storage.connection import Connection

__all__ = [
    "Stored",
    "add_sent_key",
    "forget_sent_keys",
    "load",
    "mark_seen",
    "save",
    "seen",
    "sent_key",
    "sent_key_count",
]


class Stored(NamedTuple):
    """The ratchet row: the packed state and the days-of-use counters (see schema 20)."""

    state: bytes
    stepped: int
    used: int
    last_day: str


def load(conn: Connection, pair_id: bytes) -> Stored | None:
    """The row of this pairing's ratchet, if there is one."""
    row = conn.execute(
        "SELECT state, stepped, used, last_day FROM ratchet WHERE pair_id = ?", (pair_id,)
    ).fetchone()
    return None if row is None else Stored(bytes(row[0]), int(row[1]), int(row[2]), str(row[3]))


def save(conn: Connection, pair_id: bytes, stored: Stored) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO ratchet (one, pair_id, state, stepped, used, last_day)"
        " VALUES (1, ?, ?, ?, ?, ?)",
        (pair_id, *stored),
    )


def add_sent_key(conn: Connection, first: int, key: bytes, field: bytes) -> None:
    conn.execute(
        "INSERT INTO ratchet_sent_keys (first_seq, message_key, field) VALUES (?, ?, ?)",
        (first, key, field),
    )


def sent_key(conn: Connection, first: int) -> tuple[bytes, bytes] | None:
    """(message key, ratchet field) of the unconfirmed envelope starting at ``first``."""
    row = conn.execute(
        "SELECT message_key, field FROM ratchet_sent_keys WHERE first_seq = ?", (first,)
    ).fetchone()
    return None if row is None else (bytes(row[0]), bytes(row[1]))


def sent_key_count(conn: Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM ratchet_sent_keys").fetchone()[0])


def forget_sent_keys(conn: Connection, through: int) -> int:
    """Delete the keys of envelopes a receipt for ``through`` covers; how many went."""
    cursor = conn.execute("DELETE FROM ratchet_sent_keys WHERE first_seq <= ?", (through,))
    return int(cursor.rowcount)


def seen(conn: Connection, public: bytes) -> bool:
    row = conn.execute("SELECT 1 FROM ratchet_seen WHERE public = ?", (public,)).fetchone()
    return row is not None


def mark_seen(conn: Connection, public: bytes) -> None:
    conn.execute("INSERT OR IGNORE INTO ratchet_seen (public) VALUES (?)", (public,))
