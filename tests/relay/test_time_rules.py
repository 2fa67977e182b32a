"""The relay's rules about time, on a fake clock: no test here waits for time to pass.

Idle and unjoined mailboxes expiring, a held long-poll ending when its mailbox does, last use
recorded at most once a minute, a device's request rate refilling, a full relay warning once a
minute. Each test moves the clock to just before and just after the limit it checks.
"""

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

from tests.relay.fake_clock import FakeClock
from tests.relay.local_relay import local_relay
from trustvault.relay.limits import Limits
from trustvault.relay.store import RelayStore

IDLE = Limits().idle_ttl_seconds  # 60 days
MAILBOX = "m" * 22


# -- expiry -----------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_idle_mailboxes_expire_joined_or_not_and_free_their_bytes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "trustvault.relay")
    limits = Limits(idle_ttl_seconds=IDLE, unjoined_ttl_seconds=2 * IDLE, max_total_bytes=1000)
    async with local_relay(tmp_path, limits) as relay:
        (idle, idle_partner), (busy, busy_partner) = await relay.pair(), await relay.pair()
        unjoined, _ = await relay.invite()
        assert (await relay.put(idle, "held", b"i" * 800)).status_code == 201
        assert (await relay.put(busy, "late", b"l" * 300)).status_code == 507  # relay full

        for _ in range(5):  # the busy pair syncs every ten days; the others stay quiet
            relay.clock.advance(days=10)
            assert (await relay.names(busy_partner)).status_code == 200
            relay.sweep()
        relay.clock.advance(days=10, minutes=-1)  # a minute short of IDLE without use
        assert (await relay.put(busy, "late", b"l" * 300)).status_code == 507
        relay.sweep()
        assert relay.exists(idle) and relay.exists(unjoined), "dropped before IDLE had passed"

        relay.clock.advance(minutes=2)
        relay.sweep()
        assert not relay.exists(idle) and not relay.exists(unjoined)
        assert (await relay.put(busy, "late", b"l" * 300)).status_code == 201  # bytes freed
        for device in (idle, idle_partner, unjoined):
            assert (await relay.names(device)).status_code == 401

        for _ in range(9):  # used all along, the busy pair outlives the idle time
            relay.clock.advance(days=10)
            assert (await relay.names(busy_partner)).json()["names"] == ["late"]
            relay.sweep()
        assert (await relay.call(busy, "GET", "/blobs/late")).content == b"l" * 300
    assert "dropped 0 mailboxes nobody joined, 2 idle" in caplog.text


@pytest.mark.anyio
async def test_unjoined_invites_expire_even_while_the_inviter_polls(tmp_path: Path) -> None:
    unjoined_ttl = Limits().unjoined_ttl_seconds  # 7 days
    async with local_relay(tmp_path) as relay:
        inviter, token = await relay.invite()
        paired, _ = await relay.pair()
        relay.clock.advance(seconds=unjoined_ttl - 60)
        assert (await relay.names(inviter)).status_code == 200  # used, but nobody joined
        relay.sweep()
        assert relay.exists(inviter), "dropped before its time to be joined was over"
        relay.clock.advance(minutes=2)
        relay.sweep()
        assert (await relay.names(inviter)).status_code == 401
        _, refused = await relay.join(inviter.mailbox_id, token)
        assert refused.status_code == 403
        assert (await relay.names(paired)).json()["names"] == []  # joined in time: kept


@pytest.mark.anyio
async def test_a_long_poll_on_an_expiring_mailbox_ends_with_401(tmp_path: Path) -> None:
    async with local_relay(tmp_path) as relay:
        inviter, _ = await relay.pair()
        relay.clock.advance(days=1)
        params = {"after": 0, "timeout": 25}
        poll = asyncio.create_task(relay.call(inviter, "GET", "/wait", params=params))
        await relay.until_held(inviter)
        # The poll's start counts as use; while it is held, the mailbox idles and is dropped.
        relay.clock.advance(seconds=IDLE - 60)
        relay.sweep()
        assert relay.exists(inviter), "the long-poll's start did not count as use"
        relay.clock.advance(minutes=2)
        relay.sweep()
        answer = await asyncio.wait_for(poll, 5)  # woken by the sweep, not after its 25 s
        assert answer.status_code == 401 and answer.json()["error"]


def test_touching_a_mailbox_writes_at_most_once_per_interval(tmp_path: Path) -> None:
    clock = FakeClock()
    store = RelayStore(tmp_path / "relay.sqlite3", touch_every=60.0, clock=clock.now)

    def touched_at() -> float:
        with sqlite3.connect(tmp_path / "relay.sqlite3") as peek:
            (when,) = peek.execute("SELECT touched_at FROM mailboxes").fetchone()
        peek.close()
        return float(when)

    try:
        store.create_mailbox(MAILBOX, bytes(32), bytes(32))
        clock.advance(seconds=30)
        store.touch(MAILBOX)
        first = touched_at()
        assert first == clock.now().timestamp()
        clock.advance(seconds=59)
        store.touch(MAILBOX)
        assert touched_at() == first, "a second touch within a minute writes nothing"
        clock.advance(seconds=1)
        store.touch(MAILBOX)
        assert touched_at() == first + 60, "a minute after the last write, it writes again"
        # Idle time counts from the last use written, not from creation.
        clock.advance(hours=1)
        assert store.expire(10**9, 3600) == ([], [])
        clock.advance(seconds=1)
        assert store.expire(10**9, 3600) == ([], [MAILBOX])
    finally:
        store.close()


# -- rates ------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_a_device_over_its_rate_waits_until_its_allowance_refills(tmp_path: Path) -> None:
    async with local_relay(tmp_path, Limits(device_rate=5, device_burst=20)) as relay:
        inviter, joiner = await relay.pair()
        statuses = [(await relay.names(inviter)).status_code for _ in range(25)]
        assert statuses == [200] * 20 + [429] * 5  # the burst, then nothing: no time passed
        refused = await relay.names(inviter)
        assert refused.headers["retry-after"] == "1"
        assert "Too many requests" in refused.json()["error"]
        assert (await relay.names(joiner)).status_code == 200  # the partner has its own
        relay.clock.advance(seconds=0.1)  # half a request at 5 per second
        assert (await relay.names(inviter)).status_code == 429
        relay.clock.advance(seconds=0.15)
        assert [(await relay.names(inviter)).status_code for _ in range(2)] == [200, 429]
        relay.clock.advance(seconds=10)  # 50 requests' worth, but the bucket holds the burst
        statuses = [(await relay.names(inviter)).status_code for _ in range(21)]
        assert statuses == [200] * 20 + [429]


@pytest.mark.anyio
async def test_a_full_relay_warns_once_a_minute(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with local_relay(tmp_path, Limits(max_total_bytes=100)) as relay:
        inviter, _ = await relay.pair()
        assert (await relay.put(inviter, "fits", b"x" * 100)).status_code == 201

        async def refusals(count: int) -> int:
            for i in range(count):
                assert (await relay.put(inviter, f"more-{i}", b"y")).status_code == 507
            return caplog.text.count("storage cap reached: 100 bytes stored")

        assert await refusals(3) == 1
        relay.clock.advance(seconds=60)
        assert await refusals(3) == 1, "warned again within a minute"
        relay.clock.advance(seconds=1)
        assert await refusals(3) == 2
