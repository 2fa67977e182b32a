"""A full disk, a read-only vault and another program holding the lock are told apart from
damage, with their own words and exit codes, and nothing is half-written.

The faults are real SQLite errors on real vault files: ``max_page_count`` makes the database
full at its current size, ``query_only`` makes it refuse writes, a second connection's write
transaction holds the lock.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3

import trustvault.storage.connection as connection
from tests.helpers import PASSPHRASE, run_cli
from trustvault.errors import CorruptFile, DiskFull, StorageError, VaultBusy, VaultReadOnly
from trustvault.paths import DB_NAME
from trustvault.storage.db_errors import user_error
from trustvault.vault import Vault
from ui.failures import user_message


def _cli(folder: Path, *args: str) -> tuple[int, str]:
    done = run_cli(folder, *args)
    return done.code, done.err


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRUSTVAULT_PASSPHRASE", PASSPHRASE)
    folder = tmp_path / "vault"
    assert _cli(folder, "init", "--name", "Alex", "--kdf", "interactive")[0] == 0
    assert _cli(folder, "add", "milestone", "--title", "First")[0] == 0
    return folder


def _every_connection(monkeypatch: pytest.MonkeyPatch, *pragmas: str) -> None:
    """Open every vault connection with ``pragmas`` applied (the fault under test)."""
    real = connection.open_database

    def faulty(path: Path, key: bytes, *, create: bool = False) -> connection.Connection:
        conn = real(path, key, create=create)
        for pragma in pragmas:
            conn.execute(pragma)
        return conn

    monkeypatch.setattr(connection, "open_database", faulty)
    monkeypatch.setattr("trustvault.vault.open_database", faulty)


def _titles(folder: Path) -> list[str]:
    done = run_cli(folder, "list", "--json")
    assert done.code == 0
    return [e["title"] for e in done.json()]


def test_a_full_disk_says_so_exits_74_and_stores_nothing(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = _page_count(folder)
    with monkeypatch.context() as patch:
        _every_connection(patch, f"PRAGMA max_page_count = {pages}")
        code, err = _cli(folder, "add", "milestone", "--title", "Second", "--note", "x" * 9_000)
    assert code == 74
    assert "is full" in err and "damaged" not in err and len(err.splitlines()) == 1
    assert _titles(folder) == ["First"]


def test_a_read_only_vault_says_so_and_exits_77(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        _every_connection(patch, "PRAGMA query_only = ON")
        code, err = _cli(folder, "add", "milestone", "--title", "Second")
    assert code == 77
    assert "read-only" in err and "damaged" not in err
    assert _titles(folder) == ["First"]


def test_a_vault_held_by_another_program_says_try_again_and_exits_75(folder: Path) -> None:
    holder = sqlcipher3.connect(str(folder / DB_NAME), isolation_level=None)
    with Vault.unlock(folder, PASSPHRASE) as other:
        other.conn.execute("BEGIN IMMEDIATE")  # another process writing, for longer than 5 s
        code, err = _cli(folder, "add", "milestone", "--title", "Second")
        other.conn.execute("ROLLBACK")
    holder.close()
    assert code == 75
    assert "Another program is using" in err and "try again" in err and "damaged" not in err
    assert _titles(folder) == ["First"]


@pytest.fixture
def sqlite_errors(tmp_path: Path) -> Iterator[dict[str, BaseException]]:
    """Real exceptions from SQLite for each cause."""
    path = tmp_path / "plain.db"
    conn = sqlcipher3.connect(str(path), isolation_level=None, timeout=0)
    conn.execute("CREATE TABLE t (x)")
    found: dict[str, BaseException] = {}
    other = sqlcipher3.connect(str(path), isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    found["busy"] = _raised(lambda: conn.execute("BEGIN IMMEDIATE"))
    other.execute("ROLLBACK")
    conn.execute("PRAGMA query_only = ON")
    found["readonly"] = _raised(lambda: conn.execute("INSERT INTO t VALUES (1)"))
    conn.execute("PRAGMA query_only = OFF")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    found["full"] = _raised(lambda: conn.execute("INSERT INTO t VALUES (zeroblob(100000))"))
    (tmp_path / "junk.db").write_bytes(b"this is not a database at all" * 200)
    junk = sqlcipher3.connect(str(tmp_path / "junk.db"))
    found["notadb"] = _raised(lambda: junk.execute("SELECT * FROM sqlite_master"))
    conn.close()
    found["closed"] = _raised(lambda: conn.execute("SELECT 1"))
    yield found
    other.close()
    junk.close()


def _raised(fn: object) -> BaseException:
    try:
        fn()  # type: ignore[operator]
    except sqlcipher3.Error as exc:
        return exc
    raise AssertionError("SQLite did not refuse")


@pytest.mark.parametrize(
    ("cause", "error", "exit_code"),
    [
        ("full", DiskFull, 74),
        ("readonly", VaultReadOnly, 77),
        ("busy", VaultBusy, 75),
        ("notadb", CorruptFile, 3),
    ],
)
def test_each_cause_has_its_own_error(
    sqlite_errors: dict[str, BaseException], cause: str, error: type, exit_code: int
) -> None:
    problem = user_error(sqlite_errors[cause], Path("/v/vault.db"))
    assert isinstance(problem, error) and problem.exit_code == exit_code
    assert ("damaged" in problem.message) == (error is CorruptFile)
    if error is not CorruptFile:
        assert isinstance(problem, StorageError) and "othing was" in problem.message
    assert user_message(sqlite_errors[cause], Path("/v")) == problem.message  # the app's words


def test_a_closed_connection_is_a_bug_not_a_storage_problem(
    sqlite_errors: dict[str, BaseException],
) -> None:
    assert user_error(sqlite_errors["closed"], Path("/v/vault.db")) is None


def _page_count(folder: Path) -> int:
    with Vault.unlock(folder, PASSPHRASE) as vault:
        vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(vault.conn.execute("PRAGMA page_count").fetchone()[0])


def test_after_a_full_disk_the_next_write_commits(folder: Path) -> None:
    """The app keeps its connection open: a write refused for space must leave it clean, or the
    next write would join a dead transaction and never be committed."""
    from trustvault.actions import Actions

    with Actions.unlock(folder, PASSPHRASE) as actions:
        conn = actions._vault.conn
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(sqlcipher3.OperationalError) as refused:
            actions.add("milestone", {"title": "Big", "note": "x" * 9_000})
        assert isinstance(user_error(refused.value, folder / DB_NAME), DiskFull)
        assert not conn.in_transaction
        conn.execute(f"PRAGMA max_page_count = {pages * 10}")
        actions.add("milestone", {"title": "After"})
    assert sorted(_titles(folder)) == ["After", "First"]
