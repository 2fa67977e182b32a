"""Fuzz target for the relay's HTTP API: the real ASGI app, driven with raw ASGI messages.

Each input is a few requests against a fresh, paired mailbox on one real relay (its own SQLite
store, small quotas so the limits are reached): any method, a path built from the routes with
arbitrary segments (or arbitrary text), any query, headers with real and broken credentials and
lengths, and a body in chunks that may break off. The relay must answer every request with a
complete response that is not a 500 (nor another 5xx but "full", 507), must never raise out of
the app, and must log nothing at error level (a traceback in the log is what an operator sees).

Raw ASGI rather than an HTTP client, so header values, lengths and disconnects are exactly as
drawn; only what an HTTP server (uvicorn) can deliver is drawn: token methods, header names and
values without control characters, a query of printable ASCII, the path as percent-decoded text
(h11, uvicorn's parser, answers 400 itself to anything else: checked against a real server).
"""

import asyncio
import base64
import json
import logging
import os
from functools import cache
from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st

from tests.fuzz.framework import Finding, Target
from tests.fuzz.scratch import scratch
from trustvault.relay.app import Relay, asgi, open_relay
from trustvault.relay.limits import Limits

__all__ = ["RELAY"]

_LIMITS = Limits(
    max_envelope_bytes=2048,
    mailbox_quota_bytes=6000,
    mailbox_quota_blobs=4,
    max_mailboxes=10**9,
    device_rate=1e9,
    device_burst=10**9,
    ip_rate=1e9,
    ip_burst=10**9,
    create_rate=1e9,
    create_burst=10**9,
    max_wait_seconds=0.02,
)


