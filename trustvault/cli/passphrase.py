"""Where the CLI gets a passphrase, and under which name it remembers a vault's key.

Order: ``--passphrase-file F`` (its first line), then ``TRUSTVAULT_PASSPHRASE``, then a hidden
prompt on a terminal, then one line of standard input when it is a pipe (for scripts). A new
passphrase (``init``, ``passwd``) is asked twice on a terminal; ``passwd`` reads the new one from
``--new-passphrase-file`` or ``TRUSTVAULT_NEW_PASSPHRASE`` first.

Keychain name: a key must be found *before* the vault is opened, when its ``vault_id`` (inside the
encrypted database) cannot be read yet. The CLI therefore stores the key under the vault folder's
resolved absolute path, ``folder:<path>``. Moving the folder only means the passphrase is asked
again; a stale key for a re-created vault at the same path fails to open and the CLI falls back to
the passphrase.
"""

import getpass
import os
import sys
from pathlib import Path

from trustvault.errors import InvalidField, TrustVaultError

__all__ = [
    "ENV_NEW_PASSPHRASE",
    "ENV_PASSPHRASE",
    "keychain_account",
    "read_new_passphrase",
    "read_passphrase",
]

ENV_PASSPHRASE = "TRUSTVAULT_PASSPHRASE"  # noqa: S105  (a variable name, not a secret)
ENV_NEW_PASSPHRASE = "TRUSTVAULT_NEW_PASSPHRASE"  # noqa: S105  (a variable name, not a secret)
_MAX_FILE = 4096


def keychain_account(folder: Path) -> str:
    """The keychain user name for the vault in ``folder``."""
    return f"folder:{folder.expanduser().resolve()}"


def read_passphrase(file: str | None, *, prompt: str = "Passphrase: ") -> str:
    """The passphrase to unlock with, from the first source that has one."""
    if file:
        return _from_file(file, "passphrase file")
    env = os.environ.get(ENV_PASSPHRASE)
    if env:
        return env
    return _interactive(prompt, confirm=False)


def read_new_passphrase(
    file: str | None, env_name: str, *, prompt: str = "New passphrase: "
) -> str:
    """A passphrase being chosen: asked twice on a terminal so a typo cannot lock the vault."""
    if file:
        return _from_file(file, "passphrase file")
    env = os.environ.get(env_name)
    if env:
        return env
    return _interactive(prompt, confirm=True)


def _from_file(file: str, what: str) -> str:
    try:
        with open(file, "rb") as handle:
            data = handle.read(_MAX_FILE + 1)
    except OSError as exc:
        raise InvalidField(what, f"cannot read {file}: {exc.strerror}") from None
    if len(data) > _MAX_FILE:
        raise InvalidField(what, f"{file} is too large to hold a passphrase")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidField(what, f"{file} is not UTF-8 text") from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise InvalidField(what, f"{file} is empty")
    return lines[0]


def _interactive(prompt: str, *, confirm: bool) -> str:
    if sys.stdin is None:
        raise _no_source()
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise _no_source()
        return line
    try:
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Repeat it: ") != first:
            raise InvalidField("passphrase", "the two entries differ; nothing was changed")
    except EOFError:
        raise _no_source() from None
    return first


def _no_source() -> TrustVaultError:
    return TrustVaultError(
        "No passphrase given: type it at the prompt, or use --passphrase-file FILE"
        f" or the {ENV_PASSPHRASE} environment variable."
    )
