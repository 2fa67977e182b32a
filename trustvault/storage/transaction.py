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
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def savepoint(conn: Connection, name: str = "step") -> Iterator[Connection]:
    """A nested, individually undoable step inside an open transaction."""
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield conn
    except BaseException:
        conn.execute(f"ROLLBACK TO {name}")
        conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")
