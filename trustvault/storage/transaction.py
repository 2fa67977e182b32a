"""One write, one transaction: ``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error."""

from collections.abc import Iterator
from contextlib import contextmanager

from trustvault.storage.connection import Connection

__all__ = ["transaction"]


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
