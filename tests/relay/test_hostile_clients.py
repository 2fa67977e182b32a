"""A real relay process against clients that stop halfway, flood it, or send garbage.

Every test talks to ``trustvault-relay`` over real loopback sockets, with its deadlines set short
through its own options (``--header-timeout``, ``--body-timeout``, ``--max-connections``), so
nothing here sleeps for long: a cut is looked for within a few times its deadline.
"""

import os
import re
import resource
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.relay.relay_fixture import RelayServer

StartRelay = Callable[..., RelayServer]
MAILBOX = "/v1/mailboxes/" + "A" * 22
BODY_HALF = b"PUT " + MAILBOX.encode() + b" HTTP/1.1\r\nHost: relay\r\nContent-Length: 99\r\n\r\n{"


def connect(server: RelayServer) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    return sock


def seconds_until_closed(sock: socket.socket, limit: float = 10.0) -> float:
    """How long until the relay closes ``sock`` (reading and dropping what it answers)."""
    started = time.monotonic()
    sock.settimeout(limit)
    try:
        while sock.recv(4096):
            pass
    except ConnectionResetError:
        pass
    return time.monotonic() - started


def trickle(sock: socket.socket, head: bytes, every: float = 0.05, limit: float = 10.0) -> float:
    """Send ``head``, then one byte every ``every`` seconds until the relay cuts the connection;
    returns the seconds that took (``limit`` when it never did)."""
    sock.sendall(head)
    started = time.monotonic()
    while time.monotonic() - started < limit:
        try:
            sock.send(b"a")
        except (BrokenPipeError, ConnectionResetError):
            return time.monotonic() - started
        time.sleep(every)
    return limit


def health(server: RelayServer) -> int:
    """``/v1/health`` on a fresh connection."""
    return httpx.get(f"{server.url}/v1/health", timeout=5.0).status_code


@pytest.fixture
def sockets() -> Iterator[list[socket.socket]]:
    opened: list[socket.socket] = []
    yield opened
    for sock in opened:
        sock.close()


def test_headers_that_never_finish_are_cut_at_the_header_timeout(start_relay: StartRelay) -> None:
    server = start_relay("--header-timeout", "0.5")
    with connect(server) as sock:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: relay\r\n")  # no blank line, ever
        assert 0.4 <= seconds_until_closed(sock) < 4.0
    with connect(server) as sock:  # trickled bytes do not extend it (a slowloris)
        assert trickle(sock, b"GET /v1/health HTTP/1.1\r\nHost: relay\r\nX-Slow: ") < 4.0
    with connect(server) as sock:  # nor does a first request: the second one has its own
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: relay\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /v1/heal")
        assert 0.4 <= seconds_until_closed(sock) < 4.0
    assert health(server) == 200


def test_a_trickled_body_is_cut_at_the_body_timeout(start_relay: StartRelay) -> None:
    server = start_relay("--body-timeout", "1")
    head = b"PUT " + MAILBOX.encode() + b" HTTP/1.1\r\nHost: relay\r\nContent-Length: 4000\r\n\r\n"
    with connect(server) as sock:
        assert 0.9 <= trickle(sock, head) < 5.0
    # A body the relay answers without reading is held to the same deadline.
    head = b"GET /v1/health HTTP/1.1\r\nHost: relay\r\nContent-Length: 4000\r\n\r\n"
    with connect(server) as sock:
        assert 0.9 <= trickle(sock, head) < 5.0
    assert health(server) == 200


@pytest.mark.parametrize("stopping_in", ["headers", "bodies"])
def test_health_answers_while_slow_clients_hold_every_connection(
    start_relay: StartRelay, sockets: list[socket.socket], stopping_in: str
) -> None:
    """80 slow clients against a cap of 30: each new connection closes the oldest one still
    sending its headers (or, when none is, its body), so the relay's open files stay bounded
    and a fresh client gets in."""
    server = start_relay(
        "--header-timeout", "60", "--body-timeout", "60", "--max-connections", "30"
    )
    assert server.process is not None
    baseline = len(os.listdir(f"/proc/{server.process.pid}/fd"))
    half = b"GET /v1/health HTTP/1.1\r\nHost: relay\r\n" if stopping_in == "headers" else BODY_HALF
    for _ in range(80):
        sock = connect(server)
        sock.sendall(half)
        sockets.append(sock)
    time.sleep(0.3)  # the relay has read what each sent: every connection is mid-request
    started = time.monotonic()
    assert health(server) == 200
    assert time.monotonic() - started < 5.0
    held = len(os.listdir(f"/proc/{server.process.pid}/fd")) - baseline
    assert held <= 31, f"{held} sockets open in the relay for a cap of 30"
    # The newest slow clients still hold theirs: the cap evicts the oldest, not everyone.
    for sock in sockets[-10:]:
        sock.setblocking(False)
        with pytest.raises(BlockingIOError):
            sock.recv(1)


