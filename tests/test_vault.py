"""The vault on disk: lifecycle, wrong passphrase, damaged files, schema versions, keychain.

Every case runs against real SQLCipher files in a temporary folder. Failure cases also check that
not one byte of any file changed, because "nothing was modified" is part of the promise.
"""

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
import sqlcipher3
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from tests.helpers import PASSPHRASE, ManualClock, MemoryKeyring
from trustvault import keychain
from trustvault.errors import (
    CorruptFile,
    InvalidField,
    UnsupportedVault,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    WrongPassphrase,
)
from trustvault.paths import DB_NAME, KEY_NAME
from trustvault.storage.migrations import LATEST_VERSION
from trustvault.vault import Vault

ROOT = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in the folder (hidden ones too), by name."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def make_closed_vault(folder: Path, clock: ManualClock, entries: int = 0) -> bytes:
    """A closed vault with ``entries`` milestones; returns its database key."""
    v = Vault.create(folder, PASSPHRASE, "Alex", kdf_profile="interactive", clock=clock)
    v.entries.add_many(
        [("milestone", {"title": f"step {i}", "note": "n" * 300}, None) for i in range(entries)]
    )
    key = v.key
    v.close()
    return key


# -- lifecycle ---------------------------------------------------------------------------------


def test_create_unlock_close_round_trip(vault_dir: Path, clock: ManualClock) -> None:
    v = Vault.create(vault_dir, PASSPHRASE, "  Alex ", kdf_profile="interactive", clock=clock)
    ids = (v.device_id, v.vault_id)
    added = v.entries.add("milestone", {"title": "first week"})
    v.close()
    assert sorted(p.name for p in vault_dir.iterdir()) == [DB_NAME, KEY_NAME]

    with Vault.unlock(vault_dir, PASSPHRASE, clock=clock) as again:
        assert again.name == "Alex"
        assert (again.device_id, again.vault_id) == ids
        assert again.entries.get(added.id).fields["title"] == "first week"
        assert again.integrity_check() == "ok"


def test_open_with_key_skips_the_passphrase(vault_dir: Path, clock: ManualClock) -> None:
    key = make_closed_vault(vault_dir, clock, entries=3)
    assert Vault.unwrap_key(vault_dir, PASSPHRASE) == key
    with Vault.open_with_key(vault_dir, key) as v:
        assert v.entries.count() == 3


def test_create_refuses_an_existing_vault(vault_dir: Path, clock: ManualClock) -> None:
    make_closed_vault(vault_dir, clock)
    before = snapshot(vault_dir)
    with pytest.raises(VaultExists):
        Vault.create(vault_dir, PASSPHRASE, "Sam", kdf_profile="interactive")
    assert snapshot(vault_dir) == before


@pytest.mark.parametrize(
    ("name", "passphrase", "field"), [("", PASSPHRASE, "name"), ("A", "short", "passphrase")]
)
def test_create_rejects_bad_input_and_writes_nothing(
    vault_dir: Path, name: str, passphrase: str, field: str
) -> None:
    with pytest.raises(InvalidField) as err:
        Vault.create(vault_dir, passphrase, name, kdf_profile="interactive")
    assert err.value.field == field
    assert not vault_dir.exists()


def test_files_are_private_to_the_owner(vault: Vault, vault_dir: Path) -> None:
    vault.entries.add("milestone", {"title": "wal now exists"})
    assert stat.S_IMODE(vault_dir.stat().st_mode) == 0o700
    names = [DB_NAME, KEY_NAME, DB_NAME + "-wal", DB_NAME + "-shm"]
    for name in names:
        assert stat.S_IMODE((vault_dir / name).stat().st_mode) == 0o600, name
    vault.change_passphrase("another passphrase", kdf_profile="interactive")
    assert stat.S_IMODE((vault_dir / KEY_NAME).stat().st_mode) == 0o600


