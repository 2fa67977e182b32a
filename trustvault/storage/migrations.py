"""Numbered schema files (``schema/NNN_name.sql``) applied in order, tracked by ``user_version``.

A vault written by a newer app (a higher ``user_version`` than the files here) is refused rather
than guessed at. Each upgrade step runs in its own transaction.
"""

from importlib import resources

from trustvault.errors import UnsupportedVault
from trustvault.storage.connection import Connection
from trustvault.storage.transaction import transaction

__all__ = ["LATEST_VERSION", "migrate", "schema_steps", "schema_version"]


def schema_steps() -> list[tuple[int, str]]:
    """(version, SQL) for each schema file shipped with the package, in order."""
    folder = resources.files("trustvault.storage.schema")
    steps = []
    for item in folder.iterdir():
        name = item.name
        if name.endswith(".sql") and name[:3].isdigit():
            steps.append((int(name[:3]), item.read_text(encoding="utf-8")))
    return sorted(steps)


LATEST_VERSION = schema_steps()[-1][0]


def schema_version(conn: Connection) -> int:
    """The schema the database is at (0: no vault tables yet)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Connection) -> int:
    """Bring the database up to :data:`LATEST_VERSION`; return the version it started at."""
    current = schema_version(conn)
    if current > LATEST_VERSION:
        raise UnsupportedVault(
            f"This vault was written by a newer TrustVault (schema {current});"
            " please update the app."
        )
    for version, sql in schema_steps():
        if version <= current:
            continue
        with transaction(conn):
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
    return current


def _statements(sql: str) -> list[str]:
    """Split a schema file on semicolons at line ends (schema files never embed them elsewhere)."""
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";\n") if s.strip().rstrip(";")]
