"""The relay in this process, on a :class:`FakeClock`: for its rules about time.

Requests go straight to the ASGI app (httpx's ASGITransport, no socket, no lifespan), on the
test's own event loop, so a test can move the clock, sweep, and see a held long-poll end, all
without waiting. Everything else is tested against a real relay process (relay_fixture).
"""

import asyncio
import base64
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.relay.fake_clock import FakeClock
from trustvault.relay.app import Relay, asgi, open_relay
from trustvault.relay.limits import Limits
from trustvault.relay.store import INVITER, JOINER

__all__ = ["Device", "LocalRelay", "b64", "local_relay"]


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass(frozen=True, slots=True)
class Device:
    """One device of a mailbox: its credential and whether it invited or joined."""

    mailbox_id: str
    credential: bytes
    role: int

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {b64(self.credential)}"}


class LocalRelay:
    """An HTTP client to an in-process relay whose time moves only by ``clock.advance``."""

    def __init__(self, relay: Relay, client: httpx.AsyncClient, clock: FakeClock) -> None:
        self.relay = relay
        self.client = client
        self.clock = clock

    async def invite(self) -> tuple[Device, bytes]:
        """A new mailbox: the inviter's device and the join token for its partner."""
        mailbox_id, credential, token = b64(os.urandom(16)), os.urandom(32), os.urandom(32)
        body = {"credential": b64(credential), "join_token": b64(token)}
        answer = await self.client.put(f"/v1/mailboxes/{mailbox_id}", json=body)
        assert answer.status_code == 201, answer.text
        return Device(mailbox_id, credential, INVITER), token

    async def join(self, mailbox_id: str, token: bytes) -> tuple[Device, httpx.Response]:
        joiner = Device(mailbox_id, os.urandom(32), JOINER)
        body = {"credential": b64(joiner.credential), "join_token": b64(token)}
        return joiner, await self.client.post(f"/v1/mailboxes/{mailbox_id}/join", json=body)

    async def pair(self) -> tuple[Device, Device]:
        inviter, token = await self.invite()
        joiner, answer = await self.join(inviter.mailbox_id, token)
        assert answer.status_code == 200, answer.text
        return inviter, joiner

    async def call(self, device: Device, method: str, path: str = "", **kw: Any) -> httpx.Response:
        """``method`` on ``path`` under the device's mailbox, with its credential."""
        url = f"/v1/mailboxes/{device.mailbox_id}{path}"
        return await self.client.request(method, url, headers=device.auth, **kw)

    async def names(self, device: Device) -> httpx.Response:
        return await self.call(device, "GET", "/blobs")

    async def put(self, device: Device, name: str, data: bytes) -> httpx.Response:
        return await self.call(device, "PUT", f"/blobs/{name}", content=data)

    def sweep(self) -> None:
        """What the relay's upkeep does every ``sweep_interval_seconds``, now."""
        self.relay.sweep()

    def exists(self, device: Device) -> bool:
        """Whether the device's mailbox is still stored (asking over HTTP would count as use)."""
        return self.relay.store.mailbox(device.mailbox_id) is not None

    async def until_held(self, device: Device) -> None:
        """Return once the relay holds a long-poll of ``device`` open (sent from another task)."""
        async with asyncio.timeout(5):
            while not self.relay.waiters.held(device.mailbox_id, device.role):
                await asyncio.sleep(0)


@asynccontextmanager
async def local_relay(
    data_dir: Path, limits: Limits | None = None, clock: FakeClock | None = None
) -> AsyncIterator[LocalRelay]:
    """A relay over ``data_dir`` on ``clock`` (a fresh :class:`FakeClock` by default)."""
    clock = clock or FakeClock()
    relay = open_relay(data_dir, limits, clock=clock.now, ticks=clock.ticks)
    try:
        transport = httpx.ASGITransport(app=asgi(relay))
        async with httpx.AsyncClient(transport=transport, base_url="http://relay.test") as client:
            yield LocalRelay(relay, client, clock)
    finally:
        relay.store.close()
