"""Process hardening for the app and the CLI: a process that holds the vault key and decrypted
entries leaves no core dump, and on Linux no other process of the same user may attach to it.

Best effort: each step is skipped where the system lacks it (Windows has no RLIMIT_CORE; a
container may refuse prctl). It does not protect against root or a debugger started first.
"""

import contextlib
import ctypes
import sys

__all__ = ["harden_process"]

_PR_SET_DUMPABLE = 4


def harden_process() -> None:
    """No core dumps; on Linux, not dumpable (which also refuses same-user ptrace attach)."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
