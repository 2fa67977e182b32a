"""Connections from clients that may be hostile: deadlines for headers and bodies, and a cap.

uvicorn waits for a request's headers and body as long as the client keeps its socket open, and
accepts connections until the process runs out of file descriptors: 1,500 clients that stopped
halfway through a body exhausted the relay's. :func:`guarded_protocol` is uvicorn's own h11
protocol with three rules added, all on the event loop's clock:

- **headers**: a request's headers must be complete ``header_timeout`` seconds after the
  connection opened, or after the first byte of a later request on it; bytes trickling in do not
  extend that (a slowloris sends one byte at a time). An idle keep-alive connection is uvicorn's
  own ``timeout_keep_alive``.
- **body**: the whole body must follow within ``body_timeout`` of the headers, whether or not the
  relay reads it (it answers some requests without reading; the client could trickle on).
- **cap**: at most ``max_connections`` at once. One more closes the connection that has waited
  longest for its client (for headers, a body, or idle between requests), so a flood of slow
  clients never locks out a fresh one (``/health``, a device syncing); only when the relay is
  answering every connection (long-polls) is the new one closed.
  :func:`raise_fd_limit` sizes the cap below the file descriptors there are.

A closed slow or broken client is routine, logged at DEBUG, never with a traceback; so are the
malformed requests uvicorn itself answers with 400 (:func:`quiet_client_faults`).
"""

import asyncio
import logging
import sys

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = [
    "ACCEPT_BACKLOG",
    "FD_RESERVE",
    "connection_cap",
    "guarded_protocol",
    "quiet_client_faults",
    "raise_fd_limit",
]

log = logging.getLogger("trustvault.relay")

FD_RESERVE = 64
"""File descriptors kept for everything but client sockets: the database and its log, the
listening socket, log files, the TLS files at start."""

ACCEPT_BACKLOG = 128
"""The listen queue, and so the most connections asyncio accepts in one go: each takes a file
descriptor before the cap can close one, so the cap leaves room for two such bursts. (uvicorn's
default of 2,048 let 1,500 clients arriving at once take a 1,024-file relay to EMFILE, and
asyncio logged a traceback for every refused accept.)"""

_CLIENT_FAULTS = (
    "Invalid HTTP request received.",
    "Unsupported upgrade request.",
    "No supported WebSocket library detected.",
)


class _Guarded(H11Protocol):
    """H11Protocol with the deadlines and the cap above; one instance per connection."""

    header_timeout = 10.0
    body_timeout = 60.0
    max_connections = 4000

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_for = ""
        self._since = self.loop.time()  # when what it waits for now began (see _make_room)
        super().connection_made(transport)
        self._watch("headers")
        if len(self.connections) > self.max_connections:
            self._make_room()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        state = self.conn.their_state
        if state is h11.IDLE:  # bytes came, and no request is complete yet: part of a header
            self._watch("headers")
        else:
            self._watch("body" if state is h11.SEND_BODY else "")

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # Idle now is uvicorn's keep-alive; a body the app did not read stays on its deadline.
        self._watch("body" if self.conn.their_state is h11.SEND_BODY else "")

    def connection_lost(self, exc: Exception | None) -> None:
        self._watch("")
        super().connection_lost(exc)

    def _watch(self, what: str) -> None:
        """Keep the deadline of ``what`` ("headers", "body", "" for none): an unchanged one runs
        on from when it started, whatever arrives meanwhile."""
        if what == self._waiting_for:
            return
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        self._waiting_for = what
        self._since = self.loop.time()
        if what:
            timeout = self.header_timeout if what == "headers" else self.body_timeout
            self._deadline = self.loop.call_later(timeout, self._expired, what, timeout)

    def _expired(self, what: str, timeout: float) -> None:
        self._deadline = None
        self._close(f"its {what} did not arrive within {timeout:g} s")

    def _waiting_on_client(self) -> bool:
        """Between requests, or in the middle of sending one: not being answered."""
        state = self.conn.their_state
        answered = self.cycle is not None and not self.cycle.response_complete
        return state is h11.SEND_BODY or (state is h11.IDLE and not answered)

    def _make_room(self) -> None:
        """Over the cap: close the connection that has waited longest for a client's bytes
        (headers, a body, or idle between requests), else this new one. Longest first: a slow
        client started waiting long ago, a new one a moment ago, so a flood of slow clients
        cannot push out a fresh client whose first bytes are on their way. Connections already
        closing (chosen a moment ago, in the same burst of accepts) are neither counted nor
        chosen again; one the relay is answering (a long-poll) is never chosen."""
        live = [c for c in self.connections if not c.transport.is_closing()]
        if len(live) <= self.max_connections:
            return
        waiting = [
            c for c in live if isinstance(c, _Guarded) and c is not self and c._waiting_on_client()
        ]
        if waiting:
            min(waiting, key=lambda c: c._since)._close("room for a new connection")
        else:
            self._close(f"{self.max_connections} connections are busy")

    def _close(self, why: str) -> None:
        if not self.transport.is_closing():
            log.debug("closed a client connection: %s", why)
            self.transport.close()


def guarded_protocol(
    header_timeout: float, body_timeout: float, max_connections: int
) -> type[H11Protocol]:
    """The protocol class to pass uvicorn as ``http=``, with these limits."""
    return type(
        "GuardedH11Protocol",
        (_Guarded,),
        {
            "header_timeout": header_timeout,
            "body_timeout": body_timeout,
            "max_connections": max_connections,
        },
    )


def connection_cap(wanted: int, files: int) -> int:
    """The connection cap for an open-file limit of ``files``: ``wanted``, or less, so that
    accepting never runs out of file descriptors."""
    return max(1, min(wanted, files - FD_RESERVE - 2 * ACCEPT_BACKLOG))


def raise_fd_limit() -> int:
    """Raise this process's soft limit of open files to its hard limit; returns the soft limit
    in force (what the connection cap must stay under)."""
    if sys.platform == "win32":
        return 512  # the C runtime's default; no resource module there
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft == resource.RLIM_INFINITY or soft >= target:
        return int(target if soft == resource.RLIM_INFINITY else soft)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError):  # above the kernel's nr_open: keep what there is
        return int(soft)
    return int(target)


class _ClientFaultsAtDebug(logging.Filter):
    """uvicorn logs each malformed request at WARNING: a stranger could fill the log, and the
    operator's warnings would drown. They are the client's fault: DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.getMessage().startswith(_CLIENT_FAULTS):
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


def quiet_client_faults() -> None:
    """Install the filter on uvicorn's error logger (once)."""
    target = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _ClientFaultsAtDebug) for f in target.filters):
        target.addFilter(_ClientFaultsAtDebug())
