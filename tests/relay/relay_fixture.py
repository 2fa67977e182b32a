"""A real ``trustvault-relay`` process on loopback for tests: start, kill, restart on one port."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import psycopg

from trustvault.sync.relay_transport import RelayCredentials, create_mailbox, join_mailbox

__all__ = ["GENEROUS", "RelayServer", "free_port", "make_pair"]

# Tests create many mailboxes from one address; the create limit has its own test.
GENEROUS = ["--create-rate", "100000", "--create-burst", "100000"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RelayServer:
    """``python -m trustvault.relay.server`` with its own data folder; the log goes to a file."""

    def __init__(
        self,
        data: Path,
        args: list[str] | None = None,
        scheme: str = "http",
        preexec: Callable[[], None] | None = None,
        postgres: str | None = None,
    ) -> None:
        self.data = data
        self.postgres = postgres  # a database to keep mailboxes in instead of data/ (SQLite)
        self.preexec = preexec  # run in the child before the relay starts (resource limits)
        self.args = list(GENEROUS if args is None else args)
        self.port = free_port()
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.log = data.parent / f"{data.name}-relay.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 20.0) -> "RelayServer":
        store = ["--postgres", self.postgres] if self.postgres else ["--data", str(self.data)]
        command = [sys.executable, "-m", "trustvault.relay.server", "--host", "127.0.0.1",
                   "--port", str(self.port), *store, *self.args]  # fmt: skip
        self.data.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, preexec_fn=self.preexec
            )
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()  # never leave a server behind a failed start
            raise
        return self

    def _wait_ready(self, timeout: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"relay exited {self.process.returncode}: {self.log_text()}")
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=1.0).is_success:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"relay not ready after {timeout}s: {self.log_text()}")

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown, no chance to flush anything."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def stored(self) -> bytes:
        """Everything the relay keeps: its files, or every row of its PostgreSQL database."""
        if self.postgres is None:
            return b"".join(p.read_bytes() for p in self.data.iterdir() if p.is_file())
        with psycopg.connect(self.postgres) as conn:
            rows = [
                *conn.execute("SELECT * FROM mailboxes").fetchall(),
                *conn.execute("SELECT * FROM blobs").fetchall(),
            ]
        return b"".join(v if isinstance(v, bytes) else str(v).encode() for r in rows for v in r)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def make_pair(url: str) -> tuple[RelayCredentials, RelayCredentials]:
    token = os.urandom(32)
    inviter = create_mailbox(url, token)
    return inviter, join_mailbox(url, inviter.mailbox_id, token)
