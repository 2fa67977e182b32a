"""One write, one transaction: ``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error."""

from collections.abc import Iterator
from contextlib import contextmanager

from trustvault.storage.connection import Connection

__all__ = ["savepoint", "transaction"]


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """Run the block atomically; a nested use joins the outer transaction."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        # SQLite has already rolled back after some errors (a full disk, an I/O error): a second
        # ROLLBACK would fail and hide the error that explains what happened.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        # A COMMIT refused (disk full) leaves the transaction open; the next write would join
        # it as "nested" and never commit. Roll it back so the connection is clean again.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


@contextmanager
def savepoint(conn: Connection, name: str = "step") -> Iterator[Connection]:
    """A nested, individually undoable step inside an open transaction."""
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:  # else SQLite rolled everything back already (see above)
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")
