"""Re-keying: the whole database re-encrypted under a new random key, for "my passphrase may be
known to someone".

After a re-key an old copy of the key file opens nothing current, the new passphrase opens
everything that was there, and a kill at any step (a real SIGKILL of a real process, at each
step boundary and at random moments inside the rekey) leaves a vault that one of the two
passphrases opens, with nothing lost.
"""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlcipher3

import trustvault.vault as vault_module
from tests.helpers import PASSPHRASE, MemoryKeyring
from trustvault.actions import Actions
from trustvault.errors import (
    CorruptFile,
    InvalidField,
    PassphraseReplaced,
    StorageError,
    VaultBusy,
    WrongPassphrase,
)
from trustvault.paths import DB_NAME, KEY_NAME, NEXT_KEY_NAME
from trustvault.results import SavedKeyProblem
from trustvault.vault import Vault

ROOT = Path(__file__).resolve().parent.parent
NEW = "a brand new passphrase"


def fill(vault: Vault, entries: int = 40) -> None:
    vault.entries.add_many(
        ("disclosure", {"title": f"t{i}", "body": "b" * 500, "occurred_on": "2026-01-01"}, None)
        for i in range(entries)
    )
    first = vault.entries.all("disclosure")[0]
    vault.entries.edit(first.id, {"body": "the second version"})


def contents(vault: Vault) -> list[tuple[str, int, str, dict[str, object]]]:
    """Every entry with every revision, and who this device is: what a re-key must keep."""
    rows = []
    for entry in vault.entries.all():
        for rev in vault.entries.history(entry.id):
            rows.append((entry.id, rev.revision, vault.device_id, dict(rev.fields)))
    return sorted(rows, key=lambda r: (r[0], r[1]))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# -- what a re-key does ------------------------------------------------------------------------


def test_after_a_rekey_an_old_key_file_opens_nothing(vault: Vault, vault_dir: Path) -> None:
    fill(vault)
    before = contents(vault)
    old_key, old_key_file = vault.key, (vault_dir / KEY_NAME).read_bytes()

    vault.rekey(NEW, kdf_profile="interactive")

    assert vault.key != old_key
    assert contents(vault) == before  # the open vault carries on, under the new key
    vault.entries.add("milestone", {"title": "written after the re-key"})
    vault.close()
    assert sorted(p.name for p in vault_dir.iterdir() if not p.name.startswith(DB_NAME)) == [
        KEY_NAME
    ]
    with pytest.raises(WrongPassphrase):
        Vault.unwrap_key(vault_dir, PASSPHRASE)
    with Vault.unlock(vault_dir, NEW) as reopened:
        assert reopened.integrity_check() == "ok"
        assert reopened.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert len(contents(reopened)) == len(before) + 1
    with pytest.raises(CorruptFile):
        Vault.open_with_key(vault_dir, old_key)

    (vault_dir / KEY_NAME).write_bytes(old_key_file)  # a backup's or a synced copy's key file
    assert Vault.unwrap_key(vault_dir, PASSPHRASE) == old_key  # it still holds the old key...
    with pytest.raises(CorruptFile):
        Vault.unlock(vault_dir, PASSPHRASE)  # ...which no longer opens the database


def test_a_plain_change_leaves_old_key_files_working(vault: Vault, vault_dir: Path) -> None:
    """What re-keying is for: after a re-wrap, an old key file still opens the database."""
    old_key_file = (vault_dir / KEY_NAME).read_bytes()
    vault.change_passphrase(NEW, kdf_profile="interactive")
    vault.close()
    (vault_dir / KEY_NAME).write_bytes(old_key_file)
    Vault.unlock(vault_dir, PASSPHRASE).close()


def test_rekey_refuses_a_short_passphrase_before_touching_anything(
    vault: Vault, vault_dir: Path
) -> None:
    vault.entries.add("milestone", {"title": "x"})
    vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = snapshot(vault_dir)
    with pytest.raises(InvalidField, match="at least"):
        vault.rekey("short")
    assert snapshot(vault_dir) == before


