"""Unpairing, cancelling, and pairing again: a changed partner key is shown loudly."""

from pathlib import Path

import pytest

from tests.helpers import ManualClock
from tests.sync.sync_helpers import make_couple, new_vault, pair_up
from trustvault.errors import PairingError
from trustvault.sync.service import SyncService
from trustvault.sync.transports import folder_spec


def test_repairing_with_a_new_key_after_verifying_is_flagged_until_verified_again(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    pair_up(couple)
    couple.sa.verify()
    first = couple.sa.partner()
    assert first is not None and first.verified and not first.key_changed

    # Sam's device is replaced: a fresh vault, a new key. Alex unpairs and invites again.
    couple.sa.unpair()
    assert couple.sa.status() == "unpaired" and couple.sa.partner() is None
    newcomer = new_vault(tmp_path / "sam2", "Sam", couple.clock)  # a fresh key pair
    new_sam = SyncService(newcomer)
    code = couple.sa.invite(folder_spec(couple.folder))
    new_sam.join(code, folder_spec(couple.folder))
    couple.sa.sync()
    again = couple.sa.partner()
    assert again is not None and again.status == "paired"
    assert again.key_changed and not again.verified
    assert again.safety_number != first.safety_number

    assert couple.sa.verify().key_changed is False
    newcomer.close()


def test_repairing_with_the_same_verified_key_stays_verified(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    pair_up(couple)
    couple.sa.verify()
    couple.sa.unpair()
    couple.sb.unpair()
    code = couple.sa.invite(folder_spec(couple.folder))
    couple.sb.join(code, folder_spec(couple.folder))
    couple.settle()
    info = couple.sa.partner()
    assert info is not None and info.verified and not info.key_changed


def test_a_pending_join_can_be_cancelled_and_another_code_used(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, clock: ManualClock
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    stray = tmp_path / "elsewhere"
    stray.mkdir()
    # A code for a folder the inviter never reads: the joiner would wait forever.
    wrong = couple.sa.invite(folder_spec(stray))
    couple.sb.join(wrong, folder_spec(couple.folder))
    assert couple.sb.status() == "joining"
    with pytest.raises(PairingError):
        couple.sb.join(wrong, folder_spec(couple.folder))
    couple.sb.unpair()
    couple.sa.unpair()
    code = couple.sa.invite(folder_spec(couple.folder))
    couple.sb.join(code, folder_spec(couple.folder))
    couple.settle()
    assert couple.sa.status() == couple.sb.status() == "paired"


def test_unpair_when_not_paired_says_so(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    with pytest.raises(PairingError, match="not paired"):
        couple.sa.unpair()
