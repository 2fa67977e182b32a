"""One write, one transaction: ``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from trustvault.storage.connection import Connection

__all__ = ["batched_transaction", "savepoint", "transaction"]


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
    # A COMMIT refused (disk full) leaves the transaction open; the next write would join it as
    # "nested" and never commit, so _commit rolls it back and the connection is clean again.
    _commit(conn)


Meanwhile = Callable[[], None]
"""Work to do while a commit runs; it must not use the connection (:func:`_commit_and_begin`)."""


@contextmanager
def batched_transaction(conn: Connection) -> Iterator[Callable[[Meanwhile | None], None]]:
    """A write transaction the block may cut in several: calling the function it yields commits
    what the block wrote so far and opens the next transaction at once. On any error the open
    one is rolled back; what was committed before stays.

    For long runs of writes that each must stay whole (applying thousands of the partner's ops,
    one envelope never split) but should share a commit. Unlike :func:`transaction` it never
    joins an outer transaction (committing would commit the caller's work): SQLite refuses it.
    The function takes work to run while the commit writes (or None).
    """
    conn.execute("BEGIN IMMEDIATE")

    def commit_and_continue(meanwhile: Meanwhile | None = None) -> None:
        _commit_and_begin(conn, meanwhile)

    try:
        yield commit_and_continue
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back already (see transaction())
            conn.execute("ROLLBACK")
        raise
    _commit(conn)


def _commit_and_begin(conn: Connection, meanwhile: Meanwhile | None = None) -> None:
    """Commit, then begin the next transaction; run ``meanwhile`` during the commit.

    A large commit is mostly SQLCipher encrypting and writing pages, which it does without the
    GIL; run on a thread of its own, it leaves this one free to compute. ``meanwhile`` must not
    use the connection, which belongs to the commit until it ends (this waits for it either way).
    A commit that fails is the error raised, even if ``meanwhile`` failed too.
    """
    if meanwhile is None:
        _commit(conn)
    else:
        failed: list[BaseException] = []
        committer = threading.Thread(target=_commit_into, args=(conn, failed), name="commit")
        committer.start()
        try:
            meanwhile()
        finally:
            committer.join()
            if failed:
                raise failed[0]
    conn.execute("BEGIN IMMEDIATE")


def _commit_into(conn: Connection, failed: list[BaseException]) -> None:
    try:
        _commit(conn)
    except BaseException as exc:  # handed to the thread that waits for it, which raises it
        failed.append(exc)


def _commit(conn: Connection) -> None:
    """COMMIT, or leave no transaction open when it is refused (a full disk)."""
    try:
        conn.execute("COMMIT")
    except BaseException:
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
