"""A light load client for the relay benchmark: one keep-alive HTTP/1.1 connection per device on
asyncio, speaking the relay's batch routes with hand-built requests and nothing else.

Why not :class:`~trustvault.sync.relay_transport.RelayTransport`: 200 of its httpx clients (a
thread each) cost about twice the relay's own CPU per request, on the same two cores, so the
figure measured the client as much as the relay. This client costs a fraction of that. It makes
the same requests a sync round makes (put-many, the listing with its cursor, get-many,
delete-many, the long-poll) with the same JSON bodies, checks every envelope's bytes, and times
each request from its first byte written to its answer's last byte read. It does not retry:
any unexpected answer is an error the benchmark reports. The real RelayTransport still runs a
correctness pass in the same benchmark (bench/relay_load.py).
"""

import asyncio
import base64
import contextlib
import hashlib
import json
import time
from typing import Any
from urllib.parse import urlsplit

from trustvault.sync.relay_transport import RelayCredentials

__all__ = ["BATCH", "KINDS", "Wire", "WireDevice", "WireError", "envelope"]

BATCH = 25  # envelopes a device puts per request before it looks for its partner's
KINDS = ("put_many", "names", "get_many", "delete_many")  # the requests timed


class WireError(Exception):
    """An answer the relay should not have given (or a connection it closed)."""


def envelope(sender: str, i: int, size: int) -> bytes:
    head = f"{sender}:{i}:".encode()
    pad = hashlib.sha256(head).digest() * (size // 32 + 1)
    return (head + pad)[:size]


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Wire:
    """One device's connection to its mailbox on a relay at ``host:port``."""

    def __init__(self, host: str, port: int, mailbox_id: str, credential: bytes) -> None:
        self.host, self.port = host, port
        self.base = f"/v1/mailboxes/{mailbox_id}"
        self._head = (
            f"Host: {host}:{port}\r\nAuthorization: Bearer {b64(credential)}\r\n"
            "User-Agent: trustvault-relay-bench/1\r\n"
        ).encode()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self.cursor = 0

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self._reader, self._writer

    async def connect(self) -> None:
        """Open the connection now, so the first timed request does not pay for it."""
        await self._connection()

    async def request(self, method: str, path: str, body: Any = None) -> Any:
        """The answer's JSON for a 200; anything else is a :class:`WireError`."""
        reader, writer = await self._connection()
        payload = b"" if body is None else json.dumps(body, separators=(",", ":")).encode()
        kind = b"Content-Type: application/json\r\n" if body is not None else b""
        writer.write(
            f"{method} {self.base}{path} HTTP/1.1\r\n".encode()
            + self._head
            + kind
            + f"Content-Length: {len(payload)}\r\n\r\n".encode()
            + payload
        )
        status_line = await reader.readline()
        if not status_line:
            raise WireError(f"{method} {path}: the relay closed the connection")
        length, close = 0, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        answer = await reader.readexactly(length)
        if close:
            await self.close()
        status = int(status_line.split(b" ", 2)[1])
        if status != 200:
            raise WireError(f"{method} {path}: {status} {answer[:200]!r}")
        return json.loads(answer)

    async def put_many(self, items: list[tuple[str, bytes]]) -> list[str]:
        body = {"envelopes": [{"name": n, "data": b64(d)} for n, d in items]}
        answer = await self.request("POST", "/put-many", body)
        return [str(r["status"]) for r in answer["results"]]

    async def names(self) -> list[str]:
        answer = await self.request("GET", "/blobs")
        self.cursor = max(self.cursor, int(answer["cursor"]))
        return [str(n) for n in answer["names"]]

    async def get_many(self, names: list[str]) -> dict[str, bytes]:
        answer = await self.request("POST", "/get-many", {"names": names})
        if answer["more"]:
            raise WireError("get-many left envelopes for another request")
        return {str(e["name"]): unb64(str(e["data"])) for e in answer["envelopes"]}

    async def delete_many(self, names: list[str]) -> None:
        await self.request("POST", "/delete-many", {"names": names})

    async def wait(self, timeout: float) -> None:
        answer = await self.request("GET", f"/wait?after={self.cursor}&timeout={timeout:.3f}")
        self.cursor = max(self.cursor, int(answer["cursor"]))

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def timed(latency: list[float], call: Any) -> Any:
    """Await ``call`` and add its duration to ``latency``."""
    started = time.perf_counter()
    result = await call
    latency.append(time.perf_counter() - started)
    return result


class WireDevice:
    """The same rounds as :class:`Device` through the light client (bench.relay_wire)."""

    def __init__(self, label: str, creds: RelayCredentials, partner: str, count: int, size: int):
        self.label, self.partner, self.count, self.size = label, partner, count, size
        url = urlsplit(creds.url)
        self.wire = Wire(str(url.hostname), int(url.port or 80), creds.mailbox_id,
                         creds.device_credential)  # fmt: skip
        self.mine = {f"{label}-{i:05d}" for i in range(count)}
        self.received: dict[str, int] = {}
        self.corrupt = 0
        self.latency: dict[str, list[float]] = {kind: [] for kind in KINDS}
        self.error: BaseException | None = None

    async def connect(self) -> None:
        await self.wire.connect()

    async def _fetch(self) -> None:
        listed = await timed(self.latency["names"], self.wire.names())
        theirs = [n for n in listed if n not in self.mine]
        if not theirs:
            return
        found = await timed(self.latency["get_many"], self.wire.get_many(theirs))
        for name, data in found.items():
            self.received[name] = self.received.get(name, 0) + 1
            if data != envelope(self.partner, int(name.rsplit("-", 1)[1]), self.size):
                self.corrupt += 1
        await timed(self.latency["delete_many"], self.wire.delete_many(list(found)))

    async def run(self, deadline: float) -> None:
        try:
            for start in range(0, self.count, BATCH):
                items = [(f"{self.label}-{i:05d}", envelope(self.label, i, self.size))
                         for i in range(start, min(start + BATCH, self.count))]  # fmt: skip
                statuses = await timed(self.latency["put_many"], self.wire.put_many(items))
                if statuses != ["created"] * len(items):
                    raise RuntimeError(f"put-many answered {sorted(set(statuses))}")
                await self._fetch()
            while len(self.received) < self.count and time.monotonic() < deadline:
                await self.wire.wait(1.0)
                await self._fetch()
        except Exception as exc:  # reported in the summary, not swallowed
            self.error = exc
        finally:
            await self.wire.close()
