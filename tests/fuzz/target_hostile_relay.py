"""Fuzz target for a relay that lies: a paired device's sync against an HTTP server on loopback
that answers whatever the input says.

The threat model counts the relay operator among those who may attack; a modified relay can
send any status, header and body. Each input is a script of answers (any status but 1xx, odd
``Retry-After`` and content types, JSON of the right shape with wrong values, arbitrary JSON or
bytes, a body shorter than its declared length); requests beyond the script get what an empty,
honest mailbox would answer. Sam's device (a real vault, paired) syncs through the real
:class:`RelayTransport` against it; the sync may end only in success or a one-line
``TrustVaultError`` (the relay client's retry window is cut to a fraction of a second).
"""

import json
import shutil
import threading
from collections import deque
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from hypothesis import strategies as st

from tests.fuzz.framework import Target, one_line_error
from tests.fuzz.op_inputs import json_values
from tests.fuzz.scratch import scratch
from tests.fuzz.target_sync import _couple_template
from tests.sync.sync_helpers import copy_couple
from trustvault.errors import TrustVaultError
from trustvault.sync.relay_transport import RelayCredentials, RelayTransport
from trustvault.sync.service import SyncService

__all__ = ["HOSTILE_RELAY"]

_SCRIPT: deque[dict[str, Any]] = deque()
_LOCK = threading.Lock()


class _Liar(BaseHTTPRequestHandler):
    """Answers with the next scripted response, else as an empty mailbox would."""

    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        length = self.headers.get("content-length")
        if length and length.isdigit():
            self.rfile.read(int(length))
        with _LOCK:
            answer = _SCRIPT.popleft() if _SCRIPT else _honest(self.command, self.path)
        body: bytes = answer["body"]
        self.send_response(answer["status"])
        declared = len(body) + (7 if answer.get("short") else 0)
        self.send_header("Content-Length", str(declared))
        for name, value in answer.get("headers", []):
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        if answer.get("short"):
            self.close_connection = True

    do_GET = do_PUT = do_POST = do_DELETE = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _honest(method: str, path: str) -> dict[str, Any]:
    if method == "GET" and path.endswith("/blobs"):
        return {"status": 200, "body": b'{"names": [], "cursor": 0}'}
    if method == "GET" and "/wait" in path:
        return {"status": 200, "body": b'{"cursor": 0, "changed": false}'}
    if method == "GET":
        return {"status": 404, "body": b'{"error": "No envelope by that name."}'}
    if method == "PUT":
        return {"status": 201, "body": b'{"stored": true}'}
    return {"status": 204, "body": b""}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up on a lie is expected here: say nothing."""


@cache
def _server() -> str:
    server = _Server(("127.0.0.1", 0), _Liar)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


_names = st.lists(
    st.sampled_from(["a" * 32, "b1", "-x", "A", "a" * 97, ""]) | st.text(max_size=8) | json_values,
    max_size=4,
)
_bodies = st.one_of(
    st.fixed_dictionaries(
        {}, optional={"names": _names | json_values, "cursor": json_values, "changed": json_values}
    ).map(lambda d: json.dumps(d).encode()),
    st.fixed_dictionaries(
        {}, optional={"error": json_values, "max_envelope_bytes": json_values}
    ).map(lambda d: json.dumps(d).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=100),
)
_answers = st.fixed_dictionaries(
    {
        "status": st.sampled_from([200, 201, 204, 301, 400, 401, 404, 409, 413, 429, 500, 503, 507])
        | st.integers(200, 599),
        "body": _bodies,
    },
    optional={
        "headers": st.lists(
            st.tuples(
                st.sampled_from(["Retry-After", "Content-Type", "Location", "X-Other"]),
                st.sampled_from(["0", "-1", "nan", "inf", "1e400", "3600", "application/json", ""]),
            ),
            max_size=2,
        ),
        "short": st.booleans(),
    },
)
_inputs = st.lists(_answers, min_size=1, max_size=8)


def check_hostile_relay(value: list[dict[str, Any]]) -> None:
    url = _server()
    template, _ = _couple_template()
    folder = scratch("hostile")
    couple = copy_couple(template, folder / "couple")
    credentials = RelayCredentials(url, "A" * 22, bytes(32))
    transport = RelayTransport(credentials, timeout=0.3, retry_for=0.2)
    with _LOCK:
        _SCRIPT.clear()
        _SCRIPT.extend(value)
    try:
        SyncService(couple.b, transport).sync()
    except TrustVaultError as exc:
        one_line_error(exc)
    finally:
        transport.close()
        couple.close()
        shutil.rmtree(folder)


HOSTILE_RELAY = Target("liar", lambda: _inputs, check_hostile_relay, brief=8)
