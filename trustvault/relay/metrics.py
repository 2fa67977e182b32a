"""``GET /metrics`` in the Prometheus text format: how busy and how full the relay is, never who.

Counted: requests by route *template* (``/v1/mailboxes/{mailbox}/blobs/{name}``), method and
status class, their latencies in a histogram, and, read at each scrape, the envelope bytes
stored, the mailboxes and the long-polls held. Never a mailbox id, an envelope name, a
credential, an address or a time per mailbox: which pairs exist, and when each talks, is what
the relay exists not to tell (tests/relay/test_metrics.py looks for ids and tokens in the page).

Off unless the operator gives a metrics token (``--metrics-token-file``); then the scraper sends
it as ``Authorization: Bearer <token>`` (Prometheus ``bearer_token_file``). Even aggregate counts
on a relay of one couple would show when they write, so the page is not for the public.
"""

import hmac
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["Metrics", "route_of"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_MAILBOX = re.compile(r"^/v1/mailboxes/[^/]+(/[a-z-]+)?(/[^/]+)?$")
_KNOWN_TAILS = {"", "/join", "/blobs", "/wait", "/put-many", "/get-many", "/delete-many"}
_METHODS = {"GET", "PUT", "POST", "DELETE", "HEAD"}


def route_of(path: str) -> str:
    """The route template a path matched, with every id and name taken out."""
    if path in ("/v1/health", "/metrics"):
        return path
    match = _MAILBOX.match(path)
    if match is None:
        return "other"
    tail, name = match.group(1) or "", match.group(2)
    if tail == "/blobs" and name is not None:
        return "/v1/mailboxes/{mailbox}/blobs/{name}"
    if name is None and tail in _KNOWN_TAILS:
        return "/v1/mailboxes/{mailbox}" + tail
    return "other"


class Metrics:
    """Counters and histograms kept in memory by this process (each relay process has its own
    page; Prometheus sums them), plus gauges read from ``gauges`` at scrape time."""

    def __init__(self, token: str | None, gauges: Callable[[], dict[str, tuple[str, int]]]):
        self.token = token
        self._gauges = gauges
        self._count: dict[tuple[str, str, str], int] = {}
        self._buckets: dict[tuple[str, str], list[int]] = {}
        self._sum: dict[tuple[str, str], float] = {}

    def wrap(self, app: App) -> App:
        async def measured(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            if scope["path"] == "/metrics" and scope["method"] == "GET":
                await self._page(scope, send)
                return
            status = 500
            started = time.perf_counter()

            async def watched(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = int(message["status"])
                await send(message)

            try:
                await app(scope, receive, watched)
            finally:
                method = scope["method"] if scope["method"] in _METHODS else "OTHER"
                self.observe(route_of(scope["path"]), method, status, time.perf_counter() - started)

        return measured

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        key = (route, method, f"{status // 100}xx")
        self._count[key] = self._count.get(key, 0) + 1
        buckets = self._buckets.setdefault((route, method), [0] * (len(BUCKETS) + 1))
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                buckets[i] += 1
        buckets[-1] += 1
        self._sum[(route, method)] = self._sum.get((route, method), 0.0) + seconds

    def _allowed(self, scope: Scope) -> bool:
        if self.token is None:
            return False
        headers = dict(scope.get("headers") or [])
        presented = headers.get(b"authorization", b"").decode("latin-1")
        return hmac.compare_digest(presented.encode(), f"Bearer {self.token}".encode())

    async def _page(self, scope: Scope, send: Send) -> None:
        if self._allowed(scope):
            status, body, kind = 200, self.render().encode(), b"text/plain; version=0.0.4"
        else:  # off, or the wrong token: as if there were no such page
            status, body, kind = 404, b'{"error": "Not Found."}', b"application/json"
        headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def render(self) -> str:
        lines = [
            "# HELP trustvault_relay_requests_total Requests answered, by route template.",
            "# TYPE trustvault_relay_requests_total counter",
        ]
        for (route, method, status), n in sorted(self._count.items()):
            labels = f'route="{route}",method="{method}",status="{status}"'
            lines.append(f"trustvault_relay_requests_total{{{labels}}} {n}")
        lines += [
            "# HELP trustvault_relay_request_seconds Time to answer, by route template.",
            "# TYPE trustvault_relay_request_seconds histogram",
        ]
        for (route, method), counts in sorted(self._buckets.items()):
            labels = f'route="{route}",method="{method}"'
            for bound, n in zip((*map(str, BUCKETS), "+Inf"), counts, strict=True):
                lines.append(
                    f'trustvault_relay_request_seconds_bucket{{{labels},le="{bound}"}} {n}'
                )
            lines.append(
                f"trustvault_relay_request_seconds_sum{{{labels}}} {self._sum[(route, method)]:.6f}"
            )
            lines.append(f"trustvault_relay_request_seconds_count{{{labels}}} {counts[-1]}")
        for name, (help_text, value) in self._gauges().items():
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name} {value}"]
        return "\n".join(lines) + "\n"
