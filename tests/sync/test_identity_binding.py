"""A partner's device id is bound to its key: a modified client cannot pose as this device, or as
someone else whose entries this vault holds, by declaring that id when pairing.

Before this rule the partner's id was whatever its pairing message said: Sam's client declaring
Alex's own id could then withdraw Alex's entries on Alex's device and post comments shown as
Alex's, with matching safety numbers.
"""

from pathlib import Path

import pytest

from tests.sync.sync_helpers import Couple, blank_vault, make_couple
from trustvault.errors import PairingError
from trustvault.sync import pairing
from trustvault.sync.service import SyncService
from trustvault.sync.transports import folder_spec


def _pair(couple: Couple) -> None:
    code = couple.sa.invite(folder_spec(couple.folder))
    couple.sb.join(code, folder_spec(couple.folder))
    couple.sa.sync()
    couple.sb.sync()


def test_a_joiner_claiming_the_inviters_own_id_is_refused(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    mine = couple.a.entries.add("disclosure", {"title": "Mine", "occurred_on": "2026-10-01"})
    couple.b.device_id = couple.a.device_id  # Sam's modified client declares Alex's id
    _pair(couple)
    assert couple.sa.status() == "inviting" and couple.sa.partner() is None
    assert couple.sb.status() == "joining"
    assert couple.a.entries.get(mine.id).visibility == "shared"  # nothing acted as Alex
    couple.close()


def test_an_inviter_claiming_the_joiners_own_id_is_refused(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    code = couple.sa.invite(folder_spec(couple.folder))
    couple.sb.join(code, folder_spec(couple.folder))
    with monkeypatch.context() as modified:  # Alex's modified client answers with Sam's id
        modified.setattr(pairing, "identity_refusal", lambda *_: None)
        couple.a.device_id = couple.b.device_id
        couple.sa.sync()
    with pytest.raises(PairingError, match="identity this device refuses"):
        couple.sb.sync()
    assert couple.sb.status() == "unpaired" and couple.sb.partner() is None
    couple.close()


def test_another_key_cannot_take_over_a_known_partners_id(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """After Alex and Sam unpair, Kim's device declaring Sam's id would make Sam's entries on
    Alex's device Kim's to withdraw or edit: refused. Sam's own device may pair again."""
    couple = make_couple(tmp_path, tmp_path_factory)
    _pair(couple)
    sams = couple.b.entries.add("milestone", {"title": "Sam's words"}, "shared")
    couple.settle(2)
    assert couple.a.entries.get(sams.id).author == couple.b.device_id
    couple.sa.unpair()
    couple.sb.unpair()

    kim = blank_vault(tmp_path_factory, tmp_path / "kim", "Kim", couple.clock)
    kim.device_id = couple.b.device_id
    code = couple.sa.invite(folder_spec(couple.folder))
    SyncService(kim).join(code, folder_spec(couple.folder))
    couple.sa.sync()
    assert couple.sa.status() == "inviting"
    kim.close()

    _pair(couple)  # the same devices, the same keys: fine
    assert couple.sa.status() == couple.sb.status() == "paired"
    couple.close()


def test_a_device_id_that_is_not_an_id_is_refused(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    couple.b.device_id = "x" * 32
    _pair(couple)
    assert couple.sa.status() == "inviting"
    couple.close()