def test_connection_settings(vault: Vault) -> None:
    conn = vault.conn
    assert str(conn.execute("PRAGMA cipher_version").fetchone()[0]).startswith("4.")
    assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0] == "HMAC_SHA512"


def test_the_database_is_not_plain_sqlite(vault: Vault, vault_dir: Path) -> None:
    assert not (vault_dir / DB_NAME).read_bytes().startswith(b"SQLite format 3\x00")


# -- wrong passphrase and passphrase change ----------------------------------------------------


def test_wrong_passphrase_changes_nothing(vault_dir: Path, clock: ManualClock) -> None:
    make_closed_vault(vault_dir, clock, entries=5)
    before = snapshot(vault_dir)
    with pytest.raises(WrongPassphrase) as err:
        Vault.unlock(vault_dir, "not the passphrase")
    assert err.value.exit_code == 2
    assert "passphrase is wrong" in str(err.value)
    assert snapshot(vault_dir) == before


def test_closing_zeroes_the_key_buffer_in_place(vault_dir: Path, clock: ManualClock) -> None:
    """The key lives in one mutable buffer the vault owns; closing (the app's lock) overwrites
    that very buffer, so no readable copy of it is left in this object."""
    v = Vault.create(vault_dir, PASSPHRASE, "Alex", kdf_profile="interactive", clock=clock)
    buffer = v._key  # the buffer itself, to see it zeroed where it lies
    assert isinstance(buffer, bytearray) and len(buffer) == 32 and any(buffer)
    assert v.key == bytes(buffer) and v.key is not v.key, "callers get copies, never the buffer"
    v.close()
    assert buffer == bytearray(32)
    assert v._key is buffer
    v.close()  # closing twice is harmless


def test_a_rekey_zeroes_the_old_key(vault: Vault) -> None:
    old = vault._key
    vault.rekey("a brand new passphrase", kdf_profile="interactive")
    assert old == bytearray(32) and vault._key is not old and any(vault._key)


@pytest.mark.parametrize(
    "use",
    [
        pytest.param(lambda v: v.key, id="key"),
        pytest.param(lambda v: v.has_key(bytes(32)), id="has_key"),
        pytest.param(lambda v: v.conn, id="conn"),
        pytest.param(lambda v: v.name, id="meta"),
        pytest.param(lambda v: v.change_passphrase("a brand new passphrase"), id="passwd"),
        pytest.param(lambda v: v.rekey("a brand new passphrase"), id="rekey"),
    ],
)
def test_a_closed_vault_refuses_every_use_with_one_clear_error(
    vault_dir: Path, clock: ManualClock, use: Callable[[Vault], object]
) -> None:
    v = Vault.create(vault_dir, PASSPHRASE, "Alex", kdf_profile="interactive", clock=clock)
    v.close()
    before = snapshot(vault_dir)
    with pytest.raises(VaultLocked, match="locked"):
        use(v)
    assert snapshot(vault_dir) == before


def test_passwd_rewraps_the_key_only(vault: Vault, vault_dir: Path) -> None:
    vault.entries.add("milestone", {"title": "before the change"})
    db_files = [DB_NAME, DB_NAME + "-wal"]
    db_before = {n: (vault_dir / n).read_bytes() for n in db_files}
    key_before = (vault_dir / KEY_NAME).read_bytes()

    vault.change_passphrase("a brand new passphrase", kdf_profile="interactive")

    assert {n: (vault_dir / n).read_bytes() for n in db_files} == db_before
    assert (vault_dir / KEY_NAME).read_bytes() != key_before
    assert not [p for p in vault_dir.iterdir() if p.name.endswith(".tmp")]
    key = vault.key
    vault.close()
    with pytest.raises(WrongPassphrase):
        Vault.unwrap_key(vault_dir, PASSPHRASE)
    assert Vault.unwrap_key(vault_dir, "a brand new passphrase") == key


