"""A mistaken join never spends the relay's one-time invitation meant for the real partner."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers import ManualClock
from tests.relay.relay_fixture import RelayServer
from trustvault.errors import PairingError
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

PASSPHRASE = "correct horse battery"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def vaults(tmp_path: Path, clock: ManualClock) -> Iterator[dict[str, Vault]]:
    made = {
        n: Vault.create(tmp_path / n, PASSPHRASE, n.title(), kdf_profile="interactive", clock=clock)
        for n in ("alex", "sam", "robin", "kim")
    }
    yield made
    for vault in made.values():
        vault.close()


def test_own_code_and_a_paired_vault_leave_the_invitation_unspent(
    relay: RelayServer, vaults: dict[str, Vault]
) -> None:
    inviter = SyncService(vaults["alex"])
    code = inviter.invite({"type": "relay", "url": relay.url})
    with pytest.raises(PairingError, match="made on this device"):
        inviter.join(code)

    # Robin is already joining someone else (with another code): refused before the relay.
    other = SyncService(vaults["sam"]).invite({"type": "relay", "url": relay.url})
    SyncService(vaults["robin"]).join(other)
    with pytest.raises(PairingError, match="already paired"):
        SyncService(vaults["robin"]).join(code)

    # Neither mistake spent the code: the real partner still pairs with it.
    joiner = SyncService(vaults["kim"])
    joiner.join(code)
    assert inviter.sync().paired_now
    assert joiner.sync().paired_now


def test_an_expired_code_is_refused_before_the_relay_is_asked(
    relay: RelayServer, vaults: dict[str, Vault], clock: ManualClock
) -> None:
    alex, sam = vaults["alex"], vaults["sam"]
    code = SyncService(alex).invite({"type": "relay", "url": relay.url}, ttl=timedelta(hours=1))
    clock.advance(hours=2)
    with pytest.raises(PairingError, match="expired"):
        SyncService(sam).join(code)
    assert SyncService(sam).status() == "unpaired"
