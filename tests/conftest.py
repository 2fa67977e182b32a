"""Shared fixtures: real SQLCipher vaults in temporary folders, an in-memory keychain, a clock.

Qt runs offscreen; the OS keychain is replaced by an in-memory backend registered through
``keyring.set_keyring`` (this machine has none, and tests must never touch a real one).
"""

import functools
import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

import crypto.kdf
import crypto.keywrap

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.helpers import PASSPHRASE, ManualClock, MemoryKeyring
from trustvault.keychain import ALLOW_ENV

# This machine has no OS keychain: the tests opt in to their in-memory one, by name.
os.environ[ALLOW_ENV] = f"{MemoryKeyring.__module__}.{MemoryKeyring.__qualname__}"

from tests.sync.sync_helpers import witness_sealed_keys
from trustvault.vault import Vault

# Argon2id is deterministic: the same passphrase and parameters (salt included) give the same
# key. A vault's tests unlock it again and again (every CLI command does), and those repeats were
# over half the time of the two-device tests. Each distinct input is still derived for real, once
# per test process; a wrong passphrase, a new salt or a new cost is a new input.
_real_derive_key = crypto.kdf.derive_key


@functools.lru_cache(maxsize=4096)
def _derive_once(passphrase: str, params: crypto.kdf.KdfParams) -> bytes:
    return _real_derive_key(passphrase, params)


crypto.kdf.derive_key = _derive_once
crypto.keywrap.derive_key = _derive_once


@pytest.fixture(autouse=True)
def sealed_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test may read what a device sealed after the device forgot the key (see
    :func:`tests.sync.sync_helpers.witness_sealed_keys`)."""
    witness_sealed_keys(monkeypatch)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_dir: Path, clock: ManualClock) -> Iterator[Vault]:
    v = Vault.create(vault_dir, PASSPHRASE, "Alex", kdf_profile="interactive", clock=clock)
    yield v
    v.close()
