"""The open-loop device of the relay benchmark: envelopes put on a fixed schedule, not as fast
as the relay answers, so latency is measured at a known offered load instead of at saturation.

Each device puts ``batch`` envelopes in one put-many every ``interval`` seconds (its first at a
phase of its own, so the devices' puts spread evenly over the interval), whether or not its
previous put has been answered. On a second connection it fetches its partner's envelopes as a
sync round does: the listing, then get-many and delete-many when something is there, else the
long-poll until the partner puts more.

Latency is counted from when a request was due, not from when it was sent (no coordinated
omission): a put-many's from its scheduled time, so a put stuck behind a slow one counts the
wait; an envelope's delivery from its put's scheduled time to the partner's get-many answer
that brought it. The fetch requests are timed from their first byte, like the closed loop's.
"""

import asyncio
import time
import zlib
from urllib.parse import urlsplit

from bench.relay_wire import KINDS, Wire, envelope, timed
from trustvault.sync.relay_transport import RelayCredentials

__all__ = ["OPEN_KINDS", "OpenDevice", "due_at"]

OPEN_KINDS = (*KINDS, "delivery")  # "put_many" is from the schedule here


def due_at(label: str, put: int, begin: float, interval: float) -> float:
    """When device ``label`` is due to send its ``put``-th put-many (wall clock): the same in
    every process, so the partner can time each delivery from it."""
    phase = zlib.crc32(label.encode()) % 10_000 / 10_000
    return begin + (phase + put) * interval


class OpenDevice:
    """One device putting ``count`` envelopes, ``batch`` every ``interval`` s from ``begin``."""

    def __init__(self, label: str, creds: RelayCredentials, partner: str, count: int,
                 size: int, *, begin: float, interval: float, batch: int) -> None:  # fmt: skip
        self.label, self.partner, self.count, self.size = label, partner, count, size
        self.begin, self.interval, self.batch = begin, interval, batch
        url = urlsplit(creds.url)
        host, port = str(url.hostname), int(url.port or 80)
        self.sender = Wire(host, port, creds.mailbox_id, creds.device_credential)
        self.fetcher = Wire(host, port, creds.mailbox_id, creds.device_credential)
        self.mine = {f"{label}-{i:05d}" for i in range(count)}
        self.received: dict[str, int] = {}
        self.corrupt = 0
        self.latency: dict[str, list[float]] = {kind: [] for kind in OPEN_KINDS}
        self.error: BaseException | None = None

    async def connect(self) -> None:
        await self.sender.connect()
        await self.fetcher.connect()

    async def _put(self, put: int) -> None:
        due = due_at(self.label, put, self.begin, self.interval)
        await asyncio.sleep(max(0.0, due - time.time()))
        first = put * self.batch
        items = [(f"{self.label}-{i:05d}", envelope(self.label, i, self.size))
                 for i in range(first, min(first + self.batch, self.count))]  # fmt: skip
        statuses = await self.sender.put_many(items)
        self.latency["put_many"].append(time.time() - due)
        if statuses != ["created"] * len(items):
            raise RuntimeError(f"put-many answered {sorted(set(statuses))}")

    async def _send(self) -> None:
        """Every put on its schedule; one still unanswered when the next is due waits for it
        (one connection), and the next's latency, counted from its due time, shows it."""
        for put in range((self.count + self.batch - 1) // self.batch):
            await self._put(put)

    async def _fetch(self) -> bool:
        listed = await timed(self.latency["names"], self.fetcher.names())
        theirs = [n for n in listed if n not in self.mine]
        if not theirs:
            return False
        found = await timed(self.latency["get_many"], self.fetcher.get_many(theirs))
        now = time.time()
        for name, data in found.items():
            self.received[name] = self.received.get(name, 0) + 1
            index = int(name.rsplit("-", 1)[1])
            if data != envelope(self.partner, index, self.size):
                self.corrupt += 1
            due = due_at(self.partner, index // self.batch, self.begin, self.interval)
            self.latency["delivery"].append(now - due)
        await timed(self.latency["delete_many"], self.fetcher.delete_many(list(found)))
        return True

    async def _receive(self, deadline: float) -> None:
        while len(self.received) < self.count and time.monotonic() < deadline:
            if not await self._fetch():
                await self.fetcher.wait(1.0)

    async def run(self, deadline: float) -> None:
        try:
            async with asyncio.TaskGroup() as group:  # one failing ends the other
                group.create_task(self._send())
                group.create_task(self._receive(deadline))
        except Exception as exc:  # reported in the summary, not swallowed
            self.error = exc.exceptions[0] if isinstance(exc, ExceptionGroup) else exc
        finally:
            await self.sender.close()
            await self.fetcher.close()
