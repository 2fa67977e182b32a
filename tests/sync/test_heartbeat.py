"""Heartbeats between two real vaults through a real folder: "last heard from Sam's device".

The partner learns the day this device last synced, never the moment; with daily receipts, only
at the chosen moment. A medium (or the partner's own client) cannot forge a heartbeat, replay an
old one to move the day back, or date one far ahead.
"""

import secrets
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from crypto import envelope_v2
from crypto.envelope import Header, seal_envelope
from crypto.identity import ChannelKeys
from crypto.random import random_bytes
from tests.sync.sync_helpers import Couple, open_sealed_by, paired_couple
from trustvault.actions import Actions
from trustvault.results import LastHeard, spoken_day
from trustvault.storage import meta_store
from trustvault.sync import heartbeat
from trustvault.sync.folder_transport import FolderTransport
from trustvault.sync.pair_state import PairState, load_identity, load_pair
from trustvault.vault import Vault


def _couple(tmp_path: Path, factory: pytest.TempPathFactory) -> Couple:
    return paired_couple(tmp_path / "couple", factory)


def _today(c: Couple) -> date:
    return c.clock.now.astimezone().date()


def _heard(c: Couple) -> LastHeard:
    heard = c.qa.last_heard()
    assert heard is not None
    return heard


def _sams(c: Couple) -> tuple[PairState, ChannelKeys]:
    state = load_pair(c.b.conn)
    assert state is not None
    return state, state.keys(load_identity(c.b.conn))


def _sealed_by_sam(c: Couple, payload: bytes, seq: int = 0, key: bytes | None = None) -> bytes:
    """A heartbeat as Sam's device (or, with another ``key``, a forger) could seal it."""
    state, keys = _sams(c)
    sender = 0 if keys.is_client else 1
    return seal_envelope(key or keys.send, Header(b"H", state.pair_id, sender, seq), payload)


def _put(c: Couple, name: str, blob: bytes) -> None:
    FolderTransport(c.folder).put(name, blob)


