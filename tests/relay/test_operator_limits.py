"""Operator limits of a real relay process (review N3): a total byte cap, idle mailboxes expiring,
a private relay's creation token, and long-polls per device.

The expiry rules themselves run on a fake clock in test_time_rules.py; here they are only checked
to be wired to the command line, and the schema upgrade to feed them.
"""

import base64
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.relay.fake_clock import FakeClock
from tests.relay.relay_fixture import RelayServer, make_pair
from trustvault.errors import TransportError
from trustvault.relay.auth import credential_hash
from trustvault.relay.server import parse_args, read_creation_token
from trustvault.relay.store import _SCHEMA, RelayStore
from trustvault.sync.relay_transport import (
    RelayCredentials,
    RelayTransport,
    create_mailbox,
    join_mailbox,
)

StartRelay = Callable[..., RelayServer]
Connect = Callable[..., RelayTransport]

TOKEN = "correct-horse-battery-staple-42"


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def auth(creds: RelayCredentials) -> dict[str, str]:
    return {"Authorization": f"Bearer {b64(creds.device_credential)}"}


def put(server: RelayServer, creds: RelayCredentials, name: str, data: bytes) -> httpx.Response:
    url = f"{server.url}/v1/mailboxes/{creds.mailbox_id}/blobs/{name}"
    return httpx.put(url, content=data, headers=auth(creds))


# -- total bytes ------------------------------------------------------------------------------


def test_total_byte_cap_refused_with_507_and_freed_by_deletes(
    start_relay: StartRelay, connect: Connect
) -> None:
    server = start_relay("--max-total-bytes", "1000")
    (a1, a2), (b1, _) = make_pair(server.url), make_pair(server.url)
    connect(a1).put("big", b"a" * 600)
    connect(b1).put("small", b"b" * 300)
    with pytest.raises(TransportError, match="relay is full"):
        connect(b1).put("more", b"b" * 200)
    refused = put(server, b1, "more", b"b" * 200)
    assert refused.status_code == 507
    assert refused.json() == {
        "error": "The relay is full (its operator's storage limit); try again later."
    }
    assert put(server, b1, "small", b"b" * 300).status_code == 200  # a retry is never refused
    connect(a2).delete("big")  # the partner fetched it: its bytes count no more
    connect(b1).put("more", b"b" * 200)

    server.stop()  # the running total is summed again at start: 500 bytes are stored
    server.start()
    assert put(server, b1, "too-much", b"c" * 501).status_code == 507
    assert put(server, b1, "just-fits", b"c" * 500).status_code == 201
    assert "storage cap reached: 500 bytes stored" in server.log_text()


# -- expiry -----------------------------------------------------------------------------------


def test_a_starting_relay_sweeps_by_its_expiry_options(
    start_relay: StartRelay, connect: Connect, tmp_path: Path
) -> None:
    """The upkeep sweeps as the relay starts (then hourly), on the system clock, so mailboxes
    written long ago by a store on a fake clock show the options at work without waiting. The
    rules themselves are tested in test_time_rules.py."""
    (tmp_path / "data").mkdir(mode=0o700)
    clock = FakeClock(datetime.now(UTC) - timedelta(days=45))
    store = RelayStore(tmp_path / "data" / "relay.sqlite3", clock=clock.now)
    made: dict[str, tuple[str, bytes]] = {}
    for label, days_later, joined in (
        ("idle 45 days", 0, True),
        ("idle 15 days", 30, True),
        ("unjoined 6 days", 9, False),
        ("unjoined 4 days", 2, False),
    ):
        clock.advance(days=days_later)
        mailbox_id, credential = b64(os.urandom(16)), os.urandom(32)
        store.create_mailbox(mailbox_id, credential_hash(credential), bytes(32))
        if joined:
            store.set_joiner(mailbox_id, credential_hash(os.urandom(32)))
        made[label] = mailbox_id, credential
    store.close()

    # The defaults (60 and 7 days) would keep all four.
    server = start_relay("--idle-days", "30", "--unjoined-days", "5")
    for label, (mailbox_id, credential) in made.items():
        transport = connect(RelayCredentials(server.url, mailbox_id, credential))
        if label in ("idle 45 days", "unjoined 6 days"):
            with pytest.raises(TransportError, match="the pairing was removed there"):
                transport.names()
        else:
            assert transport.names() == [], label
    assert "dropped 1 mailboxes nobody joined, 1 idle" in server.log_text()


def test_schema_upgrade_gives_old_mailboxes_a_last_use_and_a_byte_total(tmp_path: Path) -> None:
    path = tmp_path / "relay.sqlite3"
    with sqlite3.connect(path) as old:  # a database written before idle expiry existed
        old.executescript(f"{_SCHEMA[0]}; PRAGMA user_version=1;")
        old.execute(
            "INSERT INTO mailboxes (id, inviter_hash, join_hash, joiner_hash, created_at,"
            " joined_at, used_bytes) VALUES (?,?,?,?,?,?,?)",
            ("j" * 22, bytes(32), bytes(32), bytes(32), 100.0, 200.0, 700),
        )
        old.execute(
            "INSERT INTO mailboxes (id, inviter_hash, join_hash, created_at, used_bytes)"
            " VALUES (?,?,?,?,?)",
            ("u" * 22, bytes(32), bytes(32), 150.0, 50),
        )
    old.close()
    clock = FakeClock(datetime.fromtimestamp(10**6 + 175, UTC))  # idle 10**6 s: before 175 goes
    store = RelayStore(path, clock=clock.now)
    try:
        assert store.total_bytes == 750
        with sqlite3.connect(path) as peek:
            rows = dict(peek.execute("SELECT id, touched_at FROM mailboxes").fetchall())
        peek.close()
        assert rows == {"j" * 22: 200.0, "u" * 22: 150.0}
        assert store.expire(10**12, 10**6) == ([], ["u" * 22])  # last used at creation, 150
        assert store.total_bytes == 700
        clock.advance(seconds=50)
        assert store.expire(10**12, 10**6) == ([], ["j" * 22])  # last used at joining, 200
        assert store.total_bytes == 0
    finally:
        store.close()


