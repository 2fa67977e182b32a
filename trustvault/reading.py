"""The reader's own keeping of entries: hold one for a session, put one away.

A mark is a row in this vault (:mod:`trustvault.storage.reading_store`) and nothing else: no
op, no receipt, no change to what sync sends, so the author's device cannot learn of it. A
held entry stays closed (the faces show its content note and level of detail only) until the
person opens it; a put-away entry leaves the timeline for its own view until brought back.
"""

from trustvault.clock import iso_now
from trustvault.entries.model import Entry
from trustvault.errors import InvalidField
from trustvault.results import Reading
from trustvault.storage import reading_store
from trustvault.storage.transaction import transaction
from trustvault.vault import Vault

__all__ = ["mark", "reading_of", "unmark"]


def mark(vault: Vault, entry_id: str, which: str, *, partners_only: bool) -> Entry:
    """Mark the entry ``which`` (held, put away); holding is for the partner's shared entry."""
    with transaction(vault.conn):
        entry = vault.entries.get(entry_id)
        if partners_only and (entry.author == vault.device_id or not entry.fields):
            raise InvalidField(
                "entry", "you can hold only what your partner shared; this one is yours or gone"
            )
        reading_store.put(vault.conn, entry.id, which, iso_now(vault.clock))
    return entry


def unmark(vault: Vault, entry_id: str, which: str) -> Entry:
    with transaction(vault.conn):
        entry = vault.entries.get(entry_id)
        reading_store.clear(vault.conn, entry.id, which)
    return entry


def reading_of(vault: Vault, entry_id: str) -> Reading:
    marks = reading_store.marks_of(vault.conn, entry_id)
    return Reading(held=reading_store.HELD in marks, put_away=reading_store.PUT_AWAY in marks)
