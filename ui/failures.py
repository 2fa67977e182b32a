"""What the person sees when something fails, and what the log keeps (never content).

Errors from the core carry their own one line; a damaged page of vault.db met while reading is
shown as the CLI shows it; anything else is our bug: logged by type and stack, shown as one calm
line (:data:`UNEXPECTED`).
"""

import contextlib
import logging
import sys
import traceback
import weakref
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from trustvault.errors import TrustVaultError
from trustvault.paths import DB_NAME

if TYPE_CHECKING:
    from ui.bridge import VaultBridge

__all__ = [
    "UNEXPECTED",
    "install_excepthook",
    "log_failure",
    "register_bridge",
    "report_exception",
    "user_message",
]

log = logging.getLogger("ui.bridge")

UNEXPECTED = "Something went wrong inside TrustVault. Nothing was lost; please try again."


def user_message(exc: BaseException, folder: Path | None) -> str | None:
    """The one line to show for ``exc``, or None when it is a bug (log it, show UNEXPECTED).

    A closed or misused connection (``ProgrammingError``) is our bug, not damage to the file.
    """
    from trustvault.storage.db_errors import user_error  # sqlcipher3: loaded once a vault is

    where = folder / DB_NAME if folder is not None else Path(DB_NAME)
    problem = user_error(exc, where)
    return problem.message if problem is not None else None


def log_failure(exc: BaseException, what: str) -> None:
    """Damage is logged by its type alone; a bug with its stack (for whoever fixes it).

    Never the exception's message: it can quote a value (a date, a title, a field), and the log
    must hold no entry content or secret (the CLI's crash log follows the same rule).
    """
    import sqlcipher3

    kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
    if isinstance(exc, sqlcipher3.Error):
        log.warning("%s: %s", what, kind)
    else:
        stack = "".join(traceback.format_tb(exc.__traceback__))
        log.error("%s: %s\n%s", what, kind, stack.rstrip())


_live_bridges: "weakref.WeakSet[VaultBridge]" = weakref.WeakSet()


def register_bridge(bridge: "VaultBridge") -> None:
    """Bridges whose windows show what escapes on the UI thread (held weakly)."""
    _live_bridges.add(bridge)


def report_exception(exc: Exception) -> None:
    """Show an exception that escaped a Qt callback on the UI thread as one line in the windows.

    Pages read a visible page of entries on the UI thread; if that read meets a damaged page of
    vault.db the person sees the CorruptFile line, not a traceback on a terminal they never see.
    """
    bridges = [b for b in _live_bridges if b.queries is not None] or list(_live_bridges)
    queries = bridges[0].queries if bridges else None
    message = user_message(exc, queries.folder if queries is not None else None)
    if not isinstance(exc, TrustVaultError):
        log_failure(exc, "unexpected error on the UI thread")
    for bridge in bridges:
        with contextlib.suppress(RuntimeError):  # a window already closed and deleted
            bridge.error.emit(message or UNEXPECTED)


def install_excepthook() -> None:
    """Send what escapes a slot or a model method to :func:`report_exception` (the app calls it)."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if isinstance(exc, Exception):
            report_exception(exc.with_traceback(tb))
        else:
            previous(kind, exc, tb)  # KeyboardInterrupt, SystemExit: as Python would

    sys.excepthook = hook
