"""The hold before sending, through ``trustvault-cli`` on two real vaults and a real folder.

A newly shared entry waits its hold on Alex's device; Sam's CLI lists nothing while it waits or
after Alex undoes it, and lists the entry once the hold has passed. After every single sync each
envelope in the folder is opened with its sender's key (:meth:`Couple.check_folder`) and must
not hold the undone entry's words. The clock is a :class:`ManualClock` the test moves.
"""

from pathlib import Path

import pytest

from tests.crossing.cli_couple import Couple, make_couple
from tests.helpers import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def couple(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> Couple:
    return make_couple(tmp_path, monkeypatch, hold="", clock=clock)  # the app's default hold


def _only_id(couple: Couple, title: str) -> str:
    (entry,) = [e for e in couple.alex.json("list") if e["title"] == title]
    return str(entry["id"])


@pytest.mark.crossing("set_send_hold", face="cli")
def test_the_hold_is_a_setting_and_a_share_leaves_once_it_passed(
    couple: Couple, clock: ManualClock
) -> None:
    assert "wait 5 minutes" in couple.alex.ok("hold")
    assert "wait 1 minute here" in couple.alex.ok("hold", "1")
    out = couple.alex.ok("add", "disclosure", "--title", "After a minute", "--body", "words",
                         "--occurred", "2024-05-03")  # fmt: skip
    entry = _only_id(couple, "After a minute")
    assert "Shared; sending in 1:00 — 'trustvault-cli revoke" in out
    assert "shared, sending in 1:00" in couple.alex.ok("list")
    couple.sync_all()
    assert couple.sam.titles() == set()
    clock.advance(seconds=59)
    couple.sync_all()
    assert couple.sam.titles() == set()
    clock.advance(seconds=1)
    couple.sync_all()
    assert couple.sam.titles() == {"After a minute"}
    assert couple.alex.show(entry)["delivery"].startswith("delivered 2")

    assert "leave at the next sync" in couple.alex.ok("hold", "0")
    couple.alex.ok("add", "milestone", "--title", "At once", "--shared")
    couple.sync_all()
    assert couple.sam.titles() == {"After a minute", "At once"}
    for bad in ("61", "-1", "nan"):
        refused = couple.alex.run("hold", bad)
        assert refused.code != 0 and "choose 0 to 60 minutes" in refused.err
    assert "leave at the next sync" in couple.alex.ok("hold")


@pytest.mark.crossing("share", "withdraw", face="cli")
def test_undoing_a_share_within_its_hold_means_it_was_never_sent(
    couple: Couple, clock: ManualClock
) -> None:
    couple.never = [b"Regret", b"UNSENT-QUOKKA", b"UNSENT-COMMENT"]
    couple.alex.ok("add", "disclosure", "--title", "Regret", "--body", "UNSENT-QUOKKA",
                   "--occurred", "2024-05-03", "--private")  # fmt: skip
    entry = _only_id(couple, "Regret")
    out = couple.alex.ok("share", entry)
    assert "; sending in 5:00 — 'trustvault-cli revoke" in out and "never sent" in out
    couple.sync_all()
    clock.advance(minutes=2, seconds=30)
    shown = couple.alex.show(entry)
    assert shown["delivery"] == "sending in 2:30"
    assert shown["sending_at"] == "2026-11-01T09:05:00Z"
    assert "1 shared entry waits to leave" in couple.alex.ok("sync")
    out = couple.alex.ok("comment", entry, "UNSENT-COMMENT")
    assert out == (
        "Comment added. It goes after the share ahead of it, which leaves in 2:30 (a newly"
        " shared entry waits first: see 'hold').\n"
    )

    out = couple.alex.ok("revoke", entry)
    assert out.startswith("Not sent:") and "never left this device" in out
    assert couple.alex.show(entry)["delivery"] == "never shared"
    couple.sync_all()
    clock.advance(minutes=10)
    couple.sync_all()
    assert couple.sam.titles() == set()
    assert couple.sam.run("show", entry).code != 0  # not even a tombstone on Sam's device

    couple.alex.ok("hold", "0")
    couple.alex.ok("add", "milestone", "--title", "Sent instead", "--shared")
    couple.alex.ok("sync")
    couple.check_folder()
    assert any(b"Sent instead" in p for p in couple.sealed_payloads())  # the check can fail
    couple.sync_all()
    assert couple.sam.titles() == {"Sent instead"}
