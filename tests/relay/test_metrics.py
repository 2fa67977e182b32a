"""/metrics: how busy and how full the relay is, for its operator; never who talks to whom."""

import base64
import os
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.relay.relay_fixture import RelayServer, make_pair
from trustvault.relay.metrics import route_of
from trustvault.sync.relay_transport import RelayTransport

TOKEN = "operator-metrics-token-0123456789"


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def value(page: str, prefix: str) -> float:
    (line,) = [x for x in page.splitlines() if x.startswith(prefix + " ")]
    return float(line.split()[1])


def test_metrics_count_and_measure_but_name_no_mailbox_or_secret(
    start_relay: Callable[..., RelayServer], tmp_path: Path
) -> None:
    (tmp_path / "token").write_text(TOKEN + "\n")
    server = start_relay("--metrics-token-file", str(tmp_path / "token"))
    url = f"{server.url}/metrics"
    assert httpx.get(url).status_code == 404  # without the token: as if there were none
    assert (
        httpx.get(url, headers={"Authorization": "Bearer wrong-token-0123456789"}).status_code
        == 404
    )
    inviter, joiner = make_pair(server.url)
    with RelayTransport(inviter) as a, RelayTransport(joiner) as b:
        a.put("env-secret-name", b"x" * 100)
        a.put_many([("env-two", b"y" * 50)])
        b.get_many(b.names())
        b.wait(0.01)
    page = httpx.get(url, headers={"Authorization": f"Bearer {TOKEN}"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/plain")
    text = page.text
    assert value(text, "trustvault_relay_stored_bytes") == 150
    assert value(text, "trustvault_relay_mailboxes") == 1
    assert value(text, "trustvault_relay_long_polls") == 0
    blobs = 'route="/v1/mailboxes/{mailbox}/blobs/{name}",method="PUT"'
    assert value(text, f'trustvault_relay_requests_total{{{blobs},status="2xx"}}') == 1
    assert value(text, f"trustvault_relay_request_seconds_count{{{blobs}}}") == 1
    assert f'trustvault_relay_request_seconds_bucket{{{blobs},le="+Inf"}} 1' in text
    put_many = 'route="/v1/mailboxes/{mailbox}/put-many",method="POST",status="2xx"'
    assert value(text, f"trustvault_relay_requests_total{{{put_many}}}") == 1
    for secret in (inviter.mailbox_id, b64(inviter.device_credential),
                   b64(joiner.device_credential), "env-secret-name", "env-two", TOKEN,
                   "127.0.0.1"):  # fmt: skip
        assert secret not in text


def test_route_of_keeps_no_id_or_name() -> None:
    mailbox = b64(os.urandom(16))
    assert route_of(f"/v1/mailboxes/{mailbox}") == "/v1/mailboxes/{mailbox}"
    assert route_of(f"/v1/mailboxes/{mailbox}/blobs/e-1") == "/v1/mailboxes/{mailbox}/blobs/{name}"
    assert route_of(f"/v1/mailboxes/{mailbox}/wait") == "/v1/mailboxes/{mailbox}/wait"
    assert route_of(f"/v1/mailboxes/{mailbox}/{mailbox}") == "other"
    assert route_of(f"/{mailbox}") == "other"
    assert route_of("/v1/health") == "/v1/health"
