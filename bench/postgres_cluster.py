"""A throwaway PostgreSQL server from the system's packages, for the relay's tests and benchmark.

``initdb`` a cluster in a fresh temporary folder, start it listening on a unix socket in that
folder only (no TCP port: nothing to collide with between parallel test workers), hand out one
fresh database per relay, and stop it with ``pg_ctl stop -m immediate``. The programs are found on
PATH or under /usr/lib/postgresql/*/bin (Debian's ``postgresql`` package; ``.ci/run`` installs it).

PostgreSQL refuses to run as root: as root, every command runs as the ``postgres`` user through
``runuser`` (the Debian package creates that user), and the folder is handed to it. Connections
need no password: the cluster trusts local socket connections, and only the folder's owner can
reach the socket (mode 0700).
"""

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

__all__ = ["PostgresCluster", "find_program"]

_USER = "relay"


def find_program(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if candidates:
        return candidates[-1]
    raise RuntimeError(
        f"PostgreSQL's {name} was not found: install the server (apt-get install -y postgresql)."
    )


class PostgresCluster:
    """One server in its own folder; :meth:`new_database` gives each relay a clean database."""

    def __init__(self, *, durable: bool = False) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="tv-postgres-"))
        self.data = self.root / "data"
        self.socket = self.root / "socket"
        self.durable = durable  # tests turn fsync off; the benchmark keeps a server's defaults
        self._names = itertools.count(1)
        self._as: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        os.chmod(self.root, 0o700)

    def _run(self, *command: str) -> None:
        result = subprocess.run([*self._as, *command], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {result.stdout}{result.stderr}")

    def start(self) -> "PostgresCluster":
        self._run("mkdir", "-m", "700", str(self.socket))
        self._run(find_program("initdb"), "-D", str(self.data), "-U", _USER, "--auth=trust",
                  "-E", "UTF8", "--no-sync", "--locale=C")  # fmt: skip
        options = f"-k {self.socket} -c listen_addresses='' -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(find_program("pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.root / "server.log"), "-w", "-t", "60", "start")  # fmt: skip
        return self

    def dsn(self, database: str = "postgres") -> str:
        return f"host={self.socket} user={_USER} dbname={database}"

    def new_database(self) -> str:
        name = f"relay_{next(self._names)}"
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")  # our own name, never a user's
        return self.dsn(name)

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(find_program("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
