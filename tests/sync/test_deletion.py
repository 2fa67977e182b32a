"""An entry its author deletes leaves no trace on either device, even for someone with the key.

The same scan as a withdrawal's (:mod:`test_withdrawal_traces`): every decrypted page of the
database and its log, and the full-text index's segments, read for the deleted words. On the
author's device nothing of the entry stays; on the partner's a tombstone says "deleted".
"""

from pathlib import Path

import pytest

import tests.sync.fts5_index as fts5_index
from tests.sync.sqlcipher_pages import find_words, vault_pages
from tests.sync.sync_helpers import make_couple, pair_up
from tests.sync.test_withdrawal_traces import (
    AUTHOR_COMMENT,
    FIRST,
    INDEXED_TERMS,
    LIVE,
    WITHDRAWN,
    _share_and_read,
)
from trustvault.actions import Actions
from trustvault.errors import EntryNotFound, InvalidField
from trustvault.paths import DB_NAME
from trustvault.results import PartnerCopy

SAM_COMMENT = LIVE[1]


def _found(folder: Path, key: bytes, live: list[str], gone: list[str] = WITHDRAWN) -> list[str]:
    """What the scan finds of the ``gone`` words; asserts it sees the ``live`` ones."""
    pages = vault_pages(folder / DB_NAME, key)
    assert {hit.rsplit(": ", 1)[1] for hit in find_words(pages, live)} == set(live)
    return find_words(pages, gone)


def test_a_deleted_entry_leaves_no_word_on_either_device(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = make_couple(tmp_path, tmp_path_factory)
    entry_id = _share_and_read(c)  # Alex's entry, edited; Alex and Sam both commented
    assert _found(c.a.folder, c.a.key, LIVE) and _found(c.b.folder, c.b.key, LIVE)
    with pytest.raises(InvalidField, match="only its author can delete an entry"):
        Actions(c.b).delete(entry_id)

    assert Actions(c.a).delete(entry_id) is PartnerCopy.DELETED
    with pytest.raises(EntryNotFound):
        c.qa.entry(entry_id)
    assert c.qa.comments(entry_id) == [] and c.a.entries.search(FIRST[3]) == []
    assert (c.a.folder / f"{DB_NAME}-wal").stat().st_size == 0
    # Sam's comment goes too on Alex's device: it was about the deleted entry.
    alex_key, sam_key = c.a.key, c.b.key
    assert _found(c.a.folder, alex_key, [LIVE[0]], [*WITHDRAWN, SAM_COMMENT]) == []
    assert sorted(INDEXED_TERMS & fts5_index.segment_terms(c.a.conn)) == []
    with pytest.raises(EntryNotFound):
        Actions(c.a).share_again(entry_id)

    results = c.settle()
    assert all(r.rejected == 0 and r.refused_ops == 0 and r.problems == [] for r in results)
    assert not any(r.erase_pending for r in results)
    tomb = c.b.entries.get(entry_id)
    assert (tomb.visibility, tomb.fields, c.b.entries.history(entry_id)) == ("withdrawn", {}, [])
    gone = c.qb.withdrawal(entry_id)
    assert gone is not None and gone.deleted and c.qb.name_of(gone.author) == "Alex"
    assert [x.text for x in c.qb.comments(entry_id)] == [SAM_COMMENT]  # Sam's own stays
    assert AUTHOR_COMMENT not in str(c.qb.comments(entry_id))
    assert _found(c.b.folder, sam_key, LIVE) == []
    assert sorted(INDEXED_TERMS & fts5_index.segment_terms(c.b.conn)) == []
    c.close()
    assert _found(c.a.folder, alex_key, [LIVE[0]], [*WITHDRAWN, SAM_COMMENT]) == []
    assert _found(c.b.folder, sam_key, LIVE) == []


def test_what_the_partner_wrote_before_the_delete_arrived_is_dropped_not_refused(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Sam reads and comments on Alex's event and edits it while Alex deletes it: an honest
    race. Alex's device drops those ops (nothing to answer any more) without calling them
    refused, and nothing of them is stored there."""
    c = make_couple(tmp_path, tmp_path_factory)
    pair_up(c)
    event = c.a.entries.add("event", {"title": "Dinner", "start": "2026-12-01T19:00"}, "shared")
    c.settle()
    c.sb.ack(event.id)
    c.sb.comment(event.id, "RACE-HERON")
    c.b.entries.edit(event.id, {"title": "Dinner at eight"})
    Actions(c.a).delete(event.id)
    results = c.settle()
    assert all(r.rejected == 0 and r.refused_ops == 0 and r.problems == [] for r in results)
    with pytest.raises(EntryNotFound):
        c.a.entries.get(event.id)
    assert c.qa.comments(event.id) == [] and c.qa.responses(event.id) == []
    assert c.qb.withdrawal(event.id) is not None
    c.close()


def test_an_entry_shared_under_an_earlier_pairing_is_deleted_there_once_re_paired(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Alex shared an entry, unpaired, made it private, then paired with Sam's device again:
    the new pairing's delivery records know nothing of it, but Sam's device still holds it.
    Deleting it must neither say that nothing of it left Alex's device nor leave it there."""
    c = make_couple(tmp_path / "couple", tmp_path_factory)
    pair_up(c)
    c.sa.verify()
    c.sb.verify()
    entry = c.a.entries.add("milestone", {"title": "Shared before the break"}, "shared")
    c.settle()
    assert c.b.entries.get(entry.id).fields["title"] == "Shared before the break"
    c.sa.unpair(anyway=True)
    c.sb.sync()  # Sam's device takes the unpairing notice in, and keeps what it has
    c.sa.revoke(entry.id)  # made private while unpaired: nothing goes
    assert c.qa.shared_earlier(entry.id) is not None
    pair_up(c)
    c.settle()
    assert c.b.entries.get(entry.id).fields["title"] == "Shared before the break"
    earlier = c.qa.shared_earlier(entry.id)
    assert earlier is not None and earlier.told_now

    assert c.sa.delete(entry.id) is PartnerCopy.DELETED
    c.settle()
    gone = c.qb.withdrawal(entry.id)
    assert gone is not None and gone.reason == "deleted" and not c.b.entries.get(entry.id).fields
    c.close()