# -- private relay ----------------------------------------------------------------------------


def test_private_relay_needs_the_creation_token_to_create_only(
    start_relay: StartRelay, connect: Connect, tmp_path: Path
) -> None:
    server = start_relay("--creation-token", TOKEN, "--log-level", "debug")
    for wrong in (None, "correct-horse-battery-staple-43", TOKEN[:-1], TOKEN + "x"):
        with pytest.raises(TransportError, match="This relay is private"):
            create_mailbox(server.url, os.urandom(32), wrong)
    body = {"credential": b64(os.urandom(32)), "join_token": b64(os.urandom(32))}
    bare = httpx.put(f"{server.url}/v1/mailboxes/{b64(os.urandom(16))}", json=body)
    assert bare.status_code == 403 and "creation token" in bare.json()["error"]
    join_token = os.urandom(32)
    inviter = create_mailbox(server.url, join_token, TOKEN)
    joiner = join_mailbox(server.url, inviter.mailbox_id, join_token)  # no token needed
    connect(inviter).put("hello", b"1")
    assert connect(joiner).get("hello") == b"1"
    server.stop()
    assert TOKEN not in server.log_text()

    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    from_file = start_relay("--creation-token-file", str(token_file), name="from-file")
    with pytest.raises(TransportError, match="This relay is private"):
        create_mailbox(from_file.url, os.urandom(32))
    assert create_mailbox(from_file.url, os.urandom(32), f" {TOKEN} ").mailbox_id
    with pytest.raises(TransportError, match="without spaces"):
        create_mailbox(from_file.url, os.urandom(32), "two words")


def test_open_relay_ignores_a_creation_token(relay: RelayServer) -> None:
    assert create_mailbox(relay.url, os.urandom(32), TOKEN).mailbox_id


def test_unusable_creation_tokens_are_refused_in_one_line(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "trustvault.relay.server", "--data", str(tmp_path / "d")]
    for extra, message in (
        (["--creation-token", "short"], "16-256 printable characters without spaces"),
        (["--creation-token-file", str(tmp_path / "missing")], "cannot read"),
    ):
        done = subprocess.run([*run, *extra], capture_output=True, text=True, timeout=30)
        assert done.returncode == 2
        assert done.stderr.startswith("trustvault-relay: ") and message in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    # A token file swapped for an endless device is refused after 4 KiB, not read whole.
    endless = tmp_path / "token"
    endless.symlink_to("/dev/zero")
    with pytest.raises(ValueError, match="larger than a token file"):
        read_creation_token(parse_args(["--data", "d", "--creation-token-file", str(endless)]))
    both = [*run, "--creation-token", TOKEN, "--creation-token-file", "x"]
    done = subprocess.run(both, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "not allowed with" in done.stderr


def test_help_documents_the_operator_options() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "trustvault.relay.server", "--help"],
        capture_output=True, text=True, timeout=30, check=True,
    )  # fmt: skip
    for option in ("--max-total-bytes", "--idle-days", "--creation-token",
                   "--creation-token-file", "--max-polls", "--header-timeout",
                   "--body-timeout", "--keep-alive", "--max-connections"):  # fmt: skip
        assert option in done.stdout
    assert "--sweep-seconds" not in done.stdout  # for tests only


# -- long-polls -------------------------------------------------------------------------------


def test_long_polls_per_device_are_capped_with_429(start_relay: StartRelay) -> None:
    server = start_relay("--max-polls", "2")
    inviter, joiner = make_pair(server.url)
    assert put(server, joiner, "e1", b"1").status_code == 201
    url = f"{server.url}/v1/mailboxes/{inviter.mailbox_id}/wait"
    cursor = httpx.get(url, params={"after": 0}, headers=auth(inviter)).json()["cursor"]
    held: list[int] = []

    def hold() -> None:  # waits for an envelope after e1: blocks until e2
        params = {"after": cursor, "timeout": 20}
        held.append(httpx.get(url, params=params, headers=auth(inviter), timeout=30).status_code)

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for thread in threads:
        thread.start()
    # A probe asks about e1, so it answers at once while a slot is free and never holds one.
    probe = {"after": 0, "timeout": 20}
    deadline = time.monotonic() + 15
    while (answer := httpx.get(url, params=probe, headers=auth(inviter))).status_code == 200:
        assert time.monotonic() < deadline, "a third long-poll was never refused"
        time.sleep(0.05)
    assert answer.status_code == 429
    assert 1 <= int(answer.headers["retry-after"]) <= 20
    assert "Too many long-polls" in answer.json()["error"]
    assert httpx.get(url, params={"after": 0}, headers=auth(inviter)).status_code == 200
    partner = {"after": 0, "timeout": 0.2}
    partner_url = url.replace(inviter.mailbox_id, joiner.mailbox_id)
    assert httpx.get(partner_url, params=partner, headers=auth(joiner)).status_code == 200

    assert put(server, joiner, "e2", b"2").status_code == 201  # ends both held polls
    for thread in threads:
        thread.join(30)
    assert held == [200, 200]
    assert httpx.get(url, params=probe, headers=auth(inviter)).status_code == 200
