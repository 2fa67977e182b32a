"""Crashes on either side of a real relay: nothing lost, stored twice or half-stored."""

import base64
import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.relay.relay_fixture import RelayServer, make_pair
from trustvault.sync.relay_transport import RelayTransport, create_mailbox, join_mailbox

Connect = Callable[..., RelayTransport]
StartRelay = Callable[..., RelayServer]


def payload(i: int) -> bytes:
    """What envelope ``i`` holds: deterministic, so a resumed sender re-puts the same bytes."""
    return hashlib.sha256(str(i).encode()).digest() * 32 + i.to_bytes(4, "big")


def test_server_killed_and_restarted_mid_sync_loses_nothing(
    start_relay: StartRelay, connect: Connect
) -> None:
    server = start_relay()
    inviter, joiner = make_pair(server.url)
    sender, receiver = connect(inviter), connect(joiner)
    total = 300
    sent: list[int] = []
    failures: list[BaseException] = []

    def send_all() -> None:
        try:
            for i in range(total):
                sender.put(f"env-{i:04d}", payload(i))
                sent.append(i)
        except BaseException as exc:  # surfaced by the assertion below
            failures.append(exc)

    thread = threading.Thread(target=send_all)
    thread.start()
    received: dict[str, bytes] = {}
    killed = False
    deadline = time.monotonic() + 60
    while len(received) < total and time.monotonic() < deadline:
        if not killed and len(sent) >= 100:
            server.kill()  # mid-sync: the sender is putting, the receiver fetching
            time.sleep(0.5)
            server.start()
            killed = True
        for name in receiver.names():
            data = receiver.get(name)
            if data is not None and name.startswith("env-"):
                received[name] = data
                receiver.delete(name)
        receiver.wait(0.5)
    thread.join(30)
    assert killed and not failures, failures
    assert len(sent) == total
    assert received == {f"env-{i:04d}": payload(i) for i in range(total)}
    assert receiver.names() == []


CHILD = """
import sys
from trustvault.sync.relay_transport import RelayCredentials, RelayTransport
from tests.relay.test_resilience import payload
transport = RelayTransport(RelayCredentials.from_json(sys.stdin.readline()))
for i in range(100000):
    print(i, flush=True)
    transport.put(f"up-{i:05d}", payload(i) * 64)
"""


def test_client_killed_mid_upload_leaves_no_duplicate(relay: RelayServer, connect: Connect) -> None:
    inviter, joiner = make_pair(relay.url)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        cwd=Path(__file__).resolve().parents[2],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdin and child.stdout
        child.stdin.write(inviter.to_json() + "\n")
        child.stdin.flush()
        started = [child.stdout.readline() for _ in range(40)]
        assert started[-1].strip() == "39"
        time.sleep(0.01 * (os.getpid() % 7))  # land somewhere inside a put
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        attempted = int(max(child.stdout.read().split() or ["39"], key=int))
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        for stream in (child.stdin, child.stdout):
            if stream:
                stream.close()
    # The restarted device re-puts everything it may have sent: nothing doubles or breaks.
    resumed = connect(inviter)
    for i in range(attempted + 1):
        resumed.put(f"up-{i:05d}", payload(i) * 64)
    partner = connect(joiner)
    names = partner.names()
    assert len(names) == len(set(names)) == attempted + 1
    for name in names:
        assert partner.get(name) == payload(int(name[3:])) * 64


def test_upload_cut_off_midway_stores_nothing(relay: RelayServer, connect: Connect) -> None:
    inviter, joiner = make_pair(relay.url)
    credential = base64.urlsafe_b64encode(inviter.device_credential).rstrip(b"=").decode()
    head = (
        f"PUT /v1/mailboxes/{inviter.mailbox_id}/blobs/partial HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: Bearer {credential}\r\n"
        "Content-Length: 100000\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", relay.port)) as sock:
        sock.sendall(head.encode() + b"p" * 50_000)
    partner = connect(joiner)
    time.sleep(0.3)
    assert partner.names() == []
    connect(inviter).put("partial", b"p" * 100_000)
    assert partner.names() == ["partial"]
    assert partner.get("partial") == b"p" * 100_000


@pytest.mark.parametrize("when", ["before-join", "after-join"])
def test_mailboxes_survive_a_restart(start_relay: StartRelay, connect: Connect, when: str) -> None:
    server = start_relay()
    token = os.urandom(32)
    inviter = create_mailbox(server.url, token)
    if when == "after-join":
        joiner = join_mailbox(server.url, inviter.mailbox_id, token)
    connect(inviter).put("kept", b"1")
    server.kill()
    server.start()
    if when == "before-join":
        joiner = join_mailbox(server.url, inviter.mailbox_id, token)
    assert connect(joiner).get("kept") == b"1"
