"""Fixtures of the tests that apply a partner's ops straight through the real applier."""

from collections.abc import Iterator

import pytest

from tests.helpers import PASSPHRASE
from trustvault.sync.apply import OpApplier
from trustvault.vault import Vault

PARTNER = "e" * 32
"""The partner's device id the applier judges ops by."""


@pytest.fixture(scope="module")
def shared_vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vault]:
    """One real vault per test module; each test's writes are rolled back by ``applier``."""
    folder = tmp_path_factory.mktemp("applying") / "vault"
    with Vault.create(folder, PASSPHRASE, "Alex", kdf_profile="interactive") as vault:
        yield vault


@pytest.fixture
def applier(shared_vault: Vault) -> Iterator[OpApplier]:
    """An applier inside the inbox's transaction, rolled back after each test."""
    shared_vault.conn.execute("BEGIN IMMEDIATE")
    yield OpApplier(shared_vault.entries, PARTNER)
    shared_vault.conn.execute("ROLLBACK")
