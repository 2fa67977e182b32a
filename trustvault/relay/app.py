"""The relay's HTTP interface (Starlette). Every answer is JSON or raw envelope bytes.

    GET    /v1/health                              readiness probe, no authentication
    PUT    /v1/mailboxes/{mb}                      create (inviter): {"credential", "join_token"}
                                                   (+ TrustVault-Creation-Token on a private relay)
    POST   /v1/mailboxes/{mb}/join                 join once (joiner): {"credential", "join_token"}
                                                   (both: pairing_routes.py)
    DELETE /v1/mailboxes/{mb}                      drop the mailbox and all its envelopes
    GET    /v1/mailboxes/{mb}/blobs                {"names": [...], "cursor": n}
    GET    /v1/mailboxes/{mb}/wait?after=n&timeout=s   long-poll for a partner's envelope after n
                                                   (n counts this mailbox's envelopes only)
    PUT    /v1/mailboxes/{mb}/blobs/{name}         201 stored, 200 already held (same bytes), 409
                                                   other bytes held, 413 {"max_envelope_bytes"}
    GET    /v1/mailboxes/{mb}/blobs/{name}         the bytes, or 404
    DELETE /v1/mailboxes/{mb}/blobs/{name}         204 whether or not it was there
    POST   /v1/mailboxes/{mb}/put-many             many envelopes at once (batch.py)
    POST   /v1/mailboxes/{mb}/get-many             many envelopes at once (batch.py)
    POST   /v1/mailboxes/{mb}/delete-many          many envelopes at once (batch.py)
    GET    /metrics                                Prometheus text, with the operator's token
                                                   (metrics.py); 404 without it

Everything but health, create and join needs ``Authorization: Bearer <device credential>``. A
failed check is always the same 401, whether the mailbox exists or not. Errors are
``{"error": "<one sentence>"}``.
"""

import asyncio
import contextlib
import logging
import math
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from trustvault.clock import Clock, Ticks, system_clock, system_ticks
from trustvault.relay import auth, batch, pairing_routes
from trustvault.relay.access_log import access_log
from trustvault.relay.limits import Limits, RateLimiter, address_key
from trustvault.relay.metrics import Metrics
from trustvault.relay.store import RelayStore
from trustvault.relay.stores import MailboxStore, PutResult
from trustvault.relay.waiters import Waiters
from trustvault.sync.transport import valid_name

__all__ = ["Relay", "asgi", "open_relay"]

log = logging.getLogger("trustvault.relay")


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


_UNAUTHORIZED = "Not authorized for this mailbox."

P = ParamSpec("P")
T = TypeVar("T")


