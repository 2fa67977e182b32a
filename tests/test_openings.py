"""The vault remembers when it was last opened on this device, inside the encrypted database."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, ManualClock
from tests.test_storage_errors import _every_connection
from trustvault.actions import Actions
from trustvault.vault import Vault
from ui.time_words import spoken_moment


def test_each_opening_shows_the_one_before(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 12, 1, 21, 14, tzinfo=UTC))
    folder = tmp_path / "v"
    Actions.create(folder, PASSPHRASE, "Alex", kdf_profile="interactive", clock=clock).close()
    clock.advance(days=2)
    with Actions.unlock(folder, PASSPHRASE, clock=clock) as actions:
        assert actions.queries.previous_opening == datetime(2026, 12, 1, 21, 14, tzinfo=UTC)
    clock.advance(hours=1)
    with Actions.unlock(folder, PASSPHRASE, clock=clock) as actions:
        assert actions.queries.previous_opening == datetime(2026, 12, 3, 21, 14, tzinfo=UTC)


def test_a_read_only_or_busy_vault_still_opens_and_tells_the_last_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = ManualClock(datetime(2026, 12, 1, 21, 14, tzinfo=UTC))
    folder = tmp_path / "v"
    Actions.create(folder, PASSPHRASE, "Alex", kdf_profile="interactive", clock=clock).close()
    clock.advance(days=1)
    with monkeypatch.context() as patch:
        _every_connection(patch, "PRAGMA query_only = ON")
        with Actions.unlock(folder, PASSPHRASE, clock=clock) as actions:
            assert actions.queries.previous_opening == datetime(2026, 12, 1, 21, 14, tzinfo=UTC)
    clock.advance(hours=1)
    with Vault.unlock(folder, PASSPHRASE, clock=clock) as other:  # the query-only one wrote none
        assert other.previous_opening == "2026-12-01T21:14:00Z"
        other.conn.execute("BEGIN IMMEDIATE")  # another program writing
        clock.advance(hours=1)
        with Actions.unlock(folder, PASSPHRASE, clock=clock) as actions:
            assert actions.queries.previous_opening == datetime(2026, 12, 2, 22, 14, tzinfo=UTC)
        other.conn.execute("ROLLBACK")
    with Actions.unlock(folder, PASSPHRASE, clock=clock) as actions:  # the busy one wrote none
        assert actions.queries.previous_opening == datetime(2026, 12, 2, 22, 14, tzinfo=UTC)


def test_moments_are_said_as_people_say_them() -> None:
    today = date(2026, 12, 3)
    assert spoken_moment(datetime(2026, 12, 3, 9, 5), today) == "today at 09:05"
    assert spoken_moment(datetime(2026, 12, 2, 21, 14), today) == "yesterday at 21:14"
    assert spoken_moment(datetime(2026, 12, 1, 21, 14), today) == "on Tuesday 1 December at 21:14"
    assert spoken_moment(datetime(2025, 12, 1, 8, 0), today) == (
        "on Monday 1 December 2025 at 08:00"
    )
