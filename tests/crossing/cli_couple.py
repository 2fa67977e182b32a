"""Alex and Sam, each with a real vault driven only through ``trustvault-cli``, and the real
folder between them (import as ``from cli_couple import ...`` from tests in this folder).

Every command runs ``main()`` in-process with the person's own passphrase in
``TRUSTVAULT_PASSPHRASE`` (none when ``passphrase`` is None) and its own standard input, so the
two people never share a secret by accident. Each test makes fresh vaults (``--kdf
interactive``: a tenth of a second each) and pairs them exactly as the README tells people to.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import PASSPHRASE, CliResult, run_cli
from tests.sync.sync_helpers import blobs_in, open_blob_as_sender
from trustvault.clock import Clock, system_clock
from trustvault.storage import outbox_store
from trustvault.vault import Vault

__all__ = ["Couple", "Person", "make_couple"]

SAM_PASSPHRASE = "staple battery horse correct"


@dataclass
class Person:
    """One partner's device: a vault folder, a passphrase, and the CLI."""

    name: str
    vault: Path
    passphrase: str | None
    monkeypatch: pytest.MonkeyPatch
    clock: Clock = system_clock

    def run(self, *args: str, stdin: str = "") -> CliResult:
        if self.passphrase is None:
            self.monkeypatch.delenv("TRUSTVAULT_PASSPHRASE", raising=False)
        else:
            self.monkeypatch.setenv("TRUSTVAULT_PASSPHRASE", self.passphrase)
        return run_cli(self.vault, *args, stdin=stdin, keep_env=False, clock=self.clock)

    def ok(self, *args: str, stdin: str = "") -> str:
        result = self.run(*args, stdin=stdin)
        assert result.code == 0, f"{self.name}: {' '.join(args)}: {result.err}"
        return result.out

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json"))

    def add(self, kind: str, *args: str) -> str:
        """Add an entry; returns its id."""
        (entry,) = self.json("add", kind, *args)
        return str(entry["id"])

    def show(self, entry_id: str, *args: str) -> dict[str, Any]:
        (entry,) = self.json("show", entry_id, *args)
        return dict(entry)

    def titles(self) -> set[str]:
        return {e["title"] for e in self.json("list")}

    def partner(self) -> dict[str, Any]:
        return dict(self.json("partner"))

    def queued_ops(self) -> int:
        """How many ops this device's outbox holds: a door that sends nothing (the pair is
        gone) leaves the number as it was."""
        assert self.passphrase is not None
        with Vault.unlock(self.vault, self.passphrase) as vault:
            return len(outbox_store.ops_after(vault.conn, 0, 1_000_000))


@dataclass
class Couple:
    alex: Person
    sam: Person
    folder: Path
    results: list[dict[str, Any]] = field(default_factory=list)
    never: list[bytes] = field(default_factory=list)  # words no file may carry, even sealed
    _keys: list[bytes] = field(default_factory=list)  # each vault's key, once unlocked

    def sync_all(self, rounds: int = 2) -> None:
        """Sync alternately (Alex first): ops, receipts and clean-ups each need a crossing.
        The folder is checked against :attr:`never` after every single sync."""
        for _ in range(rounds):
            for person in (self.alex, self.sam):
                result = person.json("sync")
                assert result["rejected"] == 0 and result["problems"] == [], result
                self.results.append(result)
                self.check_folder()

    def pair(self) -> None:
        """Alex invites, Sam joins typing the code at the prompt (a pipe here), both sync."""
        code = self.alex.ok("invite", "--long", "--folder", str(self.folder)).splitlines()[-1]
        self.sam.ok("join", "--folder", str(self.folder), stdin=code + "\n")
        self.sync_all(1)

    def check_folder(self) -> None:
        for word in self.never:
            for name, data in blobs_in(self.folder):
                assert word not in data, f"{name} in the sync folder holds {word!r}"
            for payload in self.sealed_payloads():
                assert word not in payload, f"an envelope in the sync folder seals {word!r}"

    def sealed_payloads(self) -> list[bytes]:
        """What the envelopes in the folder hold, opened with each sender's key: what the
        partner's device can read once it syncs, whether or not it has synced yet."""
        people = (self.alex, self.sam)
        if not self._keys:
            for person in people:
                assert person.passphrase is not None
                with Vault.unlock(person.vault, person.passphrase) as vault:
                    self._keys.append(vault.key)
        payloads = []
        for person, key in zip(people, self._keys, strict=True):
            with Vault.open_with_key(person.vault, key) as vault:
                for _, blob in blobs_in(self.folder):
                    opened = open_blob_as_sender(vault, blob)
                    payloads += [opened] if opened is not None else []
        return payloads


def make_couple(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    paired: bool = True,
    hold: str = "0",
    clock: Clock = system_clock,
) -> Couple:
    """Two vaults made by ``init`` (and paired, unless ``paired=False``) under ``root``.

    Their shares leave at the next sync (``hold 0``), unless a test about the hold before
    sending gives another number of minutes (``hold=""`` keeps the app's default) and a
    ``clock`` it moves by hand."""
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(root / "home" / name.lower()))
    for name in ("TRUSTVAULT_HOME", "TRUSTVAULT_NEW_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    folder = root / "sync-folder"
    folder.mkdir()
    alex = Person("Alex", root / "alex", PASSPHRASE, monkeypatch, clock)
    sam = Person("Sam", root / "sam", SAM_PASSPHRASE, monkeypatch, clock)
    for person in (alex, sam):
        person.ok("init", "--name", person.name, "--kdf", "interactive")
        if hold:
            person.ok("hold", hold)
    couple = Couple(alex, sam, folder)
    if paired:
        couple.pair()
    return couple