class _Errors(logging.Handler):
    """Keeps what the relay logs at error level or above (the check fails on any)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@cache
def _relay() -> tuple[Relay, Any, asyncio.AbstractEventLoop, _Errors]:
    relay = open_relay(scratch("relay") / "data", _LIMITS)
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    # The access log runs only at DEBUG: on, so its reading of the path is fuzzed too.
    logging.getLogger("trustvault.relay").setLevel(logging.DEBUG)
    return relay, asgi(relay), asyncio.new_event_loop(), errors


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _mostly(likely: st.SearchStrategy[Any], other: st.SearchStrategy[Any]) -> Any:
    """``likely`` four times in five (``a | b`` draws each half the time)."""
    return st.sampled_from([likely] * 4 + [other]).flatmap(lambda strategy: strategy)


_TOKEN = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_VALUE = st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f")
_TARGET = st.characters(min_codepoint=0x21, max_codepoint=0x7E)  # h11 refuses other bytes there
_TEXT = st.characters(blacklist_categories=("Cs",))  # a path uvicorn percent-decoded as UTF-8
_segments = st.sampled_from(
    ["@MB", "@MB", "@FRESH", "A" * 21, "A" * 65, "..", "%2F", ""]
) | st.text(_TEXT, max_size=24)
_names = _mostly(
    st.sampled_from(["abc", "abd", "a" * 96, "a" * 97, "-a", "A", "a.b", "a\n"]),
    st.text(_TEXT, max_size=10),
)


_methods = _mostly(
    st.sampled_from(["GET", "GET", "PUT", "PUT", "POST", "DELETE", "HEAD", "PATCH"]),
    st.text(_TOKEN, min_size=1, max_size=8),
)
_routes = st.tuples(
    st.sampled_from(["/v1/mailboxes/"] * 6 + ["/v1/health/", "//v1/mailboxes/"]),
    st.one_of(*[st.sampled_from(["@MB"] * 4 + ["@FRESH"])] * 4, _segments),
    st.sampled_from(["", "/join", "/blobs", "/wait", "/blobs/@", "/blobs/@", "/blobs/@", "/@"]),
    _names,
).map(lambda p: p[0] + p[1] + p[2].replace("@", p[3]))
_paths = _mostly(
    _routes,
    st.sampled_from(["/v1/health", "/", "/v1", "/v1/mailboxes"])
    | st.text(_TEXT, max_size=30).map(lambda t: "/" + t),
)
_queries = st.sampled_from(
    [
        "",
        "after=0&timeout=0",
        "after=0&timeout=5",
        "after=x",
        "timeout=nan",
        "timeout=inf",
        "timeout=-inf",
        "timeout=1e400",
        "after=99999999999999999999999&timeout=1",
        "after=-1&timeout=-1",
        "after=1_000",
        "after=%00",
        "after=0&after=1",
    ]
) | st.text(_TARGET, max_size=20)
_auth = st.sampled_from(
    ["@INVITER", "@JOINER", "@INVITER", "Bearer", "Bearer ", "Bearer ====", "Basic abc", "bearer"]
) | st.text(_VALUE, max_size=50).map(lambda t: "Bearer " + t)
_lengths = st.sampled_from(["0", "3", "-1", "+5", " 5", "abc", "99999999999999999999", "2049"])
_headers = st.dictionaries(
    st.sampled_from(
        ["authorization", "content-length", "content-type", "trustvault-creation-token"]
    )
    | st.text(_TOKEN, min_size=1, max_size=12).map(str.lower),
    st.text(_VALUE, max_size=40),
    max_size=3,
).flatmap(
    lambda extra: st.fixed_dictionaries(
        {}, optional={"authorization": _auth, "content-length": _lengths}
    ).map(lambda known: {**extra, **known})
)
_json_bodies = st.fixed_dictionaries(
    {},
    optional={
        "credential": st.sampled_from(["@CRED", _b64(os.urandom(32)), "", "===", "A" * 43 + "="])
        | st.integers(),
        "join_token": st.sampled_from(["@TOKEN", _b64(os.urandom(32)), "x"]) | st.none(),
    },
).map(lambda doc: json.dumps(doc).encode())
_bodies = st.one_of(
    st.lists(st.binary(max_size=1500), max_size=3),
    _json_bodies.map(lambda b: [b]),
    st.just([b"x" * 2049]),
)
_requests = st.fixed_dictionaries(
    {
        "method": _methods,
        "path": _paths,
        "query": _queries,
        "headers": _headers,
        "body": _bodies,
        "breaks_off": st.booleans(),
    }
)
_inputs = st.lists(_requests, min_size=1, max_size=5)


async def _call(app: Any, request: dict[str, Any]) -> list[dict[str, Any]]:
    chunks: list[bytes] = list(request["body"])
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": request["method"],
        "scheme": "http",
        "path": request["path"],
        "raw_path": quote(request["path"]).encode("ascii"),
        "query_string": request["query"].encode("latin-1"),
        "root_path": "",
        "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in request["headers"]],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8765),
        "state": {},
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if chunks:
            body = chunks.pop(0)
            more = bool(chunks) or request["breaks_off"]
            return {"type": "http.request", "body": body, "more_body": more}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await asyncio.wait_for(app(scope, receive, send), timeout=10)
    return sent


def _filled(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        for name, real in names.items():
            value = value.replace(name, real)
        return value
    if isinstance(value, bytes):
        for name, real in names.items():
            value = value.replace(name.encode(), real.encode())
        return value
    if isinstance(value, list):
        return [_filled(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, names) for k, v in value.items()}
    return value


async def _paired(app: Any) -> dict[str, str]:
    """A fresh mailbox, created and joined through the API; the names an input may use."""
    mailbox, fresh = _b64(os.urandom(16)), _b64(os.urandom(16))
    inviter, joiner, token = os.urandom(32), os.urandom(32), os.urandom(32)
    for path, credential, method in (("", inviter, "PUT"), ("/join", joiner, "POST")):
        body = f'{{"credential": "{_b64(credential)}", "join_token": "{_b64(token)}"}}'
        sent = await _call(
            app,
            {
                "method": method,
                "path": f"/v1/mailboxes/{mailbox}{path}",
                "query": "",
                "headers": [["content-type", "application/json"]],
                "body": [body.encode()],
                "breaks_off": False,
            },
        )
        assert sent[0]["status"] in (200, 201), sent
    return {
        "@INVITER": f"Bearer {_b64(inviter)}",
        "@JOINER": f"Bearer {_b64(joiner)}",
        "@CRED": _b64(os.urandom(32)),
        "@TOKEN": _b64(token),
        "@FRESH": fresh,
        "@MB": mailbox,
    }


def check_relay(value: list[dict[str, Any]]) -> None:
    _, app, loop, errors = _relay()
    errors.records.clear()
    names = loop.run_until_complete(_paired(app))
    for request in value:
        request = {**request, "headers": [[k, v] for k, v in request["headers"].items()]}
        sent = loop.run_until_complete(_call(app, _filled(request, names)))
        _check_answer(sent)
    if errors.records:
        record = errors.records[0]
        raise Finding(f"the relay logged at {record.levelname} from {record.module}")


def _check_answer(sent: list[dict[str, Any]]) -> None:
    starts = [m for m in sent if m["type"] == "http.response.start"]
    if len(starts) != 1:
        raise Finding(f"the relay sent {len(starts)} response starts")
    status = starts[0]["status"]
    if status >= 500 and status != 507:
        raise Finding(f"the relay answered {status}")
    bodies = [m for m in sent if m["type"] == "http.response.body"]
    if not bodies or bodies[-1].get("more_body", False):
        raise Finding("the relay's response did not end")


RELAY = Target("relay", lambda: _inputs, check_relay, brief=30)
