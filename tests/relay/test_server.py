"""The relay process over real HTTP on loopback: authentication, pairs kept apart, join once."""

import base64
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.relay.relay_fixture import RelayServer, make_pair
from tests.sync import transport_contract
from trustvault.errors import PairingError, TransportError
from trustvault.sync.relay_transport import (
    RelayCredentials,
    RelayTransport,
    create_mailbox,
    join_mailbox,
)

Pair = tuple[RelayCredentials, RelayCredentials]
Connect = Callable[..., RelayTransport]


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def bearer(creds: RelayCredentials) -> dict[str, str]:
    return {"Authorization": f"Bearer {b64(creds.device_credential)}"}


def routes(mailbox: str) -> list[tuple[str, str]]:
    """Every authenticated route of one mailbox."""
    base = f"/v1/mailboxes/{mailbox}"
    return [
        ("GET", f"{base}/blobs"),
        ("GET", f"{base}/wait?after=0&timeout=0"),
        ("PUT", f"{base}/blobs/intruder"),
        ("GET", f"{base}/blobs/kept"),
        ("DELETE", f"{base}/blobs/kept"),
        ("DELETE", base),
    ]


def test_relay_transport_meets_the_transport_contract(
    transports: tuple[RelayTransport, RelayTransport],
) -> None:
    transport_contract.check_transport(*transports)


def test_health_needs_no_credentials(relay: RelayServer) -> None:
    response = httpx.get(f"{relay.url}/v1/health")
    assert response.status_code == 200 and response.json()["ok"] is True


def test_every_route_refused_without_valid_credentials(
    connect: Connect, relay: RelayServer, pair: Pair
) -> None:
    inviter, joiner = pair
    connect(inviter).put("kept", b"secret envelope")
    strangers: list[dict[str, str]] = [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer not-base64!"},
        {"Authorization": f"Basic {b64(inviter.device_credential)}"},
        {"Authorization": f"Bearer {b64(os.urandom(32))}"},
        {"Authorization": f"Bearer {b64(inviter.device_credential[:31])}"},
    ]
    with httpx.Client(base_url=relay.url) as client:
        for headers in strangers:
            for method, path in routes(inviter.mailbox_id):
                response = client.request(method, path, headers=headers, content=b"x")
                assert response.status_code == 401, (method, path, headers)
                assert response.json() == {"error": "Not authorized for this mailbox."}
        # An unknown mailbox answers exactly like a known one with a wrong credential.
        for method, path in routes(b64(os.urandom(16))):
            response = client.request(method, path, headers=bearer(inviter), content=b"x")
            assert response.status_code == 401
    transport = connect(joiner)
    assert transport.names() == ["kept"]
    assert transport.get("kept") == b"secret envelope"


def test_a_pair_never_reaches_another_pairs_mailbox(
    connect: Connect, relay: RelayServer, pair: Pair
) -> None:
    ours = pair
    theirs = make_pair(relay.url)
    connect(ours[0]).put("kept", b"ours")
    with httpx.Client(base_url=relay.url) as client:
        for creds in theirs:
            for method, path in routes(ours[0].mailbox_id):
                response = client.request(method, path, headers=bearer(creds), content=b"x")
                assert response.status_code == 401, (method, path)
    crossed = connect(RelayCredentials(relay.url, ours[0].mailbox_id, theirs[1].device_credential))
    for attempt in (crossed.names, lambda: crossed.get("kept"), lambda: crossed.put("x", b"1"),
                    lambda: crossed.delete("kept")):  # fmt: skip
        with pytest.raises(TransportError, match="refused this device"):
            attempt()
    assert connect(ours[1]).names() == ["kept"]
    assert connect(theirs[0]).names() == []


def test_join_works_once(connect: Connect, relay: RelayServer) -> None:
    token = os.urandom(32)
    inviter = create_mailbox(relay.url, token)
    with pytest.raises(PairingError, match="not valid"):
        join_mailbox(relay.url, inviter.mailbox_id, os.urandom(32))
    with pytest.raises(PairingError, match="not valid"):
        join_mailbox(relay.url, b64(os.urandom(16)), token)
    joiner = join_mailbox(relay.url, inviter.mailbox_id, token)
    with pytest.raises(PairingError, match="already used by another device"):
        join_mailbox(relay.url, inviter.mailbox_id, token)
    # A joiner whose answer was lost may retry with its own credential; nobody else may.
    body = {"credential": b64(joiner.device_credential), "join_token": b64(token)}
    retried = httpx.post(f"{relay.url}/v1/mailboxes/{inviter.mailbox_id}/join", json=body)
    assert retried.status_code == 200
    connect(inviter).put("hello", b"1")
    assert connect(joiner).get("hello") == b"1"


def test_create_is_idempotent_for_its_inviter_only(relay: RelayServer) -> None:
    mailbox, credential, token = b64(os.urandom(16)), os.urandom(32), os.urandom(32)
    body = {"credential": b64(credential), "join_token": b64(token)}
    url = f"{relay.url}/v1/mailboxes/{mailbox}"
    assert httpx.put(url, json=body).status_code == 201
    assert httpx.put(url, json=body).status_code == 200  # a retried create
    other = {"credential": b64(os.urandom(32)), "join_token": b64(token)}
    taken = httpx.put(url, json=other)
    assert taken.status_code == 409 and "taken" in taken.json()["error"]
    for bad in ({}, {"credential": "short", "join_token": b64(token)}, ["list"]):
        response = httpx.put(f"{relay.url}/v1/mailboxes/{b64(os.urandom(16))}", json=bad)
        assert response.status_code == 400 and response.json()["error"]
    assert httpx.put(f"{relay.url}/v1/mailboxes/short", json=body).status_code == 400


