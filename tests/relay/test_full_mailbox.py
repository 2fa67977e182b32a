"""A relay mailbox at its quota drains completely, both ways, once each device reads.

The quota is the relay's own (a real ``trustvault-relay`` process on loopback with
``--quota-bytes`` or ``--quota-blobs``): both partners share more than it holds at once, and every
entry must arrive through repeated syncs, with the fullness said in one line, never raised.
"""

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.relay.relay_fixture import RelayServer
from tests.sync.full_medium import drain
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

PASSPHRASE = "correct horse battery"
N = 500


@pytest.mark.parametrize(
    "quota", [("--quota-bytes", "200000"), ("--quota-blobs", "6")], ids=["bytes", "blobs"]
)
def test_a_full_mailbox_drains_completely_across_syncs(
    start_relay: Callable[..., RelayServer], tmp_path: Path, quota: tuple[str, str]
) -> None:
    server = start_relay(*quota)
    alex = Vault.create(tmp_path / "alex", PASSPHRASE, "Alex", kdf_profile="interactive")
    sam = Vault.create(tmp_path / "sam", PASSPHRASE, "Sam", kdf_profile="interactive")
    try:
        inviter, joiner = SyncService(alex), SyncService(sam)
        joiner.join(inviter.invite({"type": "relay", "url": server.url}))
        assert inviter.sync().paired_now and joiner.sync().paired_now
        got = drain(alex, sam, N)
    finally:
        alex.close()
        sam.close()
    assert (got.arrived_at_alex, got.arrived_at_sam) == (N, N), got
    assert got.pending == (0, 0), got
    assert any(p.startswith("The relay is full: ") for p in got.problems), got
    assert any("wait until Alex's device reads" in p for p in got.problems), got
    assert any("wait until Sam's device reads" in p for p in got.problems), got