def test_passwd_refuses_a_short_passphrase(vault: Vault, vault_dir: Path) -> None:
    before = (vault_dir / KEY_NAME).read_bytes()
    with pytest.raises(InvalidField):
        vault.change_passphrase("short")
    assert (vault_dir / KEY_NAME).read_bytes() == before


# -- damaged database --------------------------------------------------------------------------


def _flip(offset: Callable[[int], int]) -> Callable[[bytes], bytes]:
    def damage(data: bytes) -> bytes:
        at = offset(len(data))
        return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]

    return damage


DB_DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "salt byte": _flip(lambda n: 0),
    "first page header": _flip(lambda n: 20),
    "first page body": _flip(lambda n: 1000),
    "first page hmac": _flip(lambda n: 4090),
    "empty": lambda data: b"",
    "half": lambda data: data[: len(data) // 2],
    "one page": lambda data: data[:4096],
    "mid-page cut": lambda data: data[:5000],
    "random bytes": lambda data: os.urandom(len(data)),
    "plain sqlite header": lambda data: b"SQLite format 3\x00" + data[16:],
}


@pytest.mark.parametrize("damage", DB_DAMAGE.values(), ids=DB_DAMAGE.keys())
def test_damaged_database_is_named_and_left_alone(
    vault_dir: Path, clock: ManualClock, damage: Callable[[bytes], bytes]
) -> None:
    key = make_closed_vault(vault_dir, clock, entries=40)
    db = vault_dir / DB_NAME
    db.write_bytes(damage(db.read_bytes()))
    before = snapshot(vault_dir)
    for opener in (
        lambda: Vault.open_with_key(vault_dir, key),
        lambda: Vault.unlock(vault_dir, PASSPHRASE),
    ):
        with pytest.raises(CorruptFile) as err:
            opener()
        assert err.value.path == db
        assert DB_NAME in str(err.value)
        assert err.value.exit_code == 3
        assert snapshot(vault_dir) == before


