"""The app and the CLI run hardened: no core dump holds the key or decrypted entries, and on
Linux the process is not dumpable (no same-user ptrace attach either)."""

import subprocess
import sys

REPORT = """
import ctypes, resource, sys
soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0) if sys.platform.startswith("linux") else 0
print(soft, hard, dumpable)
"""


def _report(setup: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", setup + REPORT],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return done.stdout.split()


def test_an_ordinary_process_would_dump() -> None:
    """The check itself tells the two apart (a fresh Python is dumpable)."""
    assert _report("")[-1] == "1"


def test_hardening_stops_core_dumps_and_dumpability() -> None:
    setup = "from trustvault.hardening import harden_process\nharden_process()\n"
    assert _report(setup) == ["0", "0", "0"]


def test_the_cli_hardens_itself_before_anything_else() -> None:
    setup = (
        "import io\nfrom trustvault.cli.main import main\n"
        "main(['--vault', '/nonexistent/v', 'list'], out=io.StringIO(), err=io.StringIO())\n"
    )
    assert _report(setup) == ["0", "0", "0"]
