"""Both devices syncing through a real folder in their own processes, SIGKILLed at random points.

Each round adds entries on both sides (shared ones, private ones, edits, a withdrawal and a
re-grant), then runs a sync loop per device in its own process group and kills one or both
groups at a random moment: inside packing, sealing, putting files, applying an envelope, writing
the receipt or collecting. After the last round both devices sync cleanly in this process: each
must hold exactly the partner's shared entries, once each, with their whole history, nothing
private, nothing pending, and both databases must pass their integrity checks. The seed is
printed, so a failure can be replayed.
"""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.sync.sync_helpers import Couple, paired_couple
from trustvault.sync.folder_transport import FolderTransport
from trustvault.vault import Vault

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

SYNC_LOOP = """
import sys
from pathlib import Path
from trustvault.sync.folder_transport import FolderTransport
from trustvault.sync.service import SyncService
from trustvault.vault import Vault
vault = Vault.open_with_key(Path(sys.argv[1]), bytes.fromhex(sys.argv[2]))
service = SyncService(vault, FolderTransport(Path(sys.argv[3])))
print("ready", flush=True)
while True:
    result = service.sync()
    print("synced", result.sent, result.received, flush=True)
"""


def _start(vault_folder: Path, key: bytes, folder: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", SYNC_LOOP, str(vault_folder), key.hex(), str(folder)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    assert first == "ready\n", first + (child.stderr.read() if child.stderr else "")
    return child


def _kill(child: subprocess.Popen[str]) -> str:
    os.killpg(child.pid, signal.SIGKILL)
    out, err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, err  # it was still syncing, never crashed
    return out


def _write_round(vault: Vault, tag: str, rng: random.Random, private: set[str]) -> None:
    batch = [
        ("milestone", {"title": f"{tag} shared {i}", "note": "n" * rng.randrange(0, 3000)}, None)
        for i in range(rng.randrange(300, 700))
    ]
    added = vault.entries.add_many(batch)
    secret = vault.entries.add("checkin", {"mood": 4, "safety": 4, "note": f"{tag} PRIVATE"})
    private.add(secret.id)
    for entry in rng.sample(added, 10):
        vault.entries.edit(entry.id, {"note": f"{tag} edited"})


def test_sync_killed_at_random_points_loses_and_duplicates_nothing(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    print(f"sigkill seed {seed}")
    rng = random.Random(seed)  # noqa: S311  (timing jitter, not a secret)
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    keys = {"a": c.a.key, "b": c.b.key}
    folders = {"a": c.a.folder, "b": c.b.folder}
    private: set[str] = set()
    revoked: str | None = None
    kills = mid_first_sync = 0
    for round_ in range(6):
        for who, vault in (("a", c.a), ("b", c.b)):
            _write_round(vault, f"r{round_}{who}", rng, private)
        if round_ == 2:  # one withdrawal in flight, granted again two rounds later
            revoked = c.a.entries.all("milestone")[-1].id
            c.sa.revoke(revoked)
        if round_ == 4 and revoked is not None:
            c.sa.share(revoked)
        c.close()
        children = {who: _start(folders[who], keys[who], c.folder) for who in ("a", "b")}
        time.sleep(rng.uniform(0.0, 0.03) if round_ % 2 else rng.uniform(0.0, 0.3))
        victims = rng.choice([["a"], ["b"], ["a", "b"]])
        for who in victims:
            if "synced" not in _kill(children[who]):
                mid_first_sync += 1
            kills += 1
        time.sleep(rng.uniform(0.0, 0.2))
        for who in set(children) - set(victims):
            _kill(children[who])
        c = _reopen(c, keys)

    for _ in range(4):
        ra, rb = c.sa.sync(), c.sb.sync()
    assert ra.pending == rb.pending == 0 and ra.waiting == rb.waiting == 0
    assert ra.rejected == rb.rejected == 0 and ra.refused_ops == rb.refused_ops == 0
    for author, partner in ((c.a, c.b), (c.b, c.a)):
        shared = {
            e.id: e
            for e in author.entries.all()
            if e.author == author.device_id and e.visibility == "shared"
        }
        got = [e for e in partner.entries.all() if e.author == author.device_id]
        assert sorted(e.id for e in got) == sorted(shared), "lost or extra entries"
        for entry in got:
            assert entry.fields == shared[entry.id].fields
            if entry.id != revoked:  # a re-grant sends the current version only
                assert partner.entries.history(entry.id) == author.entries.history(entry.id)
        assert not private & {e.id for e in got}
    for vault in (c.a, c.b):
        assert vault.integrity_check() == "ok"
        assert vault.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert kills >= 6 and mid_first_sync >= 1, "no kill landed inside a sync"
    c.close()


def _reopen(old: Couple, keys: dict[str, bytes]) -> Couple:
    a = Vault.open_with_key(old.a.folder, keys["a"], clock=old.clock)
    b = Vault.open_with_key(old.b.folder, keys["b"], clock=old.clock)
    medium = (FolderTransport(old.folder), FolderTransport(old.folder))
    return Couple(a, b, old.folder, old.clock, *medium)
