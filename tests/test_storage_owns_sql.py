"""Storage owns every table: no SQL is run outside ``trustvault/storage/`` (and the relay).

Every ``.py`` file under ``trustvault/`` is parsed with :mod:`ast`; a call of ``.execute``,
``.executemany`` or ``.executescript`` on anything, a bare reference to one of those methods
(``run = conn.execute``) and ``getattr(x, "execute")`` all count. ``sync/`` keeps ops, envelopes,
the chain and transports and calls storage for rows; a statement elsewhere is a second way into a
table, which is the bug even when it works.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "trustvault"
SQL_METHODS = frozenset({"execute", "executemany", "executescript"})

OWNERS = ("trustvault/storage/", "trustvault/relay/")
"""Where SQL belongs: the vault's storage, and the relay server (its own, separate database)."""


def sql_calls(source: str) -> list[tuple[int, str]]:
    """(line, method) of every use of a SQL-running method in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in SQL_METHODS:
            found.append((node.lineno, node.attr))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "getattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in SQL_METHODS
        ):
            found.append((node.lineno, str(node.args[1].value)))
    return sorted(found)


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _may_run_sql(relative: str) -> bool:
    return relative.startswith(OWNERS)


def source_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_walk_finds_the_core() -> None:
    files = {_relative(p) for p in source_files()}
    assert "trustvault/sync/inbox.py" in files
    assert any(f.startswith("trustvault/storage/") for f in files)


@pytest.mark.parametrize(
    "path",
    [p for p in source_files() if not _may_run_sql(_relative(p))],
    ids=_relative,
)
def test_no_sql_outside_storage(path: Path) -> None:
    calls = sql_calls(path.read_text(encoding="utf-8"))
    where = [f"{_relative(path)}:{line}: .{method}(" for line, method in calls]
    assert where == [], "move these statements into a trustvault/storage/ module"


@pytest.mark.parametrize(
    ("source", "method"),
    [
        ("conn.execute('SELECT 1')", "execute"),
        ("self.conn.execute('DELETE FROM t WHERE id = ?', (1,)).fetchone()", "execute"),
        ("vault.conn.executemany('INSERT INTO t VALUES (?)', rows)", "executemany"),
        ("store.connection.executescript('BEGIN; COMMIT;')", "executescript"),
        ("sqlcipher3.connect(p).execute('PRAGMA key = 1')", "execute"),
        ("conn.cursor().execute('SELECT 1')", "execute"),
        ("for row in conn.execute('SELECT x FROM t'):\n    pass", "execute"),
        ("run = conn.execute\nrun('SELECT 1')", "execute"),
        ("getattr(conn, 'executemany')('INSERT', [])", "executemany"),
        ("class A:\n    def f(self):\n        return self._conn.execute('SELECT 1')", "execute"),
    ],
)
def test_the_check_catches_each_kind_of_statement(source: str, method: str) -> None:
    assert [m for _, m in sql_calls(source)] == [method]


@pytest.mark.parametrize(
    "source",
    [
        '"""Callers never run conn.execute("SELECT 1") themselves."""',
        "# conn.execute('SELECT 1')",
        "def execute(op):\n    return op",
        "outbox_store.add_op(conn, 1, None, 'ack', '{}', b'', b'')",
        "executor.submit(job)\nexecute_plan = 1",
        "text = 'INSERT INTO meta (key, value) VALUES (?, ?)'",
    ],
)
def test_the_check_allows_what_runs_no_sql(source: str) -> None:
    assert sql_calls(source) == []


def test_the_check_reports_the_line() -> None:
    assert sql_calls("x = 1\n\nconn.execute('SELECT 1')\n") == [(3, "execute")]


@pytest.mark.parametrize(
    ("relative", "allowed"),
    [
        ("trustvault/storage/outbox_store.py", True),
        ("trustvault/relay/store.py", True),
        ("trustvault/sync/pairing.py", False),
        ("trustvault/sync/outbox.py", False),
        ("trustvault/vault.py", False),
        ("trustvault/storage_helpers.py", False),
        ("trustvault/sync/storage/x.py", False),
    ],
)
def test_only_storage_and_the_relay_may_run_sql(relative: str, allowed: bool) -> None:
    assert _may_run_sql(relative) is allowed
