"""What every command gets: the parsed options, the output stream, the clock, and the vault,
opened on first use (keychain first, passphrase otherwise) and closed when the command ends."""

import argparse
import contextlib
from datetime import date
from pathlib import Path
from typing import TextIO

from trustvault.cli.passphrase import read_passphrase
from trustvault.clock import Clock, system_clock
from trustvault.errors import CorruptFile
from trustvault.keychain import recall_key
from trustvault.paths import resolve_vault_dir
from trustvault.remembered import remembered_vault_id
from trustvault.vault import Vault

__all__ = ["Context"]


class Context:
    """One command's run. ``open_vault`` is lazy so ``--help``-like commands never unlock."""

    def __init__(
        self, args: argparse.Namespace, out: TextIO, err: TextIO, clock: Clock = system_clock
    ) -> None:
        self.args = args
        self.out = out
        self.err = err
        self.clock = clock
        self._vault: Vault | None = None

    @property
    def folder(self) -> Path:
        return resolve_vault_dir(getattr(self.args, "vault", None))

    @property
    def passphrase_file(self) -> str | None:
        value = getattr(self.args, "passphrase_file", None)
        return str(value) if value else None

    def today(self) -> date:
        """Today in the system's time zone (what a person means by "today")."""
        return self.clock().astimezone().date()

    def passphrase(self) -> str:
        return read_passphrase(self.passphrase_file)

    def open_vault(self, *, use_keychain: bool = True) -> Vault:
        """The vault, unlocked with a remembered key when there is one, else the passphrase."""
        if self._vault is not None:
            return self._vault
        folder = self.folder
        vault_id = remembered_vault_id(folder) if use_keychain else None
        key = recall_key(vault_id) if vault_id else None
        vault = None
        if key is not None:
            # A key remembered for an older vault at the same path cannot open this one: the
            # passphrase is asked instead.
            with contextlib.suppress(CorruptFile):
                vault = Vault.open_with_key(folder, key, clock=self.clock)
        if vault is None:
            vault = Vault.unlock(folder, self.passphrase(), clock=self.clock)
        self._vault = vault
        return vault

    def close(self) -> None:
        if self._vault is not None:
            self._vault.close()
            self._vault = None

    def say(self, text: str = "") -> None:
        print(text, file=self.out)
