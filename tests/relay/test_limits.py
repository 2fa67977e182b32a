"""Limits of a real relay process: oversize (413), floods (429), quota (507), logs, TLS, CLI."""

import base64
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.relay.relay_fixture import RelayServer, make_pair
from trustvault.errors import EnvelopeTooLarge, TransportError
from trustvault.sync.relay_transport import RelayCredentials, RelayTransport, create_mailbox

StartRelay = Callable[..., RelayServer]
Connect = Callable[..., RelayTransport]


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def blob_url(server: RelayServer, creds: RelayCredentials, name: str) -> str:
    return f"{server.url}/v1/mailboxes/{creds.mailbox_id}/blobs/{name}"


def auth(creds: RelayCredentials) -> dict[str, str]:
    return {"Authorization": f"Bearer {b64(creds.device_credential)}"}


def test_oversize_envelope_refused_with_413(start_relay: StartRelay, connect: Connect) -> None:
    server = start_relay("--max-envelope", "4096")
    inviter, joiner = make_pair(server.url)
    transport = connect(inviter)
    transport.put("fits", b"x" * 4096)
    host = server.url.removeprefix("http://")
    with pytest.raises(EnvelopeTooLarge) as refused:
        transport.put("too-big", b"x" * 4097)
    assert (
        str(refused.value) == f"The relay at {host} refuses envelopes over 4 KB; this one is 5 KB."
    )
    declared = httpx.put(
        blob_url(server, inviter, "big"), content=b"x" * 50_000, headers=auth(inviter)
    )
    assert declared.status_code == 413 and declared.json() == {
        "error": "Envelope larger than this relay's limit of 4096 bytes.",
        "max_envelope_bytes": 4096,
    }

    def chunks() -> object:  # no Content-Length: the relay counts as it reads
        for _ in range(10):
            yield b"y" * 1000

    streamed = httpx.put(blob_url(server, inviter, "big"), content=chunks(), headers=auth(inviter))  # type: ignore[arg-type]
    assert streamed.status_code == 413
    assert connect(joiner).names() == ["fits"]


def test_a_proxys_413_is_reported_as_too_large_too(connect: Connect) -> None:
    """A proxy in front (nginx's client_max_body_size) answers 413 in HTML, without the limit."""
    transport = connect(RelayCredentials("https://relay.example", "M" * 22, os.urandom(32)))
    page = httpx.Response(413, html="<html><body>413 Request Entity Too Large</body></html>")
    assert str(transport._too_large(page, 300_000)) == (
        "The relay at relay.example (or a proxy in front of it) refused an envelope of 293 KB"
        " as too large."
    )


def test_flood_refused_with_429_and_client_backs_off(
    start_relay: StartRelay, connect: Connect
) -> None:
    # One request a second refills the allowance: a loaded machine (a slow request takes a
    # fifth of a second) cannot refill it between the flood and the check that it is refused.
    server = start_relay("--device-rate", "1", "--device-burst", "20")
    inviter, joiner = make_pair(server.url)
    url = f"{server.url}/v1/mailboxes/{inviter.mailbox_id}/blobs"
    with httpx.Client() as client:
        statuses = [client.get(url, headers=auth(inviter)).status_code for _ in range(40)]
        assert statuses[:20] == [200] * 20
        assert statuses.count(429) >= 15
        refused = client.get(url, headers=auth(inviter))
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert "Too many requests" in refused.json()["error"]
        # The other device of the pair has its own allowance.
        assert client.get(url, headers=auth(joiner)).status_code == 200
    # The client waits out Retry-After and gets through. That is about a second of real time:
    # RelayTransport sleeps on the system clock. The relay's refill is in test_time_rules.py.
    connect(inviter).put("after-flood", b"1")
    assert connect(joiner).get("after-flood") == b"1"


def test_strangers_flood_refused_per_address(start_relay: StartRelay) -> None:
    server = start_relay("--ip-rate", "5", "--ip-burst", "30")
    url = f"{server.url}/v1/mailboxes/{b64(os.urandom(16))}/blobs"
    with httpx.Client() as client:
        guesses = [{"Authorization": f"Bearer {b64(os.urandom(32))}"} for _ in range(60)]
        statuses = [client.get(url, headers=headers).status_code for headers in guesses]
    assert statuses[:30] == [401] * 30
    assert statuses.count(429) >= 25


