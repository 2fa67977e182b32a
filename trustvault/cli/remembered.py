"""Moved to :mod:`trustvault.remembered` (the desktop app shares it); kept for old imports."""

from trustvault.remembered import mapping_path, remembered_vault_id, set_remembered_vault_id

__all__ = ["mapping_path", "remembered_vault_id", "set_remembered_vault_id"]
