"""Where the CLI gets a passphrase.

Order: ``--passphrase-file F`` (its first line), then ``TRUSTVAULT_PASSPHRASE``, then a hidden
prompt on a terminal, then one line of standard input when it is a pipe (for scripts). A new
passphrase (``init``, ``passwd``) is asked twice on a terminal; ``passwd`` reads the new one from
``--new-passphrase-file`` or ``TRUSTVAULT_NEW_PASSPHRASE`` first. (A key remembered in the OS
keychain is tried before any of these: see :mod:`trustvault.remembered`.)
"""

import getpass
import os
import sys

from trustvault.errors import InvalidField, TrustVaultError

__all__ = [
    "ENV_NEW_PASSPHRASE",
    "ENV_PASSPHRASE",
    "read_new_passphrase",
    "read_passphrase",
]

ENV_PASSPHRASE = "TRUSTVAULT_PASSPHRASE"  # noqa: S105  (a variable name, not a secret)
ENV_NEW_PASSPHRASE = "TRUSTVAULT_NEW_PASSPHRASE"  # noqa: S105  (a variable name, not a secret)
_MAX_FILE = 4096


def read_passphrase(file: str | None, *, prompt: str = "Passphrase: ") -> str:
    """The passphrase to unlock with, from the first source that has one."""
    return _first_source(file, ENV_PASSPHRASE, prompt, confirm=False)


def read_new_passphrase(
    file: str | None, env_name: str, *, prompt: str = "New passphrase: "
) -> str:
    """A passphrase being chosen: asked twice on a terminal so a typo cannot lock the vault."""
    return _first_source(file, env_name, prompt, confirm=True)


def _first_source(file: str | None, env_name: str, prompt: str, *, confirm: bool) -> str:
    if file:
        return _from_file(file)
    return os.environ.get(env_name) or _interactive(prompt, confirm=confirm)


def _from_file(file: str) -> str:
    what = "passphrase file"
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
