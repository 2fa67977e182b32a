"""The same passphrase opens the vault however the keyboard composed its accents."""

import unicodedata
from pathlib import Path

import pytest

from trustvault.errors import WrongPassphrase
from trustvault.vault import Vault


def test_composed_and_decomposed_forms_open_the_same_vault(tmp_path: Path) -> None:
    typed_on_linux = unicodedata.normalize("NFC", "Grüße aus Köln, Zoë")
    typed_on_mac = unicodedata.normalize("NFD", typed_on_linux)
    assert typed_on_linux != typed_on_mac
    Vault.create(tmp_path / "v", typed_on_linux, "Zoë", kdf_profile="interactive").close()
    Vault.unlock(tmp_path / "v", typed_on_mac).close()
    with pytest.raises(WrongPassphrase):
        Vault.unlock(tmp_path / "v", "Grusse aus Koln, Zoe")
