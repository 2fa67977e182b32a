"""What every command gets: the parsed options, the output stream, the clock, and the vault's
actions, opened on first use (keychain first, passphrase otherwise) and closed when the command
ends. Commands act through :class:`~trustvault.actions.Actions` and read through its queries."""

import argparse
from datetime import date
from pathlib import Path
from typing import TextIO

from trustvault.actions import Actions
from trustvault.cli.passphrase import read_passphrase
from trustvault.clock import Clock, system_clock
from trustvault.paths import resolve_vault_dir
from trustvault.queries import Queries

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
        self._actions: Actions | None = None

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

    def actions(self, *, use_keychain: bool = True) -> Actions:
        """The vault's actions, unlocked with a remembered key when there is one, else the
        passphrase (a key remembered for an older vault at the same path opens nothing)."""
        if self._actions is None:
            opened = None
            if use_keychain:
                opened = Actions.open_remembered(self.folder, clock=self.clock)
            if not isinstance(opened, Actions):
                opened = Actions.unlock(self.folder, self.passphrase(), clock=self.clock)
            self._actions = opened
        return self._actions

    def unlock_with(self, passphrase: str) -> Actions:
        """Open with this passphrase only (commands that must prove it, never a remembered key)."""
        self.close()
        self._actions = Actions.unlock(self.folder, passphrase, clock=self.clock)
        return self._actions

    def queries(self) -> Queries:
        return self.actions().queries

    def close(self) -> None:
        if self._actions is not None:
            self._actions.close()
            self._actions = None

    def say(self, text: str = "") -> None:
        print(text, file=self.out)
