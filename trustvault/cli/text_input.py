"""Where the text of an entry or a comment comes from, so that it need not be on the command line.

Text typed as an argument is visible to every program on the computer (the process list) and
stays in the shell's history. So a text option's value may instead be::

    -         standard input, to its end (one option per command at most)
    @FILE     the content of FILE (UTF-8)
    @@TEXT    the text "@TEXT" (a leading @ written twice stands for itself)

and ``--edit`` opens ``$VISUAL`` or ``$EDITOR`` on the entry's long text (see
:data:`trustvault.cli.commands_entries.LONG_TEXT`) in a private temporary file: mode 0600, in a
folder only this user may enter (under ``$XDG_RUNTIME_DIR``, which is in memory, where it is
one), overwritten with zeros and removed once the editor exits, even after an error. A final
newline is dropped from a file, standard input and the editor; an empty text from the editor
cancels the command. The editor never inherits the passphrase variables.
"""

import contextlib
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from trustvault.cli.passphrase import ENV_NEW_PASSPHRASE, ENV_PASSPHRASE
from trustvault.errors import InvalidField, TrustVaultError

if TYPE_CHECKING:
    from trustvault.cli.context import Context

__all__ = ["MAX_TEXT", "SOURCES_HELP", "edit_text", "resolve_text"]

SOURCES_HELP = (
    "Text typed on the command line is visible to other programs and stays in the shell's"
    " history. Any TEXT may instead be '-' (read standard input), '@FILE' (read FILE; '@@' for"
    " a text that starts with @), and --edit opens $EDITOR on the long text in a private"
    " temporary file that is wiped afterwards."
)
"""The paragraph ``--help`` shows for every command that takes a text."""

MAX_TEXT = 1024 * 1024
"""The most a file, standard input or the editor may hand over (far above any real entry)."""


def resolve_text(ctx: "Context", value: str, field: str) -> str:
    """The text ``value`` stands for: itself, standard input (``-``) or a file (``@FILE``)."""
    if value == "-":
        if ctx.stdin_used:
            raise InvalidField(field, "only one text can come from standard input ('-')")
        ctx.stdin_used = True
        return _drop_final_newline(_read_stdin(field))
    if value.startswith("@@"):
        return value[1:]
    if value.startswith("@"):
        return _drop_final_newline(_read_file(Path(value[1:]), field))
    return value


def edit_text(initial: str, *, name: str) -> str:
    """Open the person's editor on ``initial``; return what they saved (see the module)."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    argv = shlex.split(command) if command else []
    if not argv:
        raise TrustVaultError(
            "--edit needs an editor: set $EDITOR (for example EDITOR=nano). Nothing was saved."
        )
    folder = Path(tempfile.mkdtemp(prefix="trustvault-", dir=_private_base()))  # mode 0700
    try:
        path = folder / f"{name}.txt"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(initial.encode("utf-8"))
        env = {k: v for k, v in os.environ.items() if k not in (ENV_PASSPHRASE, ENV_NEW_PASSPHRASE)}
        try:
            done = subprocess.run([*argv, str(path)], env=env, check=False)
        except OSError as exc:
            raise TrustVaultError(
                f"Cannot start the editor {argv[0]!r} ({exc.strerror}). Nothing was saved."
            ) from None
        if done.returncode != 0:
            raise TrustVaultError(
                f"The editor exited with status {done.returncode}. Nothing was saved."
            )
        text = _drop_final_newline(_read_file(path, "text"))
    finally:
        _shred(folder)
    if not text.strip():
        raise TrustVaultError("Nothing was written in the editor. Nothing was saved.")
    return text


def _read_stdin(field: str) -> str:
    if sys.stdin is None:
        raise InvalidField(field, "there is no standard input to read ('-')")
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream without bytes underneath (tests, some embedders)
        text = sys.stdin.read(MAX_TEXT + 1)
        if len(text) > MAX_TEXT:
            raise InvalidField(field, "standard input holds more than 1 MiB")
        return text
    return _decode(buffer.read(MAX_TEXT + 1), "standard input", field)


def _read_file(path: Path, field: str) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TEXT + 1)
    except OSError as exc:
        raise InvalidField(field, f"cannot read {path}: {exc.strerror}") from None
    return _decode(data, str(path), field)


def _decode(data: bytes, source: str, field: str) -> str:
    if len(data) > MAX_TEXT:
        raise InvalidField(field, f"{source} holds more than 1 MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidField(field, f"{source} is not UTF-8 text") from None


def _drop_final_newline(text: str) -> str:
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith("\n") else text


def _private_base() -> str | None:
    """``$XDG_RUNTIME_DIR`` when it is this user's own private folder, else the temp default."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if not runtime:
        return None
    try:
        info = os.stat(runtime)
    except OSError:
        return None
    owner = getattr(os, "getuid", lambda: info.st_uid)()
    private = stat.S_ISDIR(info.st_mode) and not info.st_mode & 0o077 and info.st_uid == owner
    return runtime if private else None


def _shred(folder: Path) -> None:
    """Overwrite every file the editor left in ``folder`` (its swap and backup files too) with
    zeros, then remove the folder. Best effort: a file system that refuses still gets rmtree."""
    for path in sorted(folder.rglob("*"), reverse=True):
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink():
                size = path.stat().st_size
                with path.open("r+b") as handle:
                    handle.write(bytes(size))
                    handle.flush()
                    os.fsync(handle.fileno())
            path.unlink()
    shutil.rmtree(folder, ignore_errors=True)
