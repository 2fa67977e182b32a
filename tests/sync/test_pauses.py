"""A pause with a promised return, between two real vaults through a real folder.

The pause reaches the partner's device at the next sync even while a share waits its hold (it
goes ahead of it), either partner may ask for more time or end it, and a modified client cannot
start one in this device's name, stretch one past two days or re-open one that ended.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.sync.sync_helpers import Couple, paired_couple
from trustvault.actions import Actions
from trustvault.errors import InvalidField
from trustvault.storage.transaction import transaction
from trustvault.sync import outbox
from trustvault.sync.pair_state import load_pair, save_pair


def test_a_pause_goes_ahead_of_a_held_share_and_either_partner_ends_it(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    alex.set_send_hold(timedelta(minutes=5))
    held = alex.add("milestone", {"title": "Held back a moment"}, "shared")
    asked = alex.pause(timedelta(minutes=45))
    with pytest.raises(InvalidField, match="already"):
        alex.pause(timedelta(minutes=30))
    alex.sync()
    sam.sync()
    seen = sam.queries.pause()
    assert seen is not None and (seen.asked_by, seen.until) == (c.a.device_id, asked.until)
    assert not c.b.entries.exists(held.id)  # the share still waits its hold
    assert alex.queries.undoable(held.id)

    more = sam.extend_pause()  # "30 more minutes", from Sam's side
    assert more.until > asked.until
    sam.sync()
    alex.sync()
    mine = alex.queries.pause()
    assert mine is not None and mine.until == more.until

    alex.withdraw(held.id)  # the share undone after the pause went ahead: never sent
    later = alex.add("milestone", {"title": "Sent after"}, "shared")
    c.clock.advance(minutes=6)
    back = sam.end_pause()
    assert back.came_back
    results = c.settle()
    assert all(r.refused_ops == 0 and r.rejected == 0 for r in results), [
        r.problems for r in results
    ]
    assert alex.queries.pause() is None and sam.queries.pause() is None
    assert alex.queries.returns_kept() == sam.queries.returns_kept() == 1
    assert not c.b.entries.exists(held.id)
    assert c.b.entries.get(later.id).fields["title"] == "Sent after"
    with pytest.raises(InvalidField, match="between 20 minutes and 24 hours"):
        alex.pause(timedelta(minutes=10))
    with pytest.raises(InvalidField, match="no pause is on"):
        alex.end_pause()
    c.close()


def _record_as_sam(c: Couple, body: dict[str, Any]) -> None:
    with transaction(c.b.conn):
        state = load_pair(c.b.conn)
        assert state is not None
        outbox.record(c.b.conn, state, "pause", body, None)
        save_pair(c.b.conn, state)


def test_a_modified_client_cannot_bend_a_pause(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex = Actions(c.a, c.transport_a)
    ok = {
        "pid": "p1", "asked_by": c.b.device_id, "started": "2026-11-01T09:00:00Z",
        "until": "2026-11-01T10:00:00Z", "ended": "", "came_back": False,
        "at": "2026-11-01T09:00:00Z",
    }  # fmt: skip
    ended = {**ok, "ended": "2026-11-01T09:30:00Z", "came_back": True, "at": "2026-11-01T09:30Z"}
    forged = [
        {**ok, "pid": "p2", "asked_by": c.a.device_id},  # a new pause in Alex's name
        {**ok, "pid": "p3", "until": "2026-11-04T09:00:00Z"},  # three days
        {**ok, "pid": "p4", "until": "2026-11-01T09:05:00Z"},  # five minutes
        {**ok, "came_back": "yes"},  # not a truth value
        {**ok, "at": "2026-11-01T10:00:00Z"},  # re-opens the ended pause
        {**ended, "started": "2026-11-01T08:00:00Z", "at": "2026-11-01T11:00:00Z"},  # rewrites
    ]
    for body in [ok, ended, *forged]:
        _record_as_sam(c, body)
    c.sb.sync()
    result = c.sa.sync()
    assert result.refused_ops == len(forged), result.problems
    assert alex.queries.pause() is None  # ended, and it stays so
    assert alex.queries.returns_kept() == 1
    c.close()
