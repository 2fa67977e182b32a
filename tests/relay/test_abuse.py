"""Relay abuse cases found in review: IPv6 address rotation, a mailbox deleted mid-upload."""

import base64
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.relay.relay_fixture import RelayServer, make_pair
from trustvault.relay.limits import address_key
from trustvault.relay.store import PutResult, RelayStore

StartRelay = Callable[..., RelayServer]


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", True),
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),
        ("::ffff:192.0.2.7", "192.0.2.7", True),
        ("192.0.2.7", "192.0.2.8", False),
        ("unknown", "unknown", True),
    ],
)
def test_rate_limits_count_an_ipv6_64_as_one_client(a: str, b: str, same: bool) -> None:
    assert (address_key(a) == address_key(b)) is same


def test_rotating_ipv6_addresses_does_not_escape_the_create_limit(
    start_relay: StartRelay,
) -> None:
    # Behind a proxy the relay sees the client's address in X-Forwarded-For.
    server = start_relay(
        "--create-rate", "0.001", "--create-burst", "2",
        "--proxy-headers", "--forwarded-allow-ips", "127.0.0.1",
    )  # fmt: skip

    def create(address: str) -> int:
        body = {"credential": b64(os.urandom(32)), "join_token": b64(os.urandom(32))}
        url = f"{server.url}/v1/mailboxes/{b64(os.urandom(16))}"
        headers = {"X-Forwarded-For": address}
        return httpx.put(url, json=body, headers=headers).status_code

    same_64 = [create(f"2001:db8:0:1::{i:x}") for i in range(1, 5)]
    assert same_64 == [201, 201, 429, 429]
    assert create("2001:db8:0:2::1") == 201


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RelayStore]:
    s = RelayStore(tmp_path / "relay.sqlite3")
    yield s
    s.close()


def test_store_put_into_a_deleted_mailbox_stores_nothing(store: RelayStore) -> None:
    store.create_mailbox("m" * 22, bytes(32), bytes(32))
    store.delete_mailbox("m" * 22)
    assert store.put("m" * 22, "e1", 1, b"x", 10**6, 10) == (PutResult.NO_MAILBOX, 0)
    assert store.names("m" * 22) == []


def test_mailbox_deleted_while_an_upload_arrives_is_401_not_500(relay: RelayServer) -> None:
    inviter, joiner = make_pair(relay.url)
    base = f"{relay.url}/v1/mailboxes/{inviter.mailbox_id}"
    started = threading.Event()

    def slow_body() -> Iterator[bytes]:
        yield b"a" * 100
        started.set()
        time.sleep(0.5)  # the partner deletes the mailbox meanwhile
        yield b"b" * 100

    answer: list[httpx.Response] = []
    upload = threading.Thread(
        target=lambda: answer.append(
            httpx.put(
                f"{base}/blobs/e1",
                content=slow_body(),
                headers={"Authorization": f"Bearer {b64(inviter.device_credential)}"},
            )
        )
    )
    upload.start()
    assert started.wait(10)
    dropped = httpx.delete(
        base, headers={"Authorization": f"Bearer {b64(joiner.device_credential)}"}
    )
    assert dropped.status_code == 204
    upload.join(20)
    assert answer and answer[0].status_code == 401, answer
    assert answer[0].json()["error"]
    assert "Traceback" not in relay.log_text()