def test_another_connection_makes_it_fail_with_nothing_changed(
    vault: Vault, vault_dir: Path
) -> None:
    fill(vault, 5)
    other = sqlcipher3.connect(str(vault_dir / DB_NAME))  # another program holding the vault
    other.execute(f"PRAGMA key = \"x'{vault.key.hex()}'\"")
    other.execute("SELECT count(*) FROM sqlite_master").fetchone()
    try:
        with pytest.raises(VaultBusy):
            vault.rekey(NEW, kdf_profile="interactive")
    finally:
        other.close()
    assert not (vault_dir / NEXT_KEY_NAME).exists()
    vault.entries.add("milestone", {"title": "still writable"})
    vault.close()
    with Vault.unlock(vault_dir, PASSPHRASE) as again:
        assert len(again.entries.all()) == 6


def test_the_action_proves_the_passphrase_and_forgets_the_remembered_key(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    folder = tmp_path / "vault"
    with Actions.create(folder, PASSPHRASE, "Alex", kdf_profile="interactive", remember=True) as a:
        assert a.remembers_key() and memory_keyring.items
        before = snapshot(folder)
        with pytest.raises(WrongPassphrase):
            a.rekey("not the passphrase", NEW, kdf_profile="interactive")
        assert snapshot(folder) == before and memory_keyring.items

        result = a.rekey(PASSPHRASE, NEW, kdf_profile="interactive")
        assert result.forgot_remembered_key
        assert memory_keyring.items == {} and not a.remembers_key()
        assert a.remember_key()  # the faces offer to remember the new key
        (stored,) = memory_keyring.items.values()
    reopened = Actions.open_remembered(folder)
    assert isinstance(reopened, Actions)
    reopened.close()
    assert bytes.fromhex(stored) == Vault.unwrap_key(folder, NEW)
    assert Actions.forget_key(folder)
    with Actions.unlock(folder, NEW) as a:
        assert not a.rekey(NEW, PASSPHRASE, kdf_profile="interactive").forgot_remembered_key


def test_killed_before_forgetting_the_key_the_old_one_opens_nothing(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "vault"
    a = Actions.create(folder, PASSPHRASE, "Alex", kdf_profile="interactive", remember=True)

    def killed(vault_id: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("trustvault.actions.keychain.forget_key", killed)
    with pytest.raises(KeyboardInterrupt):
        a.rekey(PASSPHRASE, NEW, kdf_profile="interactive")
    a.close()
    assert Actions.open_remembered(folder) is SavedKeyProblem.WRONG_VAULT
    Actions.unlock(folder, NEW).close()


@pytest.mark.parametrize("committed", [False, True])
def test_an_error_from_the_rekey_is_judged_by_what_the_disk_holds(
    vault: Vault, vault_dir: Path, monkeypatch: pytest.MonkeyPatch, committed: bool
) -> None:
    """The rekey may report an error after its commit (a full disk while restoring WAL): the
    new key file is kept and moved into place only if the database really has the new key."""
    fill(vault, 5)
    real = vault_module.rekey_database

    def failing(conn: object, key: bytes) -> None:
        if committed:
            real(conn, key)  # type: ignore[arg-type]
        raise sqlcipher3.OperationalError("disk I/O error")

    monkeypatch.setattr(vault_module, "rekey_database", failing)
    if committed:
        vault.rekey(NEW, kdf_profile="interactive")
    else:
        with pytest.raises(StorageError):
            vault.rekey(NEW, kdf_profile="interactive")
    vault.close()
    assert not (vault_dir / NEXT_KEY_NAME).exists()
    with Vault.unlock(vault_dir, NEW if committed else PASSPHRASE) as again:
        assert len(again.entries.all()) == 5


# -- killed at each step -----------------------------------------------------------------------

REKEY_AND_DIE = """
import os, signal, sys
from pathlib import Path
import trustvault.storage.connection as connection
import trustvault.vault as vault_module
from trustvault.vault import Vault

folder, old, new, module, name, when = sys.argv[1:7]
target = {"connection": connection, "vault": vault_module}[module]
real = getattr(target, name)

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def step(*args, **kwargs):
    if when == "before":
        die()
    result = real(*args, **kwargs)
    die()
    return result

vault = Vault.unlock(Path(folder), old)
setattr(target, name, step)
print("ready", flush=True)
vault.rekey(new, kdf_profile="interactive")
print("rekey returned: no step was reached", flush=True)
"""

STEPS = [
    # (module, function, when, which passphrase opens afterwards)
    ("vault", "write_key_file", "before", "old"),  # nothing written yet
    ("vault", "write_key_file", "after", "old"),  # vault.key.next beside an old-key database
    ("connection", "truncate_wal", "after", "old"),  # the log folded in, nothing rekeyed
    ("vault", "rekey_database", "before", "old"),
    ("vault", "rekey_database", "after", "new"),  # committed; vault.key still the old one
    ("vault", "fsync_dir", "before", "new"),  # vault.key.next moved into place
]


def settle_after_kill(folder: Path, old: str, new: str) -> str:
    """Which of the two passphrases opens the vault a kill left (exactly one must)."""
    opened = []
    for name, passphrase in (("old", old), ("new", new)):
        try:
            Vault.unlock(folder, passphrase).close()
        except WrongPassphrase:
            continue
        opened.append(name)
    assert len(opened) == 1, f"opened with {opened}"
    return opened[0]


@pytest.mark.parametrize(("module", "name", "when", "opens"), STEPS)
def test_a_kill_at_each_step_leaves_a_vault_one_passphrase_opens(
    vault: Vault, vault_dir: Path, module: str, name: str, when: str, opens: str
) -> None:
    fill(vault)
    before = contents(vault)
    vault.close()
    child = subprocess.run(
        [sys.executable, "-c", REKEY_AND_DIE, str(vault_dir), PASSPHRASE, NEW, module, name, when],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr
    assert child.stdout == "ready\n"

    if opens == "new" and (vault_dir / NEXT_KEY_NAME).exists():
        with pytest.raises(PassphraseReplaced):  # the old passphrase is told what happened
            Vault.unlock(vault_dir, PASSPHRASE)
    assert settle_after_kill(vault_dir, PASSPHRASE, NEW) == opens
    assert not (vault_dir / NEXT_KEY_NAME).exists()  # settled by that unlock, for good
    passphrase = NEW if opens == "new" else PASSPHRASE
    with Vault.unlock(vault_dir, passphrase) as reopened:
        assert reopened.integrity_check() == "ok"
        assert reopened.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert contents(reopened) == before
        reopened.rekey("a third passphrase", kdf_profile="interactive")  # and it can re-key
    Vault.unlock(vault_dir, "a third passphrase").close()


REKEY_LOOP = """
import sys
from pathlib import Path
from trustvault.vault import Vault
vault = Vault.unlock(Path(sys.argv[1]), sys.argv[2])
print("ready", flush=True)
vault.rekey(sys.argv[3], kdf_profile="interactive")
print("done", flush=True)
"""


@pytest.mark.slow
def test_killed_at_random_moments_inside_the_rekey(vault: Vault, vault_dir: Path) -> None:
    """A database large enough that the rekey itself takes a while, killed at random."""
    fill(vault, 4000)
    before = contents(vault)
    vault.close()
    seed = int.from_bytes(os.urandom(4), "big")
    print(f"rekey kill seed {seed}")
    rng = random.Random(seed)  # noqa: S311  (timing jitter, not a secret)
    current, outcomes = PASSPHRASE, set()
    for round_ in range(8):
        nxt = f"passphrase number {round_}"
        child = subprocess.Popen(
            [sys.executable, "-c", REKEY_LOOP, str(vault_dir), current, nxt],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.6))
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate(timeout=30)
        opens = settle_after_kill(vault_dir, current, nxt)
        outcomes.add(opens)
        current = nxt if opens == "new" else current
        with Vault.unlock(vault_dir, current) as reopened:
            assert reopened.integrity_check() == "ok"
            assert contents(reopened) == before
    print(f"outcomes: {sorted(outcomes)}")