def test_alex_hears_the_day_sams_device_last_synced_and_nothing_finer(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    c.settle(1)
    assert _heard(c).day == _today(c) and _heard(c).line == "Last heard from Sam's device: today"
    sent = heartbeat.outgoing(c.b.conn)
    assert sent is not None
    send = _sams(c)[1].send
    payload = open_sealed_by(send, sent[1])
    head = envelope_v2.open_head(envelope_v2.direction_keys(send), sent[1])
    assert head.kind == b"H" and head.seq == 0  # the day is only inside the seal
    assert payload == f'{{"day": "{_today(c).isoformat()}"}}'.encode()  # no hour, no minute

    c.clock.advance(days=3, hours=7)
    c.sa.sync()
    assert _heard(c).days == 3 and not _heard(c).quiet  # Sam's device has not synced since
    c.sb.sync()
    c.sa.sync()
    assert _heard(c).day == _today(c)
    assert sorted(heartbeat.outgoing(v.conn) is not None for v in (c.a, c.b)) == [True, True]
    # One heartbeat each (the old one left) and each device's newest receipt, which a pair that
    # never wrote anything still has: it carries the ratchet's public (PROTOCOL.md §4b).
    left = set(FolderTransport(c.folder).names())
    receipts = {p.receipt_name for v in (c.a, c.b) if (p := load_pair(v.conn)) is not None}
    beats = {b[0] for v in (c.a, c.b) if (b := heartbeat.outgoing(v.conn)) is not None}
    assert left == beats | receipts and len(beats) == 2
    c.close()


def test_a_week_of_silence_while_the_folder_is_reachable_is_said_calmly(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    c.settle(1)
    c.clock.advance(days=7)
    c.sa.sync()
    assert _heard(c).days == 7 and not _heard(c).quiet and _heard(c).warning == ""
    c.clock.advance(days=2)
    c.sa.sync()
    heard = _heard(c)
    assert heard.quiet
    assert heard.warning == (
        "Sam's device has not synced for 9 days. Entries wait in the sync folder until it does."
    )
    assert heard.line == f"Last heard from Sam's device: {_spoken(_today(c) - timedelta(9))}"
    c.sb.sync()
    c.sa.sync()
    assert not _heard(c).quiet
    c.close()


def _spoken(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def test_an_old_heartbeat_put_back_never_moves_the_day_back(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    c.settle(1)
    old = heartbeat.outgoing(c.b.conn)
    assert old is not None
    c.clock.advance(days=2)
    c.sb.sync()
    c.sa.sync()
    assert _heard(c).day == _today(c)
    assert old[0] not in FolderTransport(c.folder).names()  # Sam's device deleted it
    _put(c, *old)  # the medium's version history puts it back
    result = c.sa.sync()
    assert _heard(c).day == _today(c)
    assert result.rejected == 0  # an older day is no news, not an attack to report
    c.close()


@pytest.mark.parametrize(
    ("payload", "key", "reason"),
    [
        (None, random_bytes(32), "heartbeat that did not authenticate"),
        (b'{"day": "2026-11-01T09:00:00"}', None, "malformed heartbeat"),
        (b'{"day": "2026-11-01", "at": "09:00"}', None, "malformed heartbeat"),
        (b'{"day": "2026-02-30"}', None, "malformed heartbeat"),
        (b'{"day": "2026-11-05"}', None, "dated after tomorrow"),
    ],
    ids=["forged", "a moment", "extra key", "no such day", "future"],
)
def test_a_forged_malformed_or_future_heartbeat_is_refused(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    payload: bytes | None,
    key: bytes | None,
    reason: str,
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    c.clock.advance(days=2)  # 3 November: the 5th is after tomorrow
    c.sa.sync()
    held = _heard(c).day
    assert held is not None and held < _today(c)
    blob = _sealed_by_sam(c, payload or b'{"day": "2026-11-03"}', key=key)
    _put(c, "f" * 32, blob)
    result = c.sa.sync()
    assert result.rejected == 1 and reason in result.problems[0]
    assert _heard(c).day == held
    assert c.sa.sync().rejected == 0  # counted once
    c.close()


def test_a_heartbeat_sealed_with_a_seq_or_passed_off_as_another_kind_is_refused(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    c.clock.advance(days=1)
    c.sa.sync()
    held = _heard(c).day
    _put(c, "a" * 32, _sealed_by_sam(c, b'{"day": "2026-11-02"}', seq=5))
    relabelled = bytearray(_sealed_by_sam(c, b'{"day": "2026-11-02"}'))
    relabelled[3:4] = b"R"  # the kind is bound into the seal: a receipt it is not
    _put(c, "b" * 32, bytes(relabelled))
    result = c.sa.sync()
    assert result.rejected == 2 and _heard(c).day == held
    c.close()


def test_tomorrow_is_believed_for_time_zones_and_shown_as_today(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    tomorrow = _today(c) + timedelta(days=1)
    name = secrets.token_hex(16)
    _put(c, name, _sealed_by_sam(c, f'{{"day": "{tomorrow.isoformat()}"}}'.encode()))
    assert c.sa.sync().rejected == 0
    assert _heard(c).day == tomorrow and _heard(c).days == 0
    assert _heard(c).line == "Last heard from Sam's device: today"
    c.close()


def test_with_daily_receipts_the_heartbeat_waits_for_the_chosen_moment(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    c.settle(1)
    first = _today(c)
    c.clock.advance(days=2)
    Actions(c.b).set_daily_receipts(True)
    due = datetime.fromisoformat(meta_store.get(c.b.conn, "sync.next_receipt") or "")
    c.clock.now = due - timedelta(seconds=1)
    c.sb.sync()  # Sam opens the app: nothing tells Alex's device so
    c.sa.sync()
    assert _heard(c).day == first
    c.clock.now = due
    c.sb.sync()
    c.sa.sync()
    assert _heard(c).day == due.astimezone().date()
    c.close()


def test_unpairing_takes_the_heartbeat_away_and_forgets_what_was_heard(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = _couple(tmp_path, tmp_path_factory)
    c.settle(1)
    ours = heartbeat.outgoing(c.a.conn)
    assert ours is not None and heartbeat.heard(c.a.conn) is not None
    c.sa.unpair()
    assert ours[0] not in FolderTransport(c.folder).names()
    assert heartbeat.outgoing(c.a.conn) is None and heartbeat.heard(c.a.conn) is None
    assert c.qa.last_heard() is None
    assert not [k for k in _meta_keys(c.a) if k.startswith("heartbeat.")]
    c.close()


def _meta_keys(vault: Vault) -> list[str]:
    return [k for k in ("heartbeat.sent", "heartbeat.name", "heartbeat.blob", "heartbeat.heard")
            if meta_store.get(vault.conn, k) is not None]  # fmt: skip


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date(2026, 12, 1), "today"),
        (date(2026, 11, 30), "yesterday"),
        (date(2026, 11, 24), "Tuesday 24 November"),
        (date(2025, 12, 1), "Monday 1 December 2025"),
    ],
)
def test_days_are_spoken_as_a_person_says_them(day: date, words: str) -> None:
    today = date(2026, 12, 1)
    assert spoken_day(day, today) == words
    assert spoken_day(day, today, on=True) == (
        words if words in ("today", "yesterday") else f"on {words}"
    )


def test_nothing_heard_yet_is_said_without_a_warning_and_a_relay_is_named() -> None:
    today = date(2026, 12, 1)
    never = LastHeard("Sam", None, today)
    assert never.line == "Nothing heard from Sam's device yet." and not never.quiet
    assert never.warning == "" and never.to_json() == {"day": None, "days": None}
    quiet = LastHeard("Sam", date(2026, 11, 20), today, relay=True)
    assert quiet.warning == (
        "Sam's device has not synced for 11 days. Entries wait on the relay until it does."
    )
