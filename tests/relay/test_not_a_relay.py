"""A login page or a proxy answering in the relay's place is one plain error, not a crash."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from trustvault.errors import TransportError
from trustvault.sync.relay_transport import RelayCredentials, RelayTransport


class _Portal(BaseHTTPRequestHandler):
    """Answers every request 200 with an HTML page, as hotel Wi-Fi does."""

    def do_GET(self) -> None:
        body = b"<html><body>Please log in to continue</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def portal() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://user:hunter2@127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_listing_through_a_captive_portal_is_one_line_without_credentials(portal: str) -> None:
    creds = RelayCredentials(portal, "mailbox", bytes(32))
    with RelayTransport(creds) as transport:
        with pytest.raises(TransportError) as caught:
            transport.names()
        with pytest.raises(TransportError):
            transport.wait(1.0)
    message = str(caught.value)
    assert "not a TrustVault relay" in message and "\n" not in message
    assert "hunter2" not in message and "user" not in message
