"""Shared fixtures: real SQLCipher vaults in temporary folders, an in-memory keychain, a clock.

Qt runs offscreen; the OS keychain is replaced by an in-memory backend registered through
``keyring.set_keyring`` (this machine has none, and tests must never touch a real one).
"""

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.helpers import PASSPHRASE, ManualClock, MemoryKeyring
from trustvault.keychain import ALLOW_ENV

# This machine has no OS keychain: the tests opt in to their in-memory one, by name.
os.environ[ALLOW_ENV] = f"{MemoryKeyring.__module__}.{MemoryKeyring.__qualname__}"

from tests.sync.sync_helpers import witness_sealed_keys
from trustvault.vault import Vault


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