def test_relay_stores_only_hashes_of_secrets(relay: RelayServer) -> None:
    token = os.urandom(32)
    inviter = create_mailbox(relay.url, token)
    joiner = join_mailbox(relay.url, inviter.mailbox_id, token)
    stored = relay.stored()
    assert inviter.mailbox_id.encode() in stored  # the check sees what the relay keeps
    for secret in (token, inviter.device_credential, joiner.device_credential):
        assert secret not in stored
        assert b64(secret).encode() not in stored


def test_put_is_idempotent_and_never_overwrites(
    connect: Connect, relay: RelayServer, pair: Pair
) -> None:
    transport = connect(pair[0])
    url = f"{relay.url}/v1/mailboxes/{pair[0].mailbox_id}/blobs/env-1"
    first = httpx.put(url, content=b"sealed", headers=bearer(pair[0]))
    again = httpx.put(url, content=b"sealed", headers=bearer(pair[1]))
    assert (first.status_code, again.status_code) == (201, 200)
    transport.put("env-1", b"sealed")
    assert transport.names() == ["env-1"]
    with pytest.raises(TransportError, match="different envelope by that name"):
        transport.put("env-1", b"other bytes")
    assert transport.get("env-1") == b"sealed"


def test_unknown_paths_and_bad_names_answer_json(relay: RelayServer, pair: Pair) -> None:
    missing = httpx.get(f"{relay.url}/nowhere")
    assert missing.status_code == 404 and missing.json()["error"]
    wrong_method = httpx.post(f"{relay.url}/v1/health")
    assert wrong_method.status_code == 405 and wrong_method.json()["error"]
    bad_name = httpx.put(
        f"{relay.url}/v1/mailboxes/{pair[0].mailbox_id}/blobs/UPPER", content=b"x",
        headers=bearer(pair[0]),
    )  # fmt: skip
    assert bad_name.status_code == 400 and "names" in bad_name.json()["error"]


def test_long_poll_wakes_within_a_second(transports: tuple[RelayTransport, RelayTransport]) -> None:
    a, b = transports
    b.names()
    woke_at: list[float] = []

    def waiter() -> None:
        b.wait(20.0)
        woke_at.append(time.monotonic())

    thread = threading.Thread(target=waiter)
    thread.start()
    time.sleep(0.5)  # b is parked in a long-poll by now
    a.put("fresh", b"new envelope")
    posted = time.monotonic()
    thread.join(10)
    assert woke_at, "wait never returned"
    assert woke_at[0] - posted < 1.0
    assert b.get("fresh") == b"new envelope"


def test_wait_ignores_own_puts_and_catches_up_on_missed_ones(
    transports: tuple[RelayTransport, RelayTransport],
) -> None:
    a, b = transports
    a.names()
    started = time.monotonic()
    threading.Timer(0.1, lambda: a.put("mine", b"1")).start()
    a.wait(0.8)
    assert time.monotonic() - started >= 0.75, "woke for its own envelope"
    # b has not listed since "mine" arrived: its wait returns at once.
    started = time.monotonic()
    b.wait(5.0)
    assert time.monotonic() - started < 0.5
    b.wait(0.2)  # and now it is caught up: this one waits
    assert b.names() == ["mine"]


def test_deleting_the_mailbox_ends_the_pairing(
    connect: Connect, pair: Pair, relay: RelayServer
) -> None:
    a, b = connect(pair[0]), connect(pair[1])
    a.put("x", b"1")
    response = httpx.delete(
        f"{relay.url}/v1/mailboxes/{pair[0].mailbox_id}", headers=bearer(pair[1])
    )
    assert response.status_code == 204
    with pytest.raises(TransportError, match="refused this device"):
        a.names()
    with pytest.raises(TransportError, match="refused this device"):
        b.wait(1.0)


def test_unreachable_relay_is_one_clear_line(connect: Connect, tmp_path: Path) -> None:
    creds = RelayCredentials("http://127.0.0.1:9", "A" * 22, os.urandom(32))
    transport = connect(creds, retry_for=0.3)
    with pytest.raises(TransportError) as failure:
        transport.names()
    message = str(failure.value)
    assert message.startswith("The relay at 127.0.0.1:9 is unavailable") and "\n" not in message
    assert b64(creds.device_credential) not in message
    started = time.monotonic()
    transport.wait(0.5)  # offline: waits quietly instead of failing
    assert 0.4 < time.monotonic() - started < 2.0
    with pytest.raises(TransportError, match="not a relay address"):
        create_mailbox("ftp://example.org", os.urandom(32))


def test_credentials_round_trip_and_hide_the_secret() -> None:
    creds = RelayCredentials("https://relay.example", "M" * 22, os.urandom(32))
    assert RelayCredentials.from_json(creds.to_json()) == creds
    assert b64(creds.device_credential) not in repr(creds)
    for damaged in ("", "{}", '{"url": 1, "mailbox_id": "m", "device_credential": "AAAA"}'):
        with pytest.raises(TransportError, match="damaged"):
            RelayCredentials.from_json(damaged)


@pytest.mark.parametrize(
    "url", ["http://[::1", "https://relay.example:port", "http://exa mple.com", "https://", "x"]
)
def test_a_mistyped_relay_address_is_refused_in_one_line(url: str) -> None:
    """These crashed 'invite --relay' (ValueError from the URL parser) or were sent to DNS."""
    with pytest.raises(TransportError, match="not a relay address"):
        create_mailbox(url, os.urandom(32))
