"""What every command gets: the parsed options, the output stream, the clock, and the vault's
actions, opened on first use (keychain first, passphrase otherwise) and closed when the command
ends. Commands act through :class:`~trustvault.actions.Actions` and read through its queries.

The passphrase variables leave the environment when the context is made, before any command
runs (see :mod:`trustvault.cli.passphrase`)."""

import argparse
from datetime import date
from pathlib import Path
from typing import TextIO

from trustvault.actions import Actions
from trustvault.cli.passphrase import (
    ENV_NEW_PASSPHRASE,
    ENV_PASSPHRASE,
    read_new_passphrase,
    read_passphrase,
    take_from_environment,
)
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
        self._secrets = take_from_environment()
        self.stdin_used = False  # set once a text option read standard input

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

    @property
    def passphrase_fd(self) -> int | None:
        value = getattr(self.args, "passphrase_fd", None)
        return int(value) if value is not None else None

    def passphrase(self, prompt: str = "Passphrase: ") -> str:
        """The passphrase, from ``--passphrase-fd``, ``--passphrase-file``, the environment
        (as it was when the command started) or a prompt."""
        return read_passphrase(
            self.passphrase_file,
            fd=self.passphrase_fd,
            env=self._secrets.get(ENV_PASSPHRASE),
            stdin_free=not self.stdin_used,
            prompt=prompt,
        )

    def new_passphrase(self, file: str | None = None, *, replacing: bool = False) -> str:
        """A passphrase being chosen: for ``init`` from the passphrase options, for ``passwd``
        (``replacing``) from ``--new-passphrase-file`` or ``TRUSTVAULT_NEW_PASSPHRASE``."""
        if replacing:
            return read_new_passphrase(
                file, env=self._secrets.get(ENV_NEW_PASSPHRASE), stdin_free=not self.stdin_used
            )
        return read_new_passphrase(
            self.passphrase_file,
            fd=self.passphrase_fd,
            env=self._secrets.get(ENV_PASSPHRASE),
            stdin_free=not self.stdin_used,
        )

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