def test_damage_deep_in_the_file_is_found_by_the_integrity_check(
    vault_dir: Path, clock: ManualClock
) -> None:
    """A page that opening does not read cannot be checked at open without reading the whole file
    (over a second at 100,000 entries); SQLCipher's page HMACs catch it on read and in the check."""
    key = make_closed_vault(vault_dir, clock, entries=200)
    db = vault_dir / DB_NAME
    db.write_bytes(_flip(lambda n: n // 2)(db.read_bytes()))
    with Vault.open_with_key(vault_dir, key) as v:
        assert v.integrity_check().startswith("HMAC verification failed for page")
        with pytest.raises(sqlcipher3.DatabaseError, match="malformed"):
            v.conn.execute("PRAGMA quick_check").fetchall()


def test_a_key_from_another_vault_is_a_damaged_file_not_a_crash(
    tmp_path: Path, clock: ManualClock
) -> None:
    make_closed_vault(tmp_path / "a", clock)
    other_key = make_closed_vault(tmp_path / "b", clock)
    with pytest.raises(CorruptFile) as err:
        Vault.open_with_key(tmp_path / "a", other_key)
    assert err.value.path == tmp_path / "a" / DB_NAME


def test_missing_database_is_named(vault_dir: Path, clock: ManualClock) -> None:
    key = make_closed_vault(vault_dir, clock)
    (vault_dir / DB_NAME).unlink()
    with pytest.raises(CorruptFile) as err:
        Vault.open_with_key(vault_dir, key)
    assert err.value.path == vault_dir / DB_NAME
    assert sorted(p.name for p in vault_dir.iterdir()) == [KEY_NAME]


def test_damaged_database_prints_nothing_on_stderr(vault_dir: Path, clock: ManualClock) -> None:
    """SQLCipher logs HMAC failures to stderr unless told not to; the CLI must print one line."""
    make_closed_vault(vault_dir, clock, entries=40)
    db = vault_dir / DB_NAME
    db.write_bytes(_flip(lambda n: 1000)(db.read_bytes()))
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from trustvault.errors import CorruptFile, WrongPassphrase\n"
        "from trustvault.vault import Vault\n"
        "folder = Path(sys.argv[1])\n"
        "for passphrase in (sys.argv[2], 'wrong passphrase'):\n"
        "    try:\n"
        "        Vault.unlock(folder, passphrase)\n"
        "    except (CorruptFile, WrongPassphrase) as exc:\n"
        "        print(type(exc).__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(vault_dir), PASSPHRASE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == ["CorruptFile", "WrongPassphrase"]
    assert done.stderr == ""


# -- damaged or missing key file ---------------------------------------------------------------


def _edit_key(change: Callable[[dict[str, object]], None]) -> Callable[[bytes], bytes]:
    def damage(data: bytes) -> bytes:
        doc = json.loads(data)
        change(doc)
        return json.dumps(doc).encode()

    return damage


def _set_kdf(field: str, value: object) -> Callable[[dict[str, object]], None]:
    def change(doc: dict[str, object]) -> None:
        kdf = doc["kdf"]
        assert isinstance(kdf, dict)
        kdf[field] = value

    return change


def _flip_b64(field: str) -> Callable[[dict[str, object]], None]:
    import base64

    def change(doc: dict[str, object]) -> None:
        raw = bytearray(base64.b64decode(str(doc[field])))
        raw[-1] ^= 0x01
        doc[field] = base64.b64encode(bytes(raw)).decode()

    return change


KEY_DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda data: b"",
    "half": lambda data: data[: len(data) // 2],
    "not utf-8": lambda data: b"\xff\xfe" + data,
    "not json": lambda data: b"hello",
    "json list": lambda data: b"[]",
    "too large": lambda data: data + b" " * 5000,
    "other format": _edit_key(lambda d: d.update(format="something-else")),
    "newer version": _edit_key(lambda d: d.update(version=2)),
    "missing wrapped key": _edit_key(lambda d: d.pop("wrapped_key")),
    "bad base64": _edit_key(lambda d: d.update(wrapped_key="%%%")),
    "unknown kdf": _edit_key(_set_kdf("algorithm", "scrypt")),
    "ops below floor": _edit_key(_set_kdf("opslimit", 1)),
    "ops above ceiling": _edit_key(_set_kdf("opslimit", 1000)),
    "memory below floor": _edit_key(_set_kdf("memlimit", 8192)),
    "memory above ceiling": _edit_key(_set_kdf("memlimit", 1 << 40)),
    "ops not a number": _edit_key(_set_kdf("opslimit", "3")),
    "ops a boolean": _edit_key(_set_kdf("opslimit", True)),
    "short salt": _edit_key(_set_kdf("salt", "AAAA")),
    "wrapped key altered": _edit_key(_flip_b64("wrapped_key")),
    "wrapped key cut": _edit_key(lambda d: d.update(wrapped_key="AAAA")),
}


@pytest.mark.parametrize("damage", KEY_DAMAGE.values(), ids=KEY_DAMAGE.keys())
def test_damaged_key_file_is_named_and_left_alone(
    vault_dir: Path, clock: ManualClock, damage: Callable[[bytes], bytes]
) -> None:
    make_closed_vault(vault_dir, clock)
    key_file = vault_dir / KEY_NAME
    key_file.write_bytes(damage(key_file.read_bytes()))
    before = snapshot(vault_dir)
    with pytest.raises(CorruptFile) as err:
        Vault.unlock(vault_dir, PASSPHRASE)
    assert err.value.path == key_file
    assert KEY_NAME in str(err.value)
    assert snapshot(vault_dir) == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"null", "not a TrustVault key file"),
        (b"[]", "not a TrustVault key file"),
        (b'"trustvault-key"', "not a TrustVault key file"),
        (
            b'{"format": "trustvault-key", "version": 1, "kdf": []}',
            "the field kdf is not an object",
        ),
    ],
)
def test_a_key_file_of_the_wrong_shape_is_named_in_plain_words(
    vault_dir: Path, clock: ManualClock, content: bytes, reason: str
) -> None:
    """JSON that is not an object read as "'NoneType' object has no attribute 'get'" (found by
    the keyfile fuzz target: tests/fuzz/crashers/keyfile/)."""
    make_closed_vault(vault_dir, clock)
    (vault_dir / KEY_NAME).write_bytes(content)
    with pytest.raises(CorruptFile) as err:
        Vault.unlock(vault_dir, PASSPHRASE)
    assert f"({reason})" in str(err.value)