async def _http_error(request: Request, exc: Exception) -> Response:
    """Unknown paths, wrong methods and bugs answer in JSON like everything else."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "Internal error."
    return _error(status, f"{detail}.", dict(getattr(exc, "headers", None) or {}))


class Relay:
    """The state behind the routes: one store, the rate limiters and the long-poll waiters.

    ``ticks`` paces the rate limits and the once-a-minute warning; the store keeps its own wall
    clock for what it records. Long-polls wait on the event loop's clock, as asyncio does.
    """

    def __init__(
        self,
        store: MailboxStore,
        limits: Limits,
        creation_token: str | None = None,
        *,
        ticks: Ticks = system_ticks,
        metrics_token: str | None = None,
    ) -> None:
        self.store = store
        self.metrics = Metrics(metrics_token, self._gauges)
        self.limits = limits
        self.creation_hash = auth.creation_token_hash(creation_token) if creation_token else None
        self.waiters = Waiters(limits.max_polls_per_device)
        self.by_ip = RateLimiter(limits.ip_rate, limits.ip_burst, ticks)
        self.by_device = RateLimiter(limits.device_rate, limits.device_burst, ticks)
        self.creates = RateLimiter(limits.create_rate, limits.create_burst, ticks)
        self._ticks = ticks
        self._full_logged = -math.inf
        # Store calls run here, off the event loop, when the store says they may (its
        # ``threads``): the loop keeps reading and answering other requests meanwhile.
        self._pool = (
            ThreadPoolExecutor(store.threads, thread_name_prefix="relay-store")
            if store.threads
            else None
        )

    async def db(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``call(*args)`` on the store: in its thread pool, or on the loop if it has none."""
        if self._pool is None:
            return call(*args, **kwargs)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, partial(call, *args, **kwargs))

    def close(self) -> None:
        """Wait for store calls under way, then close the store."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        self.store.close()

    # -- plumbing ---------------------------------------------------------------------------------

    def _gauges(self) -> dict[str, tuple[str, int]]:
        stored, mailboxes = self.store.usage()
        return {
            "trustvault_relay_stored_bytes": ("Envelope bytes stored, all mailboxes.", stored),
            "trustvault_relay_mailboxes": ("Mailboxes stored.", mailboxes),
            "trustvault_relay_long_polls": ("Long-polls held open here.", self.waiters.count()),
        }

    def wake(self, mailbox_id: str, author: int) -> None:
        """A put or a deletion on another relay process (:meth:`MailboxStore.follow`)."""
        if not mailbox_id:
            self.waiters.wake_everyone()
        elif author == 0:
            self.waiters.wake_all(mailbox_id)
        else:
            self.waiters.notify(mailbox_id, author)

    def unauthorized(self) -> JSONResponse:
        return _error(401, _UNAUTHORIZED, {"WWW-Authenticate": "Bearer"})

    async def put_all(
        self, mailbox_id: str, device: int, envelopes: list[tuple[str, bytes]]
    ) -> list[PutResult] | None:
        """Store ``envelopes`` in order (see :func:`.stores.plan_puts`), waking the partner's
        long-polls if any was new; None when the mailbox was deleted meanwhile."""
        stored = await self.db(
            self.store.put_many,
            mailbox_id,
            device,
            envelopes,
            self.limits.mailbox_quota_bytes,
            self.limits.mailbox_quota_blobs,
            self.limits.max_total_bytes,
        )
        outcomes = [outcome for outcome, _ in stored]
        if PutResult.NO_MAILBOX in outcomes:
            return None
        if PutResult.CREATED in outcomes:
            self.waiters.notify(mailbox_id, device)
        if PutResult.RELAY_FULL in outcomes:
            self._log_full()
        return outcomes

    def _log_full(self) -> None:
        if self._ticks() - self._full_logged > 60:  # once a minute, not per refusal
            self._full_logged = self._ticks()
            log.warning("storage cap reached: %d bytes stored", self.store.total_bytes)

    def throttled(self, limiter: RateLimiter, key: object) -> JSONResponse | None:
        wait = limiter.acquire(key)
        if wait <= 0:
            return None
        return _error(
            429,
            "Too many requests; slow down and retry later.",
            {"Retry-After": limiter.retry_after_header(wait)},
        )

    def ip(self, request: Request) -> str:
        """The client's address as rate limits see it (an IPv6 /64 counts as one client)."""
        return address_key(request.client.host) if request.client else "unknown"

    async def read_body(self, request: Request, limit: int) -> bytes | None:
        """The whole body, or None when it is larger than ``limit`` (read no further than that)."""
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return None
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    def _device(self, mailbox_id: str, credential: bytes) -> int | None:
        """Which device of the mailbox ``credential`` is (None: neither), noting the use: one
        trip to the store for both."""
        device = auth.device_of(self.store.mailbox(mailbox_id), credential)
        if device is not None:
            self.store.touch(mailbox_id)
        return device

    async def authorize(self, request: Request) -> tuple[str, int] | JSONResponse:
        """(mailbox id, device) for an authenticated request, else the response to send."""
        throttled = self.throttled(self.by_ip, self.ip(request))
        if throttled:
            return throttled
        mailbox_id = request.path_params["mailbox"]
        credential = auth.parse_bearer(request.headers.get("authorization"))
        if credential is None or not auth.MAILBOX_PATTERN.match(mailbox_id):
            return _error(401, _UNAUTHORIZED, {"WWW-Authenticate": "Bearer"})
        device = await self.db(self._device, mailbox_id, credential)
        if device is None:
            log.info("refused credential for mailbox %s", auth.log_tag(mailbox_id))
            return _error(401, _UNAUTHORIZED, {"WWW-Authenticate": "Bearer"})
        throttled = self.throttled(self.by_device, (mailbox_id, device))
        return throttled or (mailbox_id, device)

    # -- routes -----------------------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        return JSONResponse({"ok": True, "service": "trustvault-relay", "api": 1})

    async def drop_mailbox(self, request: Request) -> Response:
        who = await self.authorize(request)
        if isinstance(who, Response):
            return who
        mailbox_id, _ = who
        await self.db(self.store.delete_mailbox, mailbox_id)
        self.waiters.wake_all(mailbox_id)
        log.info("mailbox %s deleted", auth.log_tag(mailbox_id))
        return Response(status_code=204)

    async def names(self, request: Request) -> Response:
        who = await self.authorize(request)
        if isinstance(who, Response):
            return who
        mailbox_id, device = who
        names, cursor = await self.db(self.store.listing, mailbox_id, device)
        return JSONResponse({"names": names, "cursor": cursor})

    async def wait(self, request: Request) -> Response:
        who = await self.authorize(request)
        if isinstance(who, Response):
            return who
        mailbox_id, device = who
        try:
            after = int(request.query_params.get("after", "0"))
            timeout = float(request.query_params.get("timeout", "0"))
        except ValueError:
            return _error(400, "after must be an integer and timeout a number of seconds.")
        timeout = min(max(timeout, 0.0), self.limits.max_wait_seconds)
        busy = self.waiters.busy(mailbox_id, device) if timeout > 0 else 0.0
        if busy > 0:  # a long-poll over the device's allowance, whether or not it would block
            return _error(
                429,
                "Too many long-polls open for this device; close one or retry later.",
                {"Retry-After": str(max(1, math.ceil(busy)))},
            )
        if timeout <= 0:
            latest = await self.db(self.store.latest_from_partner, mailbox_id, device)
            return JSONResponse({"cursor": latest, "changed": latest > after})
        with self.waiters.poll(mailbox_id, device, timeout) as poll:  # held before the check
            latest = await self.db(self.store.latest_from_partner, mailbox_id, device)
            if latest > after:
                return JSONResponse({"cursor": latest, "changed": True})
            await poll.wait()
        found = await self.db(self._latest_if_kept, mailbox_id, device)
        if found is None:
            return _error(401, _UNAUTHORIZED, {"WWW-Authenticate": "Bearer"})
        return JSONResponse({"cursor": found, "changed": found > after})

    def _latest_if_kept(self, mailbox_id: str, device: int) -> int | None:
        """The partner's latest seq, or None when the mailbox was deleted meanwhile."""
        if self.store.mailbox(mailbox_id) is None:
            return None
        return self.store.latest_from_partner(mailbox_id, device)

    async def blob(self, request: Request) -> Response:
        who = await self.authorize(request)
        if isinstance(who, Response):
            return who
        mailbox_id, device = who
        name = request.path_params["name"]
        if not valid_name(name):
            return _error(400, "Envelope names are 1-96 characters of a-z, 0-9 and '-'.")
        if request.method == "GET":
            found = await self.db(self.store.get, mailbox_id, name)
            if found is None:
                return _error(404, "No envelope by that name.")
            return Response(found.data, media_type="application/octet-stream")
        if request.method == "DELETE":
            await self.db(self.store.delete, mailbox_id, name)
            return Response(status_code=204)
        return await self._put(request, mailbox_id, device, name)

    async def _put(self, request: Request, mailbox_id: str, device: int, name: str) -> Response:
        limit = self.limits.max_envelope_bytes
        try:
            data = await self.read_body(request, limit)
        except ClientDisconnect:
            return Response(status_code=400)  # the upload broke off: nothing is stored
        if data is None:  # the limit in the answer too, so a client can say it in its words
            message = f"Envelope larger than this relay's limit of {limit} bytes."
            return JSONResponse({"error": message, "max_envelope_bytes": limit}, status_code=413)
        outcomes = await self.put_all(mailbox_id, device, [(name, data)])
        if outcomes is None:  # deleted by the partner while this body arrived
            return self.unauthorized()
        (outcome,) = outcomes
        if outcome is PutResult.CREATED:
            return JSONResponse({"stored": True}, status_code=201)
        if outcome is PutResult.SAME:
            return JSONResponse({"stored": False}, status_code=200)
        if outcome is PutResult.CONFLICT:
            return _error(409, "The mailbox already holds a different envelope by that name.")
        if outcome is PutResult.RELAY_FULL:
            return _error(507, "The relay is full (its operator's storage limit); try again later.")
        log.info("mailbox %s over quota", auth.log_tag(mailbox_id))
        return _error(507, "The mailbox is full; the partner device must fetch envelopes first.")

    # -- upkeep -----------------------------------------------------------------------------------

    def _sweep_store(self) -> list[str]:
        """Delete abandoned invites and idle mailboxes, then scrub the store: nothing deleted
        since the last sweep stays in its files. The ids dropped."""
        unjoined, idle = self.store.expire(
            self.limits.unjoined_ttl_seconds, self.limits.idle_ttl_seconds
        )
        if unjoined or idle:
            log.info("dropped %d mailboxes nobody joined, %d idle", len(unjoined), len(idle))
        self.store.scrub()
        return [*unjoined, *idle]

    def _dropped(self, mailbox_ids: list[str]) -> None:
        for mailbox_id in mailbox_ids:  # their devices' long-polls end with 401
            self.waiters.wake_all(mailbox_id)

    def sweep(self) -> None:
        """One sweep, on the loop (tests call this between requests)."""
        self._dropped(self._sweep_store())

    async def upkeep(self) -> None:
        """Sweep now and every ``sweep_interval_seconds``, forever (cancelled at shutdown)."""
        while True:
            self._dropped(await self.db(self._sweep_store))
            await asyncio.sleep(self.limits.sweep_interval_seconds)


