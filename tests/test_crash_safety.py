"""A writer killed with SIGKILL at random moments leaves a vault that opens, passes both integrity
checks, and holds every write whose call had returned.

Writers run in their own process group and report each write on stdout only after it returned;
the test kills the whole group, so the kill can land inside SQLite's commit. Rounds share one
vault, so each round also starts from the state the previous kill left. Randomness is seeded and
the seed is printed, so a failure can be replayed.
"""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE
from trustvault.errors import VaultNotFound
from trustvault.vault import Vault

ROOT = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).with_name("trustvault-cli")
pytestmark = pytest.mark.slow

# Adds single entries, batches and edits through the real store, as fast as it can.
STORE_WRITER = """
import sys
from pathlib import Path
from trustvault.vault import Vault
v = Vault.open_with_key(Path(sys.argv[1]), bytes.fromhex(sys.argv[2]))
tag = sys.argv[3]
print("ready", flush=True)
i = 0
while True:
    i += 1
    if i % 7 == 0:
        batch = [("milestone", {"title": f"{tag} batch {i}.{j}", "note": "n" * 400}, None)
                 for j in range(25)]
        for e in v.entries.add_many(batch):
            print(f"A {e.id}", flush=True)
    elif i % 5 == 0:
        e = v.entries.add("disclosure", {"title": f"{tag} {i}", "body": "b" * 2000,
                                          "occurred_on": "2026-01-01"})
        print(f"A {e.id}", flush=True)
        e = v.entries.edit(e.id, {"body": "edited " * 100})
        print(f"E {e.id} {e.revision}", flush=True)
    else:
        e = v.entries.add("checkin", {"mood": 5, "safety": 6, "note": f"{tag} {i}"})
        print(f"A {e.id}", flush=True)
"""

# Runs the real CLI again and again; a line is printed only after a command exited with 0.
CLI_WRITER = """
import subprocess, sys
cli, folder = sys.argv[1], sys.argv[2]
print("ready", flush=True)
i = 0
while True:
    i += 1
    title = f"cli {sys.argv[3]} {i}"
    done = subprocess.run([cli, "--vault", folder, "add", "milestone", "--title", title],
                          capture_output=True, text=True)
    if done.returncode != 0:
        print("FAIL", done.returncode, done.stderr.strip(), flush=True)
        break
    print(f"T {title}", flush=True)
"""

# Creates vaults one after another in fresh folders, reporting each once create returned.
CREATE_WRITER = """
import sys
from pathlib import Path
from trustvault.vault import Vault
base = Path(sys.argv[1])
print("ready", flush=True)
for i in range(1000):
    Vault.create(base / f"v{i}", sys.argv[2], "Alex", kdf_profile="interactive").close()
    print(f"C {i}", flush=True)
"""


def run_and_kill(args: list[str], delay: float, env: dict[str, str] | None = None) -> list[str]:
    """Start a writer in its own process group, SIGKILL the group ``delay`` s after it is ready,
    and return the lines it had printed."""
    child = subprocess.Popen(
        [sys.executable, "-c", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=env,
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    assert first == "ready\n", first + (child.stderr.read() if child.stderr else "")
    time.sleep(delay)
    os.killpg(child.pid, signal.SIGKILL)
    out, err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, err
    return out.split("\n")[:-1]  # a line cut short by the kill does not count


def check_vault(folder: Path, key: bytes) -> Vault:
    """Open after a kill: both integrity checks must be clean."""
    v = Vault.open_with_key(folder, key)
    assert v.integrity_check() == "ok"
    assert v.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    return v


@pytest.fixture
def rng() -> random.Random:
    seed = int.from_bytes(os.urandom(4), "big")
    print(f"crash-safety seed {seed}")
    return random.Random(seed)  # noqa: S311  (timing jitter, not a secret)


def test_store_writer_killed_at_random_points(tmp_path: Path, rng: random.Random) -> None:
    folder = tmp_path / "vault"
    Vault.create(folder, PASSPHRASE, "Alex", kdf_profile="interactive").close()
    key = Vault.unwrap_key(folder, PASSPHRASE)
    added: set[str] = set()
    edited: dict[str, int] = {}
    for round_ in range(8):
        lines = run_and_kill(
            [STORE_WRITER, str(folder), key.hex(), f"r{round_}"], rng.uniform(0.05, 0.8)
        )
        for line in lines:
            parts = line.split()
            if parts[0] == "A":
                added.add(parts[1])
            elif parts[0] == "E":
                edited[parts[1]] = max(edited.get(parts[1], 0), int(parts[2]))
        with check_vault(folder, key) as v:
            present = {e.id for e in v.entries.all()}
            assert added <= present, f"round {round_}: lost {len(added - present)} entries"
            for entry_id, revision in edited.items():
                assert v.entries.max_revision(entry_id) >= revision
                assert v.entries.get(entry_id).revision >= revision
            assert len(v.entries.search("edited")) > 0 or not edited
    assert len(added) > 50  # the writer really wrote between kills


def test_cli_writer_killed_at_random_points(tmp_path: Path, rng: random.Random) -> None:
    assert CLI.exists(), "make installs the trustvault-cli console script into the venv"
    folder = tmp_path / "vault"
    Vault.create(folder, PASSPHRASE, "Alex", kdf_profile="interactive").close()
    key = Vault.unwrap_key(folder, PASSPHRASE)
    env = {**os.environ, "TRUSTVAULT_PASSPHRASE": PASSPHRASE, "HOME": str(tmp_path)}
    # One command's time on this machine now: a loaded machine starts the CLI slower, and the
    # kills must still land both inside commands and after some have returned.
    started = time.monotonic()
    subprocess.run([str(CLI), "--vault", str(folder), "list"], env=env, capture_output=True)
    one = time.monotonic() - started
    returned: list[str] = []
    for round_ in range(4):
        lines = run_and_kill(
            [CLI_WRITER, str(CLI), str(folder), str(round_)], one + rng.uniform(0.3, 1.5), env
        )
        assert not [ln for ln in lines if ln.startswith("FAIL")], lines
        returned.extend(ln[2:] for ln in lines if ln.startswith("T "))
        with check_vault(folder, key) as v:
            titles = {e.fields["title"] for e in v.entries.all("milestone")}
            assert set(returned) <= titles
    assert returned


def test_create_killed_at_random_points_leaves_no_half_vault(
    tmp_path: Path, rng: random.Random
) -> None:
    base = tmp_path / "many"
    base.mkdir()
    total = 0
    for _ in range(4):
        lines = run_and_kill([CREATE_WRITER, str(base), PASSPHRASE], rng.uniform(0.0, 0.6))
        created = {int(ln.split()[1]) for ln in lines if ln.startswith("C ")}
        total += len(created)
        for folder in sorted(base.iterdir()):
            _settle(folder, int(folder.name[1:]) in created)
            folder.rename(base.with_name(f"done-{os.urandom(4).hex()}"))
    assert total


def _settle(folder: Path, returned: bool) -> None:
    """A folder a killed create left: a whole vault, or nothing that passes for one."""
    try:
        Vault.unlock(folder, PASSPHRASE).close()
    except VaultNotFound:
        assert not returned, f"{folder.name}: create had returned but there is no vault"
        Vault.create(folder, PASSPHRASE, "Alex", kdf_profile="interactive").close()
        Vault.unlock(folder, PASSPHRASE).close()
