"""Where the CLI gets a passphrase.

Order: ``--passphrase-fd N`` (its first line), ``--passphrase-file F`` (its first line), then
``TRUSTVAULT_PASSPHRASE``, then a hidden prompt on a terminal, then one line of standard input
when it is a pipe (for scripts). A new passphrase (``init``, ``passwd``) is asked twice on a
terminal; ``passwd`` reads the new one from ``--new-passphrase-file`` or
``TRUSTVAULT_NEW_PASSPHRASE`` first. (A key remembered in the OS keychain is tried before any of
these: see :mod:`trustvault.remembered`.)

Both variables leave ``os.environ`` as the command starts (:func:`take_from_environment`), so no
program the CLI starts (``$EDITOR``) inherits them. A file descriptor keeps the passphrase out of
the environment altogether: ``trustvault-cli --passphrase-fd 3 … 3< file``, or a pipe.
"""

import contextlib
import getpass
import os
import sys

from trustvault.errors import InvalidField, TrustVaultError

__all__ = [
    "ENV_NEW_PASSPHRASE",
    "ENV_PASSPHRASE",
    "Secrets",
    "read_new_passphrase",
    "read_passphrase",
    "take_from_environment",
]

ENV_PASSPHRASE = "TRUSTVAULT_PASSPHRASE"  # noqa: S105  (a variable name, not a secret)
ENV_NEW_PASSPHRASE = "TRUSTVAULT_NEW_PASSPHRASE"  # noqa: S105  (a variable name, not a secret)
_MAX_FILE = 4096

Secrets = dict[str, str]
"""The passphrase variables taken out of the environment, by name."""


def take_from_environment() -> Secrets:
    """Remove both passphrase variables from ``os.environ`` and return what they held."""
    taken = {}
    for name in (ENV_PASSPHRASE, ENV_NEW_PASSPHRASE):
        value = os.environ.pop(name, None)
        if value:
            taken[name] = value
    return taken


def read_passphrase(
    file: str | None,
    *,
    fd: int | None = None,
    env: str | None = None,
    stdin_free: bool = True,
    prompt: str = "Passphrase: ",
) -> str:
    """The passphrase to unlock with, from the first source that has one. ``env`` is the value
    taken from the environment; ``stdin_free`` is False once standard input carried a text."""
    return _first_source(file, fd, env, prompt, confirm=False, stdin_free=stdin_free)


def read_new_passphrase(
    file: str | None,
    *,
    fd: int | None = None,
    env: str | None = None,
    stdin_free: bool = True,
    prompt: str = "New passphrase: ",
) -> str:
    """A passphrase being chosen: asked twice on a terminal so a typo cannot lock the vault."""
    return _first_source(file, fd, env, prompt, confirm=True, stdin_free=stdin_free)


def _first_source(
    file: str | None,
    fd: int | None,
    env: str | None,
    prompt: str,
    *,
    confirm: bool,
    stdin_free: bool,
) -> str:
    if fd is not None:
        if fd == 0 and not stdin_free:
            raise _stdin_taken()
        return _from_fd(fd)
    if file:
        return _from_file(file)
    return env or _interactive(prompt, confirm=confirm, stdin_free=stdin_free)


def _from_fd(fd: int) -> str:
    """The first line readable from ``fd``, read a byte at a time so that nothing after the
    line is taken from a shared stream (``--passphrase-fd 0``); the descriptor is then closed
    unless it is standard input, output or error."""
    what = "passphrase descriptor"
    data = b""
    try:
        while len(data) <= _MAX_FILE and not data.endswith(b"\n"):
            byte = os.read(fd, 1)
            if not byte:
                break
            data += byte
    except OSError as exc:
        raise InvalidField(what, f"cannot read file descriptor {fd}: {exc.strerror}") from None
    finally:
        if fd > 2:
            with contextlib.suppress(OSError):
                os.close(fd)
    return _first_line(data, f"file descriptor {fd}", what)


def _from_file(file: str) -> str:
    what = "passphrase file"
    try:
        with open(file, "rb") as handle:
            data = handle.read(_MAX_FILE + 1)
    except OSError as exc:
        raise InvalidField(what, f"cannot read {file}: {exc.strerror}") from None
    return _first_line(data, file, what)


def _first_line(data: bytes, source: str, what: str) -> str:
    if len(data) > _MAX_FILE:
        raise InvalidField(what, f"{source} holds too much to be a passphrase")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidField(what, f"{source} is not UTF-8 text") from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise InvalidField(what, f"{source} is empty")
    return lines[0]


def _interactive(prompt: str, *, confirm: bool, stdin_free: bool) -> str:
    if sys.stdin is None:
        raise _no_source()
    if not sys.stdin.isatty():
        if not stdin_free:
            raise _stdin_taken()
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
        "No passphrase given: type it at the prompt, or use --passphrase-fd N,"
        f" --passphrase-file FILE or the {ENV_PASSPHRASE} environment variable."
    )


def _stdin_taken() -> TrustVaultError:
    return TrustVaultError(
        "Standard input carried the text, so it cannot carry the passphrase too: give the"
        f" passphrase with --passphrase-fd N, --passphrase-file FILE or {ENV_PASSPHRASE}."
    )