def open_relay(
    data_dir: Path,
    limits: Limits | None = None,
    creation_token: str | None = None,
    *,
    clock: Clock = system_clock,
    ticks: Ticks = system_ticks,
    postgres: str | None = None,
    metrics_token: str | None = None,
) -> Relay:
    """The relay over the SQLite database in ``data_dir`` (made if missing), or over the
    PostgreSQL database ``postgres`` names (then ``data_dir`` is unused); with a
    ``creation_token``, only clients presenting it may create mailboxes (a private relay).

    ``clock`` dates what the store records (creation, last use: expiry), ``ticks`` paces the rate
    limits; tests pass fakes of both and move them instead of waiting.
    """
    limits = limits or Limits()
    store: MailboxStore
    if postgres is not None:
        from trustvault.relay.pg_store import PostgresStore  # psycopg only where it is used

        store = PostgresStore(postgres, touch_every=limits.touch_every, clock=clock)
    else:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        store = RelayStore(data_dir / "relay.sqlite3", touch_every=limits.touch_every, clock=clock)
    return Relay(store, limits, creation_token, ticks=ticks, metrics_token=metrics_token)


def asgi(relay: Relay) -> Any:
    """The ASGI application serving ``relay``; while it runs (its lifespan), mailboxes are swept,
    and at its end held long-polls are released and the store is closed."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(relay.upkeep())
        ready = asyncio.Event()
        follow = asyncio.create_task(relay.store.follow(relay.wake, ready))
        # Serve only once other processes' puts are heard: a poll held before would miss them.
        await asyncio.wait(
            [follow, asyncio.create_task(ready.wait())], return_when="FIRST_COMPLETED"
        )
        try:
            yield
        finally:
            task.cancel()
            follow.cancel()
            relay.waiters.wake_everyone()
            relay.close()

    prefix = "/v1/mailboxes/{mailbox}"
    app = Starlette(
        routes=[
            Route("/v1/health", relay.health, methods=["GET"]),
            Route(prefix, partial(pairing_routes.create, relay), methods=["PUT"]),
            Route(prefix, relay.drop_mailbox, methods=["DELETE"]),
            Route(prefix + "/join", partial(pairing_routes.join, relay), methods=["POST"]),
            Route(prefix + "/blobs", relay.names, methods=["GET"]),
            Route(prefix + "/wait", relay.wait, methods=["GET"]),
            Route(prefix + "/blobs/{name}", relay.blob, methods=["GET", "PUT", "DELETE"]),
            Route(prefix + "/put-many", partial(batch.put_many, relay), methods=["POST"]),
            Route(prefix + "/get-many", partial(batch.get_many, relay), methods=["POST"]),
            Route(prefix + "/delete-many", partial(batch.delete_many, relay), methods=["POST"]),
        ],
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, Exception: _http_error},
    )
    return access_log(relay.metrics.wrap(app))
