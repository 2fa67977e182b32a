"""Which vault folders have their key remembered in the OS keychain, and under which name.

Shared by the CLI and the desktop app, so a key remembered by one is found by the other. The
keychain item is named by the vault's ``vault_id``. That id lives inside the encrypted database,
so it cannot be read before unlocking; this small, non-secret file maps each vault folder
(resolved absolute path) to its id::

    <user config dir>/TrustVault/remembered-vaults.json   {"<folder>": "<vault_id>", ...}

It holds no key and no content. A missing or damaged file only means the passphrase is asked.
"""

import json
import os
from pathlib import Path

from trustvault.atomic import atomic_write
from trustvault.bounded_read import read_regular_file

__all__ = ["mapping_path", "remembered_vault_id", "set_remembered_vault_id"]

_NAME = "remembered-vaults.json"
_MAX = 1024 * 1024


def mapping_path() -> Path:
    import platformdirs  # read after the app's first paint, not before it

    return Path(platformdirs.user_config_dir("TrustVault", appauthor=False)) / _NAME


def _folder_key(folder: Path) -> str:
    return os.fspath(folder.expanduser().resolve())


def _load() -> dict[str, str]:
    try:
        data = json.loads(read_regular_file(mapping_path(), _MAX))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str) and v}


def remembered_vault_id(folder: Path) -> str | None:
    """The vault id whose key this device remembers for ``folder``, if any."""
    return _load().get(_folder_key(folder))


def set_remembered_vault_id(folder: Path, vault_id: str | None) -> None:
    """Record (or with None, drop) the folder's vault id; written atomically, mode 0600."""
    mapping = _load()
    key = _folder_key(folder)
    if vault_id:
        mapping[key] = vault_id
    elif mapping.pop(key, None) is None:
        return
    path = mapping_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(path, (json.dumps(mapping, indent=2, sort_keys=True) + "\n").encode())
