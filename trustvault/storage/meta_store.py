"""The vault's settings table (``meta``): one text value per key, inside the encrypted database.

Keys written here: ``device_id``, ``vault_id``, ``name`` and ``created`` when the vault is made,
and ``ics.uid.<UID>`` for each calendar event imported (the UID mapped to the entry it became),
so importing the same file twice adds nothing twice; ``opened_at``, the latest opening
(:mod:`trustvault.openings`); ``erase_pending`` while a withdrawal's deleted content is still to
be erased (:mod:`trustvault.storage.erasure`); ``heartbeat.*``, the day this device and the
partner's last synced (:mod:`trustvault.sync.heartbeat`). Plain statements inside the caller's
transaction.
"""

from collections.abc import Iterable

from trustvault.storage.connection import Connection

__all__ = ["delete", "get", "imported_event", "put", "put_many", "remember_imported_event"]

_ICS_UID = "ics.uid."


def get(conn: Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def put(conn: Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


def delete(conn: Connection, key: str) -> None:
    conn.execute("DELETE FROM meta WHERE key = ?", (key,))


def put_many(conn: Connection, items: Iterable[tuple[str, str]]) -> None:
    """Add new settings in one statement (a key that exists already is refused)."""
    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", items)


def imported_event(conn: Connection, uid: str) -> str | None:
    """The id of the entry the calendar event ``uid`` was imported as, if it was."""
    return get(conn, _ICS_UID + uid)


def remember_imported_event(conn: Connection, uid: str, entry_id: str) -> None:
    put(conn, _ICS_UID + uid, entry_id)
