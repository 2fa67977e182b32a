"""Days a person reads are their own local days, not UTC's: an entry written at 23:30 in New
York on 1 December is listed on the 1st, not the 2nd."""

import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, ManualClock, run_cli
from trustvault.actions import Actions
from trustvault.cli.output import when_of
from trustvault.stats import latency_days


def _set_zone(name: str | None) -> None:
    if name is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = name
    time.tzset()


@pytest.fixture
def new_york() -> Iterator[None]:
    previous = os.environ.get("TZ")
    _set_zone("America/New_York")
    yield
    _set_zone(previous)


def test_latency_is_the_authors_days_wherever_it_is_read(tmp_path: Path, new_york: None) -> None:
    """Told at 00:30 in Tokyo on the day it happened: 0 days, for the author in Tokyo and for a
    partner reading in New York (where it is still the day before), never -1."""
    clock = ManualClock(datetime(2026, 12, 1, 15, 30, tzinfo=UTC))  # 00:30 on the 2nd in Tokyo
    _set_zone("Asia/Tokyo")
    with Actions.create(tmp_path / "v", PASSPHRASE, "Alex", kdf_profile="interactive",
                        clock=clock) as actions:  # fmt: skip
        told = actions.add("disclosure", {"title": "Same day", "occurred_on": "2026-12-02"})
    assert told.fields["disclosed_at"] == "2026-12-02T00:30+09:00"
    assert latency_days(told.fields) == 0
    _set_zone("America/New_York")
    assert latency_days(told.fields) == 0


def test_a_late_evening_entry_is_listed_on_its_local_day(tmp_path: Path, new_york: None) -> None:
    clock = ManualClock(datetime(2026, 12, 2, 4, 30, tzinfo=UTC))  # 23:30 on the 1st in New York
    with Actions.create(tmp_path / "v", PASSPHRASE, "Alex", kdf_profile="interactive",
                        clock=clock) as actions:  # fmt: skip
        entry = actions.add("milestone", {"title": "Late"})
    assert entry.created.startswith("2026-12-02")  # stored in UTC
    assert when_of(entry) == "2026-12-01"


def test_the_cli_lists_local_days(
    tmp_path: Path, new_york: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUSTVAULT_PASSPHRASE", PASSPHRASE)
    vault = tmp_path / "v"
    assert run_cli(vault, "init", "--name", "Alex", "--kdf", "interactive").code == 0
    listed = run_cli(vault, "add", "milestone", "--title", "Now", "--json")
    created = json.loads(listed.out)[0]["created"]
    local = datetime.fromisoformat(created.replace("Z", "+00:00")).astimezone().date()
    assert local.isoformat() in run_cli(vault, "list").out
