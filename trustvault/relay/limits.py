"""What one relay lets its clients use: envelope size, request rate, storage, time.

The defaults leave room for a first sync of a large vault (tens of thousands of envelopes in a few
minutes) while stopping a flood: a client over its rate, or a device holding too many long-polls,
gets 429 with ``Retry-After``; an envelope over the size limit gets 413; a mailbox over its quota,
or a relay over its total byte cap, gets 507. Mailboxes nobody uses are deleted, so the count and
the bytes an abandoned (or an attacker's) mailbox holds come back. A connection whose headers or
body stop coming is closed, and connections are capped (:mod:`trustvault.relay.connections`).
Every number is a command-line option of ``trustvault-relay``.
"""

import functools
import ipaddress
import math
from dataclasses import dataclass

from trustvault.clock import Ticks, system_ticks

__all__ = ["Limits", "RateLimiter", "address_key"]

_IPV6_PREFIX = 64


@dataclass(frozen=True, slots=True)
class Limits:
    max_envelope_bytes: int = 1024 * 1024
    mailbox_quota_bytes: int = 256 * 1024 * 1024
    mailbox_quota_blobs: int = 50_000
    max_mailboxes: int = 10_000
    device_rate: float = 200.0  # requests per second per device credential, sustained
    device_burst: int = 2_000
    ip_rate: float = 400.0  # requests per second per client address, before authentication
    ip_burst: int = 4_000
    create_rate: float = 1.0 / 60.0  # new mailboxes per second per client address
    create_burst: int = 10
    max_total_bytes: int = 10 * 1024**3  # envelope bytes across all mailboxes
    unjoined_ttl_seconds: float = 7 * 24 * 3600.0  # abandoned invites are dropped after this
    idle_ttl_seconds: float = 60 * 24 * 3600.0  # mailboxes no device used for this long, too
    sweep_interval_seconds: float = 60.0  # how often expired mailboxes and deleted bytes go
    max_batch_items: int = 500  # envelopes in one put-many or get-many (trustvault.relay.batch)
    max_batch_bytes: int = 8 * 1024 * 1024  # a batch's body, or its answer's envelopes
    max_wait_seconds: float = 25.0  # longest long-poll the relay holds open
    max_polls_per_device: int = 4  # long-polls one device credential may hold open at once
    # Per connection (trustvault.relay.connections), against clients that stop halfway:
    header_timeout_seconds: float = 10.0  # a request's headers, complete, from its first byte
    body_timeout_seconds: float = 60.0  # its whole body, from the headers (1 MiB at 17 KB/s)
    keep_alive_seconds: float = 5.0  # an idle connection between requests (uvicorn's own)
    max_connections: int = 4000  # at once; never more than the file descriptors allow

    @property
    def touch_every(self) -> float:
        """How stale a mailbox's last-use time may get: a minute, finer only for short idle
        times (tests), so that recording use costs at most one write per mailbox per minute."""
        return min(60.0, self.idle_ttl_seconds / 10)


class RateLimiter:
    """Token buckets keyed by credential or address; idle buckets are forgotten.

    ``acquire`` returns 0 when the request may go ahead, else the seconds to wait before retrying.
    Buckets refill by ``clock``, a monotonic one: setting the system clock back must not empty them.
    """

    def __init__(self, rate: float, burst: int, clock: Ticks = system_ticks) -> None:
        self.rate = rate
        self.burst = float(burst)
        self._clock = clock
        self._buckets: dict[object, tuple[float, float]] = {}  # key -> (tokens, last refill)
        self._last_sweep = clock()

    def acquire(self, key: object) -> float:
        now = self._clock()
        tokens, last = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            allowed = 0.0
        else:
            self._buckets[key] = (tokens, now)
            allowed = max((1.0 - tokens) / self.rate, 0.001)
        if now - self._last_sweep > 60.0:
            self._sweep(now)
        return allowed

    def retry_after_header(self, wait: float) -> str:
        return str(max(1, math.ceil(wait)))

    def _sweep(self, now: float) -> None:
        """Drop buckets that have refilled completely: they hold no information any more."""
        full_after = self.burst / self.rate
        self._buckets = {
            key: value for key, value in self._buckets.items() if now - value[1] < full_after
        }
        self._last_sweep = now


@functools.lru_cache(maxsize=4096)  # parsed once per address, not per request
def address_key(host: str) -> str:
    """The key an address is rate-limited under: IPv4 as is, IPv6 by its /64 network.

    One IPv6 subscriber usually holds a whole /64 (2^64 addresses); keyed per address, each new
    one would bring a fresh burst of requests and of mailbox creations.
    """
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, _IPV6_PREFIX), strict=False))
    return str(address)
