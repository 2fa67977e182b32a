"""An unpairing reaches the partner's device as a sealed notice: it stops saying "connected",
forgets the pairing as its own unpair would, keeps every entry, and takes its blobs off the
medium. A notice that does not authenticate changes nothing."""

from datetime import date
from pathlib import Path

import pytest

from crypto.envelope import Header, seal_envelope
from crypto.identity import channel_keys, generate_keypair
from crypto.random import random_bytes
from tests.sync.sync_helpers import blobs_in, verified_couple
from trustvault.results import PairingEnded, PairStatus
from trustvault.sync import leave_notice
from trustvault.sync.folder_transport import SUFFIX
from trustvault.sync.pair_state import load_identity, load_pair

_couple = verified_couple


def test_the_partner_learns_of_the_unpairing_and_the_folder_empties(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    told = c.a.entries.add("milestone", {"title": "Ours"})
    c.settle(2)
    c.sa.unpair()
    assert c.qb.pair_status() == PairStatus.PAIRED  # Sam's device has not synced yet

    result = c.sb.sync()
    assert result.partner_left == c.clock().date().isoformat()
    assert result.status == "unpaired" and c.qb.pair_status() == PairStatus.UNPAIRED
    assert c.qb.pairing_ended() == PairingEnded("Alex", c.clock().date())
    assert c.b.entries.get(told.id).title == "Ours"  # what arrived stays
    assert list(blobs_in(c.folder)) == []  # neither device leaves anything behind
    assert c.qb.name_of(c.a.device_id) == "Alex"  # authors keep their names

    fresh = c.sb.invite({"type": "folder", "path": str(c.folder)})  # a new pairing begins
    assert fresh and c.qb.pairing_ended() is None
    c.close()


def test_a_notice_that_does_not_authenticate_changes_nothing(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The medium (or anyone writing to the folder) cannot end a pairing: a notice sealed under
    another key, with Alex's pair id and role in its clear header, is refused."""
    c = _couple(tmp_path, tmp_path_factory)
    state = load_pair(c.b.conn)
    assert state is not None
    alex_role = 1 if state.keys(load_identity(c.b.conn)).is_client else 0
    forged = seal_envelope(
        random_bytes(32), Header(b"L", state.pair_id, alex_role, 0), b'{"left": "2026-11-01"}'
    )
    (c.folder / f"{'ab' * 16}{SUFFIX}").write_bytes(forged)
    result = c.sb.sync()
    assert result.partner_left == "" and result.rejected == 1
    assert c.qb.pair_status() == PairStatus.PAIRED and c.qb.pairing_ended() is None
    c.close()


def test_a_malformed_notice_is_refused() -> None:
    """Only exactly {"left": DAY} is a notice; anything else authentic is refused, not obeyed."""
    a, b = generate_keypair(), generate_keypair()
    pair = bytes(16)
    sender, receiver = channel_keys(a, b.public), channel_keys(b, a.public)
    for payload in (b'{"left": "2026-13-40"}', b'{"left": "2026-12-01", "x": 1}', b"{}"):
        blob = seal_envelope(sender.send, Header(b"L", pair, 0 if sender.is_client else 1, 0),
                             payload)  # fmt: skip
        assert not isinstance(leave_notice.read(receiver, blob), date), payload