MALFORMED = [
    b"GARBAGE\r\n\r\n",
    b"GET /\xff\xfe HTTP/1.1\r\nHost: relay\r\n\r\n",
    b"GET /v1/health HTTP/1.1\r\nHost: relay\r\nContent-Length: abc\r\n\r\n",
    b"GET /v1/health HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\nHost: relay\r\n\r\n",
    b"PUT "
    + MAILBOX.encode()
    + b" HTTP/1.1\r\nHost: relay\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"GET /v1/health HTTP/1.1\r\nHost: relay\r\nX-Long: " + b"a" * 40_000 + b"\r\n\r\n",
    b"GET /v1/health HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(64),  # TLS to a plain-HTTP port
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
]


@pytest.mark.parametrize("level", ["info", "debug"])
def test_malformed_requests_are_logged_at_debug_without_tracebacks(
    start_relay: StartRelay, level: str
) -> None:
    server = start_relay("--log-level", level)
    answers = []
    for request in MALFORMED:
        with connect(server) as sock:
            sock.sendall(request)
            answers.append(sock.recv(4096)[:12])
    assert b"HTTP/1.1 400" in answers
    assert health(server) == 200
    log = server.log_text()
    assert "Traceback" not in log
    assert not re.search(r" (WARNING|ERROR|CRITICAL) ", log), log
    if level == "debug":  # still there for an operator who looks
        assert re.search(r" DEBUG uvicorn\.error: Invalid HTTP request received\.", log), log


def _limits(soft: int, hard: int) -> Callable[[], None]:
    return lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _open_files(pid: int) -> tuple[int, int]:
    text = Path(f"/proc/{pid}/limits").read_text()
    soft, hard = re.search(r"Max open files\s+(\d+)\s+(\d+)", text).groups()  # type: ignore[union-attr]
    return int(soft), int(hard)


def test_a_flood_of_stalled_uploads_never_runs_the_relay_out_of_files(
    tmp_path: Path, sockets: list[socket.socket]
) -> None:
    """The issue's case: clients that stop halfway through a body, more of them than the relay
    has file descriptors (700 against 512), all at once. It keeps under its limit, logs nothing
    above DEBUG, and answers a fresh client."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1024 <= hard:  # this test's own 700 sockets
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))
    server = RelayServer(tmp_path / "d", ["--body-timeout", "60"], preexec=_limits(512, 512))
    try:
        server.start()
        assert server.process is not None
        peak = 0
        for i in range(700):
            sock = connect(server)
            sock.sendall(BODY_HALF)
            sockets.append(sock)
            if i % 50 == 0:
                peak = max(peak, len(os.listdir(f"/proc/{server.process.pid}/fd")))
        time.sleep(0.5)
        peak = max(peak, len(os.listdir(f"/proc/{server.process.pid}/fd")))
        assert health(server) == 200
        assert peak < 512
        log = server.log_text()
        assert "Traceback" not in log and not re.search(r" (WARNING|ERROR) ", log), log[-2000:]
    finally:
        server.stop()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_the_open_file_limit_is_raised_and_bounds_the_connections(tmp_path: Path) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    started = []
    try:
        limit = min(hard, 8192)
        low_soft = RelayServer(tmp_path / "a", preexec=_limits(256, limit)).start()
        started.append(low_soft)
        assert low_soft.process is not None
        assert _open_files(low_soft.process.pid) == (limit, limit)
        cap = min(4000, limit - 64 - 2 * 128)
        assert f"at most {cap} connections at once (open-file limit {limit})" in (
            low_soft.log_text()
        )
        low_hard = RelayServer(tmp_path / "b", preexec=_limits(600, 600)).start()
        started.append(low_hard)
        # 600 less 64 for the database and logs, less two bursts of accepts (2 x 128).
        assert "at most 280 connections at once (open-file limit 600)" in low_hard.log_text()
    finally:
        for server in started:
            server.stop()
