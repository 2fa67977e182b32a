"""Unpairing never delivers what was withdrawn, and delivers nothing more after it.

Before: unpairing forgot the outbox without deleting the old envelope or sending the
withdrawal, so the partner's unmodified app applied the withdrawn content afterwards, and the
author's app then said "never shared".
"""

from pathlib import Path

import pytest

from tests.sync.sync_helpers import Couple, blobs_in, open_blob_as_receiver, verified_couple
from trustvault.errors import EntryNotFound, PairingError
from trustvault.results import DeliveryState

_couple = verified_couple


def _folder_holds(couple: Couple, word: bytes) -> bool:
    """Whether any envelope in the folder, opened as Sam's device can (it stays paired, and it
    keeps its own heartbeat there when Alex leaves), holds ``word``."""
    return any(
        word in (open_blob_as_receiver(couple.b, b) or b"") for _, b in blobs_in(couple.folder)
    )


def test_withdraw_then_unpair_waits_until_the_partner_took_the_withdrawal_in(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    gone = c.a.entries.add("disclosure", {"title": "OSPREY-LATE", "occurred_on": "2026-10-01"})
    c.sa.sync()
    assert _folder_holds(c, b"OSPREY-LATE")  # on the medium, not yet fetched by Sam
    c.sa.revoke(gone.id)
    with pytest.raises(PairingError, match="Unpairing waits"):
        c.sa.unpair()
    assert not _folder_holds(c, b"OSPREY-LATE"), "the content left the medium at once"
    assert c.sa.status() == "paired"

    c.sb.sync()  # Sam's device takes the withdrawal in (and never saw the content)
    c.sa.sync()
    c.sa.unpair()
    assert c.sa.status() == "unpaired"
    c.sb.sync()
    with pytest.raises(EntryNotFound):
        c.b.entries.get(gone.id)
    assert c.qa.delivery(gone.id).state is DeliveryState.WITHDRAWN  # not "never shared"
    c.close()


def test_a_delivered_entry_withdrawn_before_unpairing_leaves_the_partners_device(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    told = c.a.entries.add("disclosure", {"title": "HERON-READ", "occurred_on": "2026-10-01"})
    c.settle(2)
    assert c.b.entries.get(told.id).title == "HERON-READ"
    c.sa.revoke(told.id)
    with pytest.raises(PairingError, match="has not yet taken in 1 of your withdrawals"):
        c.sa.unpair()
    c.sb.sync()
    c.sa.sync()
    c.sa.unpair()
    assert (
        c.b.entries.get(told.id).visibility == "withdrawn" and not c.b.entries.get(told.id).fields
    )
    c.close()


def test_unpair_anyway_says_what_stays_and_stops_at_once(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    told = c.a.entries.add("disclosure", {"title": "KESTREL", "occurred_on": "2026-10-01"})
    c.settle(2)
    c.sa.revoke(told.id)
    with pytest.raises(PairingError, match="keeps what it already has"):
        c.sa.unpair()
    c.sa.unpair(anyway=True)
    assert c.sa.status() == "unpaired"
    c.close()


def test_nothing_more_is_delivered_after_unpairing(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """What was waiting on the medium is taken back: 'nothing more is sent or received'."""
    c = _couple(tmp_path, tmp_path_factory)
    late = c.a.entries.add("milestone", {"title": "WREN-AFTER"})
    c.sa.sync()
    c.sa.unpair()
    assert not _folder_holds(c, b"WREN-AFTER")
    c.sb.sync()
    with pytest.raises(EntryNotFound):
        c.b.entries.get(late.id)
    c.close()
