"""The folder and in-memory transports keep the contract every sync medium owes the engine."""

import re
from pathlib import Path

import pytest

from tests.sync.sync_helpers import paired_couple
from tests.sync.transport_contract import check_transport
from trustvault.errors import TransportError
from trustvault.sync.folder_transport import LEGACY_SUFFIX, FolderTransport
from trustvault.sync.memory_transport import MemoryTransport


def test_folder_transport_keeps_the_contract(tmp_path: Path) -> None:
    check_transport(FolderTransport(tmp_path), FolderTransport(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "no temporary file left behind"


def test_memory_transport_keeps_the_contract() -> None:
    shared: dict[str, bytes] = {}
    check_transport(MemoryTransport(shared), MemoryTransport(shared))


def test_a_sync_folder_that_went_away_is_one_plain_line_and_nothing_changes(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The USB stick is unplugged, the network share is down: sync says so and loses nothing."""
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    entry = c.a.entries.add("milestone", {"title": "written while away"})
    away = c.folder.with_name("unplugged")
    c.folder.rename(away)
    for service in (c.sa, c.sb):
        with pytest.raises(TransportError) as caught:
            service.sync()
        assert "sync folder" in str(caught.value) and "\n" not in str(caught.value)
    away.rename(c.folder)
    c.settle()
    assert c.b.entries.get(entry.id).fields["title"] == "written while away"
    c.close()


def test_the_sync_folder_names_nothing_and_still_reads_what_earlier_builds_wrote(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Someone browsing the shared folder (or its provider's file list) sees opaque names with
    a common suffix, not the app's; a blob an earlier build wrote as ``.tvb`` still arrives and
    is deleted like any other."""
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    c.a.entries.add("milestone", {"title": "first"})
    c.sa.sync()
    files = [p.name for p in c.folder.iterdir()]
    assert files and all(re.fullmatch(r"[0-9a-f]{32}\.bin", name) for name in files), files

    legacy = FolderTransport(c.folder)
    name = next(p.stem for p in c.folder.iterdir())
    blob = legacy.get(name)
    assert blob is not None
    (c.folder / f"{name}.bin").rename(c.folder / f"{name}{LEGACY_SUFFIX}")
    assert legacy.names().count(name) == 1 and legacy.get(name) == blob
    legacy.delete(name)
    assert not (c.folder / f"{name}{LEGACY_SUFFIX}").exists()
    legacy.put(name, blob)
    (c.folder / f"{name}.bin").rename(c.folder / f"{name}{LEGACY_SUFFIX}")
    c.settle()
    assert [e.fields["title"] for e in c.b.entries.all("milestone")] == ["first"]
    c.close()