def test_mailbox_creation_is_rate_limited(tmp_path: Path) -> None:
    server = RelayServer(tmp_path / "data", ["--create-rate", "1", "--create-burst", "3"]).start()
    try:
        for _ in range(3):
            create_mailbox(server.url, os.urandom(32))
        with pytest.raises(TransportError, match="unavailable"):
            create_mailbox(server.url, os.urandom(32), retry_for=0.5)
    finally:
        server.stop()


def test_mailbox_quota_refused_with_507(start_relay: StartRelay, connect: Connect) -> None:
    server = start_relay("--quota-blobs", "5", "--quota-bytes", "10000")
    inviter, joiner = make_pair(server.url)
    a, b = connect(inviter), connect(joiner)
    for i in range(5):
        a.put(f"e{i}", b"z" * 100)
    with pytest.raises(TransportError, match="mailbox is full"):
        b.put("e5", b"z" * 100)
    full = httpx.put(blob_url(server, inviter, "e5"), content=b"z", headers=auth(inviter))
    assert full.status_code == 507 and full.json()["error"]
    b.delete("e0")
    b.put("e5", b"z" * 100)
    with pytest.raises(TransportError, match="mailbox is full"):
        connect(inviter).put("large", b"z" * 9600)  # under the count, over the bytes
    a.put("e1", b"z" * 100)  # a retried put of a stored envelope is never refused


def test_max_mailboxes(start_relay: StartRelay) -> None:
    server = start_relay("--max-mailboxes", "2")
    make_pair(server.url)
    create_mailbox(server.url, os.urandom(32))
    with pytest.raises(TransportError, match="as many mailboxes as its operator allows"):
        create_mailbox(server.url, os.urandom(32))


def test_logs_hold_no_secrets_ids_names_or_bodies(
    start_relay: StartRelay, connect: Connect
) -> None:
    server = start_relay("--log-level", "debug")
    token = os.urandom(32)
    inviter = create_mailbox(server.url, token)
    joiner = make_pair(server.url)[1]
    transport = connect(inviter)
    transport.put("opaque-name-1", b"BODY-MARKER" * 10)
    transport.get("opaque-name-1")
    httpx.get(f"{server.url}/v1/mailboxes/{inviter.mailbox_id}/blobs", headers=auth(joiner))
    transport.delete("opaque-name-1")
    server.stop()
    log = server.log_text()
    assert "mb=" in log and " 201 " in log, "debug access lines are written"
    for secret in (token, inviter.device_credential, joiner.device_credential):
        assert b64(secret) not in log and secret.hex() not in log
    for forbidden in (inviter.mailbox_id, "opaque-name-1", "BODY-MARKER", "127.0.0.1:"):
        assert forbidden not in log.replace(f"127.0.0.1:{server.port}", "")


def test_tls_direct(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, connect: Connect) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this one certificate
    server = RelayServer(
        tmp_path / "data", ["--tls-cert", str(cert), "--tls-key", str(key)], "https"
    )
    server.start()
    try:
        inviter, joiner = make_pair(server.url)
        assert inviter.url.startswith("https://")
        connect(inviter).put("over-tls", b"sealed")
        assert connect(joiner).get("over-tls") == b"sealed"
        with pytest.raises(httpx.TransportError):  # plain HTTP is not served on a TLS port
            httpx.get(f"http://127.0.0.1:{server.port}/v1/health", timeout=2)
    finally:
        server.stop()


def test_cli_refuses_bad_options_in_one_line(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "trustvault.relay.server", "--data", str(tmp_path / "d")]
    missing = subprocess.run([*run, "--tls-cert", "nope.pem", "--tls-key", "nope.key"],
                             capture_output=True, text=True, timeout=30)  # fmt: skip
    assert missing.returncode == 2
    assert missing.stderr.strip() == "trustvault-relay: nope.pem does not exist or is not a file."
    half = subprocess.run([*run, "--tls-cert", "x.pem"], capture_output=True, text=True, timeout=30)
    assert half.returncode == 2 and "--tls-cert and --tls-key go together" in half.stderr
