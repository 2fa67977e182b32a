"""The live vault never goes into a synced folder: pairing refuses overlapping folders."""

from pathlib import Path

import pytest

from tests.sync.sync_helpers import make_couple
from trustvault.errors import PairingError
from trustvault.sync.transports import folder_spec


@pytest.mark.parametrize("where", ["same", "inside the vault", "around the vault"])
def test_invite_and_join_refuse_a_sync_folder_overlapping_the_vault(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, where: str
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    vault_folder = couple.a.folder
    folder = {
        "same": vault_folder,
        "inside the vault": vault_folder / "sync",
        "around the vault": vault_folder.parent,
    }[where]
    with pytest.raises(PairingError, match="separate from the vault folder"):
        couple.sa.invite(folder_spec(folder))
    assert couple.sa.status() == "unpaired"

    code = couple.sb.invite(folder_spec(couple.folder))
    with pytest.raises(PairingError, match="separate from the vault folder"):
        couple.sa.join(code, folder_spec(folder))
    assert couple.sa.status() == "unpaired"
