"""Test helpers shared by every test folder: ``from tests.helpers import ...``.

One module for what several folders need (the passphrase, an in-memory keychain, a hand-moved
clock, a damaged vault, the one way to run the CLI in this process); helpers of one folder live
beside its tests (``tests/sync/sync_helpers.py``, ``tests/ui/shell_helpers.py``, ...).
"""

import io
import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from keyring.backend import KeyringBackend

from trustvault.clock import Clock, system_clock
from trustvault.paths import DB_NAME
from trustvault.storage import pairing_store
from trustvault.vault import Vault

PASSPHRASE = "correct horse battery"
NO_HOLD = timedelta(0)
"""The send hold the fixtures give a vault whose test is not about it: a share leaves at the
next sync, as it did before holds existed (the app's default is five minutes)."""
PASSPHRASE_VARIABLES = ("TRUSTVAULT_PASSPHRASE", "TRUSTVAULT_NEW_PASSPHRASE")


def cli_main(argv: list[str], *, out: TextIO, err: TextIO, clock: Clock = system_clock) -> int:
    """``trustvault-cli`` in this process, as if each run were a new process started from the
    same environment: the CLI takes the passphrase variables out of ``os.environ`` (so that no
    program it starts inherits them), and a test's next command gets them back."""
    from trustvault.cli.main import main

    saved = {name: os.environ[name] for name in PASSPHRASE_VARIABLES if name in os.environ}
    try:
        return main(argv, out=out, err=err, clock=clock)
    finally:
        os.environ.update(saved)


class MemoryKeyring(KeyringBackend):
    """A keychain that lives in this process only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


class ManualClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def remember_partner(vault: Vault, device: str, name: str = "Sam") -> None:
    """A partner record as a completed (and since forgotten) pairing leaves it, without pairing:
    for tests of what the partner's device id and name change (agreements, author names)."""
    pairing_store.record_partner(vault.conn, device, name, bytes(range(32)), "2026-10-01T09:00:00Z")


def damaged_vault(folder: Path) -> None:
    """A vault that opens (its first pages are intact) but whose entries table is broken."""
    with Vault.create(folder, PASSPHRASE, "Alex", kdf_profile="interactive") as vault:
        vault.entries.add_many(
            ("disclosure", {"title": f"t{i}", "body": "x" * 900, "occurred_on": "2026-01-01"}, None)
            for i in range(600)
        )
        vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (last_root,) = vault.conn.execute("SELECT max(rootpage) FROM sqlite_schema").fetchone()
    db = folder / DB_NAME
    data = bytearray(db.read_bytes())
    pages = len(data) // 4096
    # Past every table's first page (what opening reads), among the pages the entries filled.
    for page in range(last_root, last_root + (pages - last_root) // 3):
        data[page * 4096 + 100 : page * 4096 + 200] = bytes(100)
    db.write_bytes(bytes(data))


class CliResult(NamedTuple):
    """What one ``trustvault-cli`` command did: exit status, standard output, standard error."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(
    vault: Path,
    *args: str,
    stdin: str | None = None,
    keep_env: bool = True,
    clock: Clock = system_clock,
) -> CliResult:
    """``trustvault-cli --vault VAULT ARGS...`` in this process: the tests' one CLI runner.

    Each run sees the environment as a new process would (see :func:`cli_main`), unless
    ``keep_env`` is False: then what the command takes out of the environment stays out (a
    caller that sets it for every run, and checks that the CLI removed it). ``stdin`` stands
    for what is typed or piped in (an invite code, a text read from ``-``); ``clock`` is the
    time the command sees (a :class:`ManualClock` moves a send hold along).
    """
    from trustvault.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    typed = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    runner = cli_main if keep_env else main
    try:
        code = runner(["--vault", str(vault), *args], out=out, err=err, clock=clock)
    finally:
        sys.stdin = typed
    return CliResult(code, out.getvalue(), err.getvalue())


def shared_prefix(ids: list[str]) -> str:
    """The digits every id begins with: entries made close together share their first ones,
    since an id starts with its creation time (tests make an ambiguous short id with this)."""
    first, last = min(ids), max(ids)
    n = 0
    while n < len(first) and first[n] == last[n]:
        n += 1
    return first[:n]
