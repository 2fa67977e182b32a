"""The ``ratchet_seed`` table (schema 22): ephemerals kept until the first ratchet state is in.

Plain statements inside the caller's transaction; :mod:`trustvault.sync.pair_seed` decides what
they hold and when the secrets go.
"""

from typing import NamedTuple

from trustvault.storage.connection import Connection

__all__ = ["Ephemeral", "forget", "forget_secret", "load", "save"]


class Ephemeral(NamedTuple):
    """One row: whom it is for (``peer``), the public sent, the secret (empty once used)."""

    peer: bytes
    public: bytes
    secret: bytes


def load(conn: Connection, purpose: str) -> Ephemeral | None:
    row = conn.execute(
        "SELECT peer, public, secret FROM ratchet_seed WHERE purpose = ?", (purpose,)
    ).fetchone()
    return None if row is None else Ephemeral(bytes(row[0]), bytes(row[1]), bytes(row[2]))


def save(conn: Connection, purpose: str, kept: Ephemeral) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO ratchet_seed (purpose, peer, public, secret) VALUES (?, ?, ?, ?)",
        (purpose, *kept),
    )


def forget_secret(conn: Connection, purpose: str) -> bool:
    """Delete the row's secret, keeping its public; whether there was one."""
    cursor = conn.execute(
        "UPDATE ratchet_seed SET secret = X'' WHERE purpose = ? AND secret != X''", (purpose,)
    )
    return cursor.rowcount > 0


def forget(conn: Connection, *purposes: str) -> bool:
    """Delete these rows; whether any held a secret."""
    had = False
    for purpose in purposes:
        row = load(conn, purpose)
        had = had or (row is not None and bool(row.secret))
        conn.execute("DELETE FROM ratchet_seed WHERE purpose = ?", (purpose,))
    return had
