"""The folder and in-memory transports keep the contract every sync medium owes the engine."""

from pathlib import Path

from transport_contract import check_transport

from trustvault.sync.folder_transport import FolderTransport
from trustvault.sync.memory_transport import MemoryTransport


def test_folder_transport_keeps_the_contract(tmp_path: Path) -> None:
    check_transport(FolderTransport(tmp_path), FolderTransport(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "no temporary file left behind"


def test_memory_transport_keeps_the_contract() -> None:
    shared: dict[str, bytes] = {}
    check_transport(MemoryTransport(shared), MemoryTransport(shared))
