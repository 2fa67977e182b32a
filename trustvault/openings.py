"""When this vault was last opened on this device, so a person can notice an opening that was
not theirs ("last opened on this device: Tuesday 21:14").

Kept inside the encrypted database (``meta.opened_at``), not beside it: a plain file would tell
anyone holding the laptop when the vault is used, and anyone could rewrite it. Someone who knows
the passphrase can rewrite this one too; it is a hint for the owner, not an audit log.
"""

import sqlcipher3

from trustvault.storage import meta_store
from trustvault.storage.connection import Connection, without_waiting
from trustvault.storage.transaction import transaction

__all__ = ["record_opening"]

_KEY = "opened_at"


def record_opening(conn: Connection, now: str) -> str | None:
    """Store ``now`` as the latest opening; return the one before it (None the first time).

    A vault that cannot be written just now (read-only, or another program holds the write
    lock) still opens: the previous time is read and shown, this opening goes unrecorded.
    """
    previous = meta_store.get(conn, _KEY)
    try:
        with without_waiting(conn), transaction(conn):
            meta_store.put(conn, _KEY, now)
    except sqlcipher3.DatabaseError:
        pass  # read-only, or another program is writing: open now, note the next opening
    return previous