def test_altered_key_check_reads_as_a_wrong_passphrase(vault_dir: Path, clock: ManualClock) -> None:
    """The key-check value is what tells the two apart; if it is the part altered, the honest
    answer is the passphrase one (the person can retry; nothing is lost or written)."""
    make_closed_vault(vault_dir, clock)
    key_file = vault_dir / KEY_NAME
    key_file.write_bytes(_edit_key(_flip_b64("key_check"))(key_file.read_bytes()))
    with pytest.raises(WrongPassphrase):
        Vault.unlock(vault_dir, PASSPHRASE)


def test_missing_key_file_beside_a_database(vault_dir: Path, clock: ManualClock) -> None:
    key = make_closed_vault(vault_dir, clock)
    (vault_dir / KEY_NAME).unlink()
    before = snapshot(vault_dir)
    for opener in (
        lambda: Vault.unlock(vault_dir, PASSPHRASE),
        lambda: Vault.open_with_key(vault_dir, key),
    ):
        with pytest.raises(CorruptFile) as err:
            opener()
        assert err.value.path == vault_dir / KEY_NAME
    assert snapshot(vault_dir) == before


def test_no_vault_at_all(tmp_path: Path) -> None:
    with pytest.raises(VaultNotFound):
        Vault.unlock(tmp_path, PASSPHRASE)
    assert list(tmp_path.iterdir()) == []


def test_create_interrupted_between_the_two_moves_is_completed(
    vault_dir: Path, clock: ManualClock
) -> None:
    """``create`` moves the database, then the key file; a kill in between is rolled forward."""
    key = make_closed_vault(vault_dir, clock, entries=2)
    stage = vault_dir / ".init-0123456789ab"
    stage.mkdir()
    os.replace(vault_dir / KEY_NAME, stage / KEY_NAME)
    assert Vault.unwrap_key(vault_dir, PASSPHRASE) == key
    assert sorted(p.name for p in vault_dir.iterdir()) == [DB_NAME, KEY_NAME]


def test_leftover_staging_folder_is_not_a_vault(vault_dir: Path, clock: ManualClock) -> None:
    """A create killed before its moves leaves only a hidden staging folder: no vault, and a new
    create still works."""
    make_closed_vault(vault_dir / ".init-0123456789ab", clock)
    with pytest.raises(VaultNotFound):
        Vault.unlock(vault_dir, PASSPHRASE)
    Vault.create(vault_dir, PASSPHRASE, "Alex", kdf_profile="interactive").close()
    Vault.unlock(vault_dir, PASSPHRASE).close()


# -- schema versions ---------------------------------------------------------------------------


def test_a_vault_from_a_newer_app_is_refused(vault_dir: Path, clock: ManualClock) -> None:
    key = make_closed_vault(vault_dir, clock)
    conn = sqlcipher3.connect(str(vault_dir / DB_NAME))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    before = snapshot(vault_dir)
    with pytest.raises(UnsupportedVault, match="newer TrustVault"):
        Vault.open_with_key(vault_dir, key)
    assert snapshot(vault_dir) == before


def test_a_fresh_vault_is_at_the_latest_schema(vault: Vault) -> None:
    assert vault.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION


# -- keychain ----------------------------------------------------------------------------------


