"""The log of unexpected errors (bugs): where the traceback goes instead of the terminal.

Only the exception's type and the stack (file, line, function) are written: never the exception's
message, a source line or any value, so no passphrase, key or entry text can end up here.
"""

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

__all__ = ["log_dir", "log_unexpected"]

LOG_NAME = "trustvault-cli.log"


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir("TrustVault", appauthor=False))


def log_unexpected(exc: BaseException, command: str, version: str) -> Path | None:
    """Append the crash to the log file; returns its path, or None if it could not be written."""
    path = log_dir() / LOG_NAME
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
    lines = [f"--- {stamp} trustvault-cli {version} command={command or '-'}\n"]
    lines += [
        f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n'
        for frame in traceback.extract_tb(exc.__traceback__)
    ]
    lines.append(f"{type(exc).__module__}.{type(exc).__qualname__}\n")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.writelines(lines)
    except OSError:
        return None
    return path
