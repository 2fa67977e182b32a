"""A sync folder on a disk that runs out of space drains completely, both ways, by itself.

The disk is real: a tmpfs mounted in a private mount namespace of a child process (``unshare
--user --map-root-user --mount``), so ENOSPC comes from the kernel, not from a fake transport,
and the machine's mounts are never touched. Full by bytes (192 KiB: two or three envelopes, a
receipt still fits in what is left) and full by count (six files, the way a cloud quota of files
is: nothing more fits, so the receipt gets in only by deleting what this device has applied).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

N = 700  # about six envelopes a side: each side fills the disk several times over

ROOT = Path(__file__).resolve().parents[2]


def _namespaces() -> str:
    """unshare(1), where this machine lets an unprivileged process make a private mount
    namespace; where it does not, only this folder case is left out (tests/relay/
    test_full_mailbox.py drains a full medium through a real relay quota everywhere)."""
    unshare = shutil.which("unshare")
    probe = [unshare, "--user", "--map-root-user", "--mount", "true"] if unshare else []
    if not probe or subprocess.run(probe, capture_output=True, check=False).returncode != 0:
        pytest.skip("no private mount namespaces here (unshare --user --mount refused)")
    assert unshare is not None
    return unshare


@pytest.mark.parametrize(("size", "files"), [("192k", 0), ("4m", 6)], ids=["bytes", "files"])
def test_a_full_folder_drains_completely_across_syncs(
    tmp_path: Path, size: str, files: int
) -> None:
    unshare = _namespaces()
    command = [unshare, "--user", "--map-root-user", "--mount",
               sys.executable, "-m", "tests.sync.full_medium", str(tmp_path / "sync"), str(N),
               "--size", size, "--files", str(files)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=240, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.splitlines()[-1])
    assert (got["arrived_at_alex"], got["arrived_at_sam"]) == (N, N), got
    assert got["pending"] == [0, 0], got
    # The disk was full on the way, and said so in words, with what waits and for whom.
    assert any(p.startswith("The sync folder is full: ") for p in got["problems"]), got
    assert any("wait until Alex's device reads" in p for p in got["problems"]), got
    assert any("wait until Sam's device reads" in p for p in got["problems"]), got
