"""A long-poll is registered before the relay checks the store for it, so a put that commits
while the check runs off the event loop (in the store's thread) still wakes it: here the put,
and the wake its NOTIFY would bring from another relay process, land inside that check."""

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.relay.fake_clock import FakeClock
from tests.relay.local_relay import Device, LocalRelay
from trustvault.relay.app import Relay, asgi
from trustvault.relay.limits import Limits
from trustvault.relay.store import RelayStore


def put_inside_the_check(relay: Relay, partner: Device) -> Callable[[str, int], int]:
    """The store's ``latest_from_partner``, which (once) answers from before a put that the
    partner then commits, and whose wake reaches the loop before the answer does."""
    check = relay.store.latest_from_partner
    loop = asyncio.get_running_loop()
    done: list[bool] = []

    def racing(mailbox_id: str, reader: int) -> int:
        latest = check(mailbox_id, reader)
        if not done:
            done.append(True)
            relay.store.put(mailbox_id, "env-1", partner.role, b"sealed", 10**6, 100)
            loop.call_soon_threadsafe(relay.wake, mailbox_id, partner.role)
        return latest

    return racing


@pytest.mark.anyio
async def test_a_put_during_the_long_polls_check_wakes_it(tmp_path: Path) -> None:
    clock = FakeClock()
    store = RelayStore(tmp_path / "relay.sqlite3", clock=clock.now, threads=1)
    relay = Relay(store, Limits(), ticks=clock.ticks)
    try:
        transport = httpx.ASGITransport(app=asgi(relay))
        async with httpx.AsyncClient(transport=transport, base_url="http://relay.test") as client:
            local = LocalRelay(relay, client, clock)
            inviter, joiner = await local.pair()
            store.latest_from_partner = put_inside_the_check(relay, inviter)  # type: ignore[method-assign]
            async with asyncio.timeout(10):  # a missed wake would hold the poll for 30 s
                answer = await local.call(joiner, "GET", "/wait?after=0&timeout=30")
            assert answer.json() == {"cursor": 1, "changed": True}
            assert (await local.names(joiner)).json()["names"] == ["env-1"]
    finally:
        relay.close()
