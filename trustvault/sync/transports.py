"""Opening the transport a pairing was made with, from the spec stored in the vault."""

from pathlib import Path
from typing import Any

from trustvault.errors import PairingError, TransportError
from trustvault.sync.folder_transport import FolderTransport
from trustvault.sync.transport import Transport

__all__ = ["check_apart", "folder_spec", "open_transport"]


def folder_spec(folder: Path) -> dict[str, Any]:
    return {"type": "folder", "path": str(Path(folder).expanduser().resolve())}


def check_apart(spec: dict[str, Any], vault_folder: Path) -> None:
    """Refuse a sync folder that holds, or sits inside, the vault folder: the live database
    must never be in a folder a file-sync tool copies around."""
    if spec.get("type") != "folder":
        return
    folder = Path(spec["path"]).expanduser().resolve()
    vault = Path(vault_folder).expanduser().resolve()
    if folder == vault or vault in folder.parents or folder in vault.parents:
        raise PairingError(
            "The sync folder must be separate from the vault folder: the live database never"
            " goes into a synced folder."
        )


def open_transport(spec: dict[str, Any]) -> Transport:
    kind = spec.get("type")
    if kind == "folder":
        return FolderTransport(Path(spec["path"]))
    if kind == "relay":
        from trustvault.sync.relay_transport import RelayCredentials, RelayTransport

        return RelayTransport(RelayCredentials.from_json(spec["credentials"]))
    raise TransportError(f"Unknown sync transport {kind!r} in this vault's settings.")
