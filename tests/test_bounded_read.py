"""Files the app reads on its own (the key file, the remembered-vault note, sync-folder blobs)
are read with a size bound from regular files only: a swapped-in device or pipe cannot hang it."""

import os
import threading
from pathlib import Path

import pytest

from trustvault.bounded_read import FileTooLarge, NotRegularFile, read_regular_file
from trustvault.errors import CorruptFile
from trustvault.keyfile import read_key_file
from trustvault.paths import KEY_NAME
from trustvault.sync.folder_transport import SUFFIX, FolderTransport
from trustvault.vault import Vault

NAME = "ab" * 16


def _within_seconds(fn: object, seconds: float = 5.0) -> object:
    """Run ``fn`` on a thread and fail (instead of hanging the suite) if it does not return."""
    box: list[object] = []
    thread = threading.Thread(target=lambda: box.append(_call(fn)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the read hung"
    return box[0]


def _call(fn: object) -> object:
    try:
        return fn()  # type: ignore[operator]
    except Exception as exc:
        return exc


def test_a_regular_file_within_the_bound_is_read(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert read_regular_file(path, 100) == b"x" * 100
    with pytest.raises(FileTooLarge):
        read_regular_file(path, 99)


def test_a_device_behind_a_symlink_is_refused_not_read_whole(tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to("/dev/zero")
    assert isinstance(_within_seconds(lambda: read_regular_file(link, 4096)), NotRegularFile)


def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert isinstance(_within_seconds(lambda: read_regular_file(fifo, 4096)), NotRegularFile)


@pytest.mark.parametrize("kind", ["zero", "fifo"])
def test_a_key_file_swapped_for_a_device_or_pipe_is_named_as_damaged(
    vault_dir: Path, vault: Vault, kind: str
) -> None:
    vault.close()
    key = vault_dir / KEY_NAME
    key.unlink()
    if kind == "zero":
        key.symlink_to("/dev/zero")
    else:
        os.mkfifo(key)
    outcome = _within_seconds(lambda: read_key_file(key))
    assert isinstance(outcome, CorruptFile) and "vault.key" in str(outcome)


def test_a_pipe_named_like_a_blob_in_the_sync_folder_is_skipped(tmp_path: Path) -> None:
    """A medium that plants a pipe (or a link to a device) under a blob's name gets nothing:
    the sync reads every other blob and goes on."""
    folder = tmp_path / "sync"
    folder.mkdir()
    medium = FolderTransport(folder)
    medium.put("cd" * 16, b"sealed")
    os.mkfifo(folder / f"{NAME}{SUFFIX}")
    (folder / f"{'ef' * 16}{SUFFIX}").symlink_to("/dev/zero")
    assert _within_seconds(lambda: medium.get(NAME)) is None
    assert _within_seconds(lambda: medium.get("ef" * 16)) is None
    assert medium.get("cd" * 16) == b"sealed"
