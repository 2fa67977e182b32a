"""Opening the transport a pairing was made with, from the spec stored in the vault."""

from pathlib import Path
from typing import Any

from trustvault.errors import TransportError
from trustvault.sync.folder_transport import FolderTransport
from trustvault.sync.transport import Transport

__all__ = ["folder_spec", "open_transport"]


def folder_spec(folder: Path) -> dict[str, Any]:
    return {"type": "folder", "path": str(Path(folder).expanduser().resolve())}


def open_transport(spec: dict[str, Any]) -> Transport:
    kind = spec.get("type")
    if kind == "folder":
        return FolderTransport(Path(spec["path"]))
    if kind == "relay":
        from trustvault.sync.relay_transport import RelayCredentials, RelayTransport

        return RelayTransport(RelayCredentials.from_json(spec["credentials"]))
    raise TransportError(f"Unknown sync transport {kind!r} in this vault's settings.")
