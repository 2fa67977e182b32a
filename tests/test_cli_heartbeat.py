"""The CLI says when the partner's device last synced, and calmly when it has been quiet.

The two vaults are paired and synced by the core under a clock nine days back; the CLI then
runs on today's clock, as a person would run it after a quiet week and a bit.
"""

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, ManualClock, run_cli
from tests.sync.sync_helpers import make_couple, pair_up
from trustvault.clock import system_clock

QUIET = "Sam's device has not synced for 9 days. Entries wait in the sync folder until it does."


@pytest.fixture
def couple(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path, date]:
    """Alex's and Sam's vault folders, last synced nine days ago, and that day."""
    monkeypatch.setenv("TRUSTVAULT_PASSPHRASE", PASSPHRASE)
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / "home" / name.lower()))
    then = system_clock() - timedelta(days=9)
    c = make_couple(tmp_path, tmp_path_factory, ManualClock(then))
    pair_up(c)
    c.settle(1)
    folders = (c.a.folder, c.b.folder)
    c.close()
    return *folders, then.astimezone().date()


def _ok(vault: Path, *args: str) -> str:
    done = run_cli(vault, *args)
    assert done.code == 0 and done.err == "", done.err
    return done.out


def test_sync_says_when_sams_device_last_synced_and_notes_a_quiet_week(
    couple: tuple[Path, Path, date],
) -> None:
    alex, sam, then = couple
    spoken = f"{then:%A} {then.day} {then:%B}" + (f" {then.year}" if then.year != _year() else "")
    out = _ok(alex, "sync")
    assert f"Last heard from Sam's device: {spoken}\n{QUIET}\n" in out

    shown = _ok(alex, "partner")
    assert f"Last heard from Sam's device: {spoken}" in shown
    assert QUIET not in shown  # no sync, so no word on whose silence it is
    assert run_cli(alex, "partner", "--json").json()["last_heard"] == {
        "day": then.isoformat(),
        "days": 9,
    }

    _ok(sam, "sync")
    out = _ok(alex, "sync")
    assert "Last heard from Sam's device: today\n" in out and "has not synced" not in out


def _year() -> int:
    return system_clock().astimezone().year