def test_remember_recall_forget(vault: Vault, memory_keyring: MemoryKeyring) -> None:
    assert keychain.keychain_available()
    assert keychain.recall_key(vault.vault_id) is None
    assert keychain.remember_key(vault.vault_id, vault.key)
    assert keychain.recall_key(vault.vault_id) == vault.key
    assert list(memory_keyring.items) == [(keychain.SERVICE, vault.vault_id)]
    keychain.forget_key(vault.vault_id)
    assert keychain.recall_key(vault.vault_id) is None
    keychain.forget_key(vault.vault_id)  # forgetting twice is fine


def test_recalled_garbage_is_ignored(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.items[(keychain.SERVICE, "v1")] = "not hex"
    memory_keyring.items[(keychain.SERVICE, "v2")] = "ab" * 16  # 16 bytes, not 32
    assert keychain.recall_key("v1") is None
    assert keychain.recall_key("v2") is None


def test_fail_backend_is_refused() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    assert not keychain.keychain_available()
    assert keychain.keychain_name() == "no keychain"
    assert keychain.remember_key("v", bytes(32)) is False
    assert keychain.recall_key("v") is None
    keychain.forget_key("v")


class _FileLikeKeyring(MemoryKeyring):
    """Stands for keyrings.alt's plaintext file keyring; keeps items in memory, writes no file."""


_FileLikeKeyring.__module__ = "keyrings.alt.file"


def test_plaintext_file_backend_is_refused() -> None:
    plaintext = _FileLikeKeyring()
    plaintext.items[(keychain.SERVICE, "v")] = "ab" * 32
    keyring.set_keyring(plaintext)
    assert not keychain.keychain_available()
    assert keychain.remember_key("v2", bytes(32)) is False
    assert keychain.recall_key("v") is None
    assert list(plaintext.items) == [(keychain.SERVICE, "v")]


class _Chain(ChainerBackend):
    """A chain of given backends, as keyring builds when several are installed."""

    def __init__(self, members: list[KeyringBackend]) -> None:
        super().__init__()
        self._members = members

    @property
    def backends(self) -> list[KeyringBackend]:  # type: ignore[override]
        return self._members


def test_a_chain_never_writes_to_its_plaintext_member() -> None:
    plaintext, real = _FileLikeKeyring(), MemoryKeyring()
    keyring.set_keyring(_Chain([plaintext, real]))
    assert keychain.keychain_available()
    assert keychain.remember_key("v", bytes(range(32)))
    assert plaintext.items == {}
    assert keychain.recall_key("v") == bytes(range(32))
    keychain.forget_key("v")
    assert real.items == {}


def test_a_chain_of_refused_backends_is_no_keychain() -> None:
    keyring.set_keyring(_Chain([_FileLikeKeyring(), keyring.backends.fail.Keyring()]))
    assert not keychain.keychain_available()
    assert keychain.remember_key("v", bytes(32)) is False


class _SomeoneElsesKeyring(MemoryKeyring):
    """A third-party backend nobody chose: not an OS keychain."""


_SomeoneElsesKeyring.__module__ = "keyrings.cloudsync"


def test_only_os_keychains_are_used_unless_the_person_opts_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = _SomeoneElsesKeyring()
    keyring.set_keyring(other)
    assert not keychain.keychain_available()
    assert keychain.remember_key("v", bytes(32)) is False and other.items == {}
    monkeypatch.setenv(keychain.ALLOW_ENV, "keyrings.cloudsync._SomeoneElsesKeyring")
    assert keychain.keychain_available() and keychain.remember_key("v", bytes(32))
    assert set(keychain.OS_KEYCHAINS) == {
        "keyring.backends.SecretService",
        "keyring.backends.kwallet",
        "keyring.backends.macOS",
        "keyring.backends.Windows",
    }


def test_no_opt_in_reaches_a_plaintext_file_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    keyring.set_keyring(_FileLikeKeyring())
    monkeypatch.setenv(keychain.ALLOW_ENV, "keyrings.alt.file._FileLikeKeyring")
    assert not keychain.keychain_available()
