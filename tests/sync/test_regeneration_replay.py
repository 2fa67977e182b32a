"""A medium that puts back the copy of an envelope a withdrawal replaced (PROTOCOL.md §5, §9).

Withdrawing an entry the partner has not confirmed re-seals its envelope with the content
redacted, under a new name and a higher generation, and deletes the old blob. A cloud folder's
version history or a relay's backup can restore the old blob; the op digests are the same in both
copies, so the chain cannot tell them apart: only the sealed generation does.
"""

from pathlib import Path
from typing import ClassVar

import pytest

from tests.sync.sync_helpers import Couple, blobs_in, open_blob_as_sender, paired_couple
from trustvault.errors import EntryNotFound
from trustvault.sync.folder_transport import SUFFIX, FolderTransport
from trustvault.sync.service import SyncService

SECRET = "WITHDRAWN-OSPREY"


class ListingFirst(FolderTransport):
    """A medium that lists some names before the others (a folder's order is arbitrary)."""

    first: ClassVar[set[str]] = set()

    def names(self) -> list[str]:
        return sorted(super().names(), key=lambda n: n not in self.first)


def _carrying(c: Couple) -> dict[str, bytes]:
    """Alex's blobs in the folder whose sealed payload holds the secret, by blob name."""
    out = {}
    for file_name, data in blobs_in(c.folder):
        payload = open_blob_as_sender(c.a, data)
        if payload is not None and SECRET.encode() in payload:
            out[file_name.removesuffix(SUFFIX)] = data
    return out


def _shared_then_withdrawn(
    tmp_path: Path, factory: pytest.TempPathFactory
) -> tuple[Couple, str, tuple[str, bytes]]:
    """Alex shares and syncs, then withdraws before Sam fetched; returns the couple, the entry's
    id and the old blob (its name and a copy of its bytes)."""
    c = paired_couple(tmp_path / "couple", factory)
    entry = c.a.entries.add("milestone", {"title": SECRET, "note": "reference"})
    c.sa.sync()
    old = _carrying(c)
    assert len(old) == 1, "the entry went out sealed, in one envelope"
    c.sa.revoke(entry.id)
    c.sa.sync()
    assert _carrying(c) == {}, "the old generation left the folder"
    return c, entry.id, next(iter(old.items()))


def _put_back(c: Couple, old: tuple[str, bytes]) -> None:
    name, blob = old
    (c.folder / f"{name}{SUFFIX}").write_bytes(blob)


def _assert_never_delivered(c: Couple, entry_id: str) -> None:
    with pytest.raises(EntryNotFound):
        c.b.entries.get(entry_id)  # not even a tombstone: it never reached Sam
    assert c.b.entries.search("OSPREY") == []


@pytest.mark.parametrize("listed", ["old-first", "old-last"])
def test_a_put_back_old_generation_is_refused_in_the_same_read(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, listed: str
) -> None:
    c, entry_id, old = _shared_then_withdrawn(tmp_path, tmp_path_factory)
    _put_back(c, old)
    ListingFirst.first = {old[0]} if listed == "old-first" else set()
    c.sb = SyncService(c.b, ListingFirst(c.folder))
    result = c.sb.sync()
    assert result.rejected == 1, "the old copy is refused and counted"
    assert result.problems == [
        "An envelope from your partner was refused: it was replaced by a newer copy."
    ]
    _assert_never_delivered(c, entry_id)
    again = c.sb.sync()
    assert again.rejected == 0, "counted once"
    c.settle()
    _assert_never_delivered(c, entry_id)
    c.close()


def test_an_old_generation_put_back_after_the_new_one_applied_no_longer_opens(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c, entry_id, old = _shared_then_withdrawn(tmp_path, tmp_path_factory)
    first = c.sb.sync()
    assert first.rejected == 0 and first.received == 1, "only the withdrawal op applies"
    _put_back(c, old)
    result = c.sb.sync()
    # Its message key went when the newer copy was applied (the ratchet, PROTOCOL.md §4b): no
    # device can open it any more, so its head's sequence makes it a harmless duplicate.
    assert (result.rejected, result.received) == (0, 0) and result.duplicates >= 1
    _assert_never_delivered(c, entry_id)
    c.close()


def test_a_replayed_envelope_already_applied_before_the_withdrawal_changes_nothing(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    entry = c.a.entries.add("milestone", {"title": SECRET, "note": "reference"})
    c.sa.sync()
    ((name, blob),) = _carrying(c).items()
    c.settle()  # Sam applied generation 0 and Alex has the receipt: nothing left to redact
    assert c.b.entries.get(entry.id).title == SECRET
    c.sa.revoke(entry.id)
    c.settle()
    assert c.b.entries.get(entry.id).visibility == "withdrawn"

    (c.folder / f"{name}{SUFFIX}").write_bytes(blob)
    result = c.sb.sync()
    assert (result.rejected, result.received, result.duplicates) == (0, 0, 1)
    tomb = c.b.entries.get(entry.id)
    assert tomb.visibility == "withdrawn" and tomb.fields == {}
    assert c.b.entries.history(entry.id) == []
    assert c.b.entries.search("OSPREY") == []
    c.close()
