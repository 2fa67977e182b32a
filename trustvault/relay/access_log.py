"""Per-request access log for the relay, at DEBUG only: method, route kind, status and time.

The mailbox id is logged as a hashed tag (:func:`trustvault.relay.auth.log_tag`), never in clear,
and nothing else from the path, headers or body: uvicorn's own access log is off for that reason.
"""

import logging
import time
from typing import Any

from trustvault.relay import auth

__all__ = ["access_log"]

log = logging.getLogger("trustvault.relay")


def access_log(app: Any) -> Any:
    """Log method, status and time per request at DEBUG, with the mailbox as a hashed tag only."""

    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.DEBUG):
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [0]

        async def capture(message: Any) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await app(scope, receive, send=capture)
        finally:
            parts = scope["path"].split("/")
            tag = auth.log_tag(parts[3]) if len(parts) > 3 else "-"
            kind = parts[4] if len(parts) > 4 else ("mailbox" if len(parts) > 3 else parts[-1])
            elapsed = (time.perf_counter() - started) * 1000
            log.debug("%s %s mb=%s %d %.1fms", scope["method"], kind, tag, status[0], elapsed)

    return middleware
