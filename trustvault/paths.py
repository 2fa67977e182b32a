"""Where a vault lives: ``--vault DIR``, else ``TRUSTVAULT_HOME``, else the per-user data folder."""

import os
from pathlib import Path

__all__ = [
    "DB_NAME",
    "KEY_NAME",
    "NEXT_KEY_NAME",
    "default_vault_dir",
    "resolve_vault_dir",
    "vault_exists",
]

DB_NAME = "vault.db"
KEY_NAME = "vault.key"
NEXT_KEY_NAME = "vault.key.next"  # only while a re-key is under way (see Vault.rekey)


def default_vault_dir() -> Path:
    import platformdirs  # only when no folder was named or remembered: the app's start skips it

    return Path(platformdirs.user_data_dir("TrustVault", appauthor=False))


def resolve_vault_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("TRUSTVAULT_HOME")
    if env:
        return Path(env).expanduser()
    return default_vault_dir()


def vault_exists(folder: Path) -> bool:
    """Whether ``folder`` holds a vault (its key file): a check that loads nothing, so the app
    can choose between the unlock screen and the setup wizard before the core is imported."""
    return (folder / KEY_NAME).exists()
