"""The relay client: a :class:`~trustvault.sync.transport.Transport` over HTTP(S) to a
``trustvault-relay`` (see trustvault/relay/app.py for the routes and docs/relay.md for operators).

Pairing calls :func:`create_mailbox` (inviter) and :func:`join_mailbox` (joiner); each returns the
device's :class:`RelayCredentials`, which belong inside the encrypted vault. The join token is
derived by pairing from the invite secret; the relay keeps only a hash of it and can never learn
the secret itself. Each device's credential is 32 random bytes made here and sent only over the
connection; the relay keeps a hash.

Every call retries connection failures, 5xx and 429 with exponential backoff (bounded by
``retry_for`` seconds) before raising :class:`~trustvault.errors.TransportError` with one line that
names the relay's host and never a credential. Retrying is safe: ``put`` of a name the relay
already holds with the same bytes is a no-op, and a retried create or join with the same
credential is recognised. A refused join (wrong, foreign or already used invitation) raises
:class:`~trustvault.errors.PairingError`; an envelope over the relay's size limit (413, never
retried) raises :class:`~trustvault.errors.EnvelopeTooLarge`, naming the limit; a full mailbox or
relay (507, temporary: it empties as the partner's device reads) raises
:class:`~trustvault.errors.MediumFull`.
"""

import binascii
import functools
import json
import os
import random
import ssl
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from trustvault.errors import EnvelopeTooLarge, MediumFull, PairingError, TransportError
from trustvault.sync.relay_batches import RelayBatches, _b64, _kb, _unb64
from trustvault.sync.transport import valid_name

__all__ = ["MailboxTaken", "RelayCredentials", "RelayTransport", "create_mailbox", "join_mailbox"]

_SECRET_BYTES = 32
_LONG_POLL_MAX = 25.0  # the relay holds a wait open at most this long (Limits.max_wait_seconds)
_RETRYABLE = {429, 500, 502, 503, 504}


def _normalize_url(url: str) -> str:
    refused = TransportError(f"{url!r} is not a relay address; it should look like https://host.")
    try:
        parts = urlsplit(url.strip())
        host, _port = parts.hostname, parts.port  # both parse lazily and raise ValueError
    except ValueError:  # an unclosed [IPv6 bracket, a port that is not a number
        raise refused from None
    if parts.scheme not in ("http", "https") or not host or any(c.isspace() for c in url.strip()):
        raise refused
    return url.strip().rstrip("/")


@dataclass(frozen=True, slots=True)
class RelayCredentials:
    """What one device needs to reach its pair's mailbox. Secret: store it only in the vault."""

    url: str
    mailbox_id: str
    device_credential: bytes = field(repr=False)

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": 1,
                "url": self.url,
                "mailbox_id": self.mailbox_id,
                "device_credential": _b64(self.device_credential),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> "RelayCredentials":
        try:
            data = json.loads(text)
            credential = _unb64(data["device_credential"])
            url, mailbox_id = data["url"], data["mailbox_id"]
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise TransportError("The stored relay settings are damaged; pair again.") from None
        if not (isinstance(url, str) and isinstance(mailbox_id, str)):
            raise TransportError("The stored relay settings are damaged; pair again.")
        if len(credential) != _SECRET_BYTES:
            raise TransportError("The stored relay settings are damaged; pair again.")
        return cls(url, mailbox_id, credential)


def _tls_context() -> ssl.SSLContext:
    """The verifying TLS context httpx would build (``SSL_CERT_FILE``/``SSL_CERT_DIR``, else
    certifi's roots), built once per setting: loading the roots costs ~0.3 s, which every client
    made for a pairing step or a sync paid again."""
    return _context_for(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.cache
def _context_for(cafile: str | None, capath: str | None) -> ssl.SSLContext:
    if cafile:
        return ssl.create_default_context(cafile=cafile)
    if capath:
        return ssl.create_default_context(capath=capath)
    import certifi  # httpx's own dependency, and its default

    return ssl.create_default_context(cafile=certifi.where())


class _Http:
    """One httpx client plus the retry loop every call goes through."""

    def __init__(self, url: str, timeout: float, retry_for: float) -> None:
        self.url = _normalize_url(url)
        parts = urlsplit(self.url)  # host and port only: never a user:password@ part
        self.host = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
        self.retry_for = retry_for
        self.client = httpx.Client(
            base_url=self.url,
            verify=_tls_context(),
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": "trustvault-relay-client/1"},
            follow_redirects=False,
        )

    def call(
        self,
        method: str,
        path: str,
        *,
        ok: tuple[int, ...],
        content: bytes | None = None,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        retry_for: float | None = None,
        timeout: float | None = None,
    ) -> httpx.Response:
        """The response once its status is in ``ok`` (or a non-retryable error status)."""
        deadline = time.monotonic() + (self.retry_for if retry_for is None else retry_for)
        delay = 0.1
        while True:
            try:
                response = self.client.request(
                    method,
                    path,
                    content=content,
                    json=json_body,
                    params=params,
                    headers=headers,
                    timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
                )
                problem = f"it answered {response.status_code}"
            except httpx.TransportError as exc:
                response = None
                problem = type(exc).__name__
            if response is not None and response.status_code not in _RETRYABLE:
                return response
            pause = delay * random.uniform(0.5, 1.0)  # noqa: S311  (jitter, not a secret)
            if response is not None and response.status_code == 429:
                pause = max(pause, _retry_after(response))
            if time.monotonic() + pause > deadline:
                raise TransportError(f"The relay at {self.host} is unavailable ({problem}).")
            time.sleep(pause)
            delay = min(delay * 2, 5.0)

    def refused(self, response: httpx.Response) -> TransportError:
        if response.status_code == 401:
            return TransportError(
                f"The relay at {self.host} refused this device: the pairing was removed there"
                " (your partner unpaired, which deletes the pair's mailbox, or the operator"
                " removed it)."
            )
        return TransportError(f"The relay at {self.host} refused: {_reason(response)}")

    def close(self) -> None:
        self.client.close()


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(float(response.headers.get("retry-after", "1")), 60.0)
    except ValueError:
        return 1.0


def _reason(response: httpx.Response) -> str:
    """The relay's own one-line reason (its limits, in its words), cut to one short line."""
    try:
        message = response.json().get("error")
    except (ValueError, AttributeError):
        message = None
    if isinstance(message, str) and message:
        return message.splitlines()[0][:200]
    return f"HTTP {response.status_code}"


def _secrets_body(credential: bytes, join_token: bytes) -> dict[str, str]:
    if len(join_token) != _SECRET_BYTES:
        raise ValueError("join_token must be 32 bytes")
    return {"credential": _b64(credential), "join_token": _b64(join_token)}


class MailboxTaken(TransportError):
    """The mailbox id asked for is held already (a short code's channel in use): pick another."""


def create_mailbox(
    url: str,
    join_token: bytes,
    creation_token: str | None = None,
    *,
    retry_for: float = 20.0,
    mailbox_id: str | None = None,
) -> RelayCredentials:
    """Open a mailbox for a new pair (the inviter's side) and register this device in it.

    ``creation_token`` is what a private relay's operator handed out; an open relay ignores it.
    It is sent once, here, and never stored: the joiner needs only the invite code.
    ``mailbox_id`` names the mailbox (a short code's hashed channel) instead of a random id;
    :class:`MailboxTaken` if another pair holds it.
    """
    headers: dict[str, str] = {}
    if creation_token is not None:
        token = creation_token.strip()
        if not token.isascii() or not token.isprintable() or " " in token:
            raise TransportError("A relay token is printable characters without spaces.")
        headers["TrustVault-Creation-Token"] = token  # trustvault.relay.auth.CREATION_TOKEN_HEADER
    http = _Http(url, 30.0, retry_for)
    try:
        mailbox_id = mailbox_id or _b64(os.urandom(16))
        credential = os.urandom(_SECRET_BYTES)
        body = _secrets_body(credential, join_token)
        response = http.call(
            "PUT", f"/v1/mailboxes/{mailbox_id}", ok=(200, 201), json_body=body, headers=headers
        )
        if response.status_code == 409:
            raise MailboxTaken(f"The relay at {http.host} holds that mailbox already.")
        if response.status_code not in (200, 201):
            raise http.refused(response)
        return RelayCredentials(http.url, mailbox_id, credential)
    finally:
        http.close()


def join_mailbox(
    url: str, mailbox_id: str, join_token: bytes, *, retry_for: float = 20.0
) -> RelayCredentials:
    """Join the inviter's mailbox with the one-time token; a second joiner is refused."""
    http = _Http(url, 30.0, retry_for)
    try:
        credential = os.urandom(_SECRET_BYTES)
        body = _secrets_body(credential, join_token)
        response = http.call("POST", f"/v1/mailboxes/{mailbox_id}/join", ok=(200,), json_body=body)
        if response.status_code in (403, 409):
            raise PairingError(f"The relay at {http.host} refused to pair: {_reason(response)}")
        if response.status_code != 200:
            raise http.refused(response)
        return RelayCredentials(http.url, mailbox_id, credential)
    finally:
        http.close()


class RelayTransport(RelayBatches):
    """A pair's mailbox on a relay, seen as a :class:`~trustvault.sync.transport.BatchTransport`."""

    def __init__(
        self, credentials: RelayCredentials, *, timeout: float = 30.0, retry_for: float = 20.0
    ) -> None:
        self._http = _Http(credentials.url, timeout, retry_for)
        self._base = f"/v1/mailboxes/{credentials.mailbox_id}"
        self._auth = {"Authorization": f"Bearer {_b64(credentials.device_credential)}"}
        self._cursor = 0  # highest seq (the mailbox's own count) of a partner's envelope seen

    @property
    def host(self) -> str:
        return self._http.host

    def _call(self, method: str, path: str, ok: tuple[int, ...], **kw: Any) -> httpx.Response:
        response = self._http.call(method, self._base + path, ok=ok, headers=self._auth, **kw)
        if response.status_code not in ok:
            raise self._http.refused(response)
        return response

    def _name(self, name: str) -> str:
        if not valid_name(name):
            raise TransportError(f"{name[:100]!r} is not a valid envelope name.")
        return name

    def _json(self, response: httpx.Response) -> Any:
        """The answer's JSON; a captive portal or a proxy's page is one plain error."""
        try:
            return response.json()
        except ValueError:
            raise self._not_a_relay() from None

    def _not_a_relay(self) -> TransportError:
        return TransportError(
            f"The answer from {self._http.host} is not a TrustVault relay's (a login page or a"
            " proxy in the way?). Nothing was changed; sync again later."
        )

    def put(self, name: str, data: bytes) -> None:
        path = f"/blobs/{self._name(name)}"
        response = self._call("PUT", path, (200, 201, 413, 507), content=bytes(data))
        if response.status_code == 413:
            raise self._too_large(response, len(data))
        if response.status_code == 507:
            raise MediumFull(
                f"The relay at {self._http.host} refused: {_reason(response)}",
                "The relay",
            )

    def _too_large(self, response: httpx.Response, size: int) -> EnvelopeTooLarge:
        """The relay's limit in one line; a proxy's 413 (HTML, no limit) says what it can."""
        try:
            limit = response.json().get("max_envelope_bytes")
        except (ValueError, AttributeError):
            limit = None
        here = f"The relay at {self._http.host}"
        if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
            return EnvelopeTooLarge(
                f"{here} refuses envelopes over {_kb(limit)}; this one is {_kb(size, up=True)}."
            )
        return EnvelopeTooLarge(
            f"{here} (or a proxy in front of it) refused an envelope of {_kb(size, up=True)}"
            " as too large."
        )

    def names(self) -> list[str]:
        body = self._json(self._call("GET", "/blobs", (200,)))
        try:
            self._cursor = max(self._cursor, int(body["cursor"]))
            return [str(name) for name in body["names"]]
        except (KeyError, TypeError, ValueError):
            raise self._not_a_relay() from None

    def get(self, name: str) -> bytes | None:
        response = self._call("GET", f"/blobs/{self._name(name)}", (200, 404))
        return response.content if response.status_code == 200 else None

    def delete(self, name: str) -> None:
        self._call("DELETE", f"/blobs/{self._name(name)}", (204, 404))

    def wait(self, timeout: float) -> None:
        """Return as soon as the partner has put an envelope this device has not seen listed or
        waited for, else after ``timeout``. While the relay is unreachable it keeps retrying
        quietly until ``timeout`` (the next :meth:`names` reports the failure)."""
        deadline = time.monotonic() + timeout
        delay = 0.1
        while (remaining := deadline - time.monotonic()) > 0:
            poll = min(remaining, _LONG_POLL_MAX)
            try:
                response = self._http.client.get(
                    self._base + "/wait",
                    params={"after": self._cursor, "timeout": f"{poll:.3f}"},
                    headers=self._auth,
                    timeout=poll + 10.0,
                )
            except httpx.TransportError:
                response = None
            if response is not None and response.status_code == 200:
                body = self._json(response)
                try:
                    self._cursor = max(self._cursor, int(body["cursor"]))
                    changed = bool(body["changed"])
                except (KeyError, TypeError, ValueError):
                    raise self._not_a_relay() from None
                if changed:
                    return
                delay = 0.1
                continue
            if response is not None and response.status_code not in _RETRYABLE:
                raise self._http.refused(response)
            time.sleep(max(0.0, min(delay * random.uniform(0.5, 1.0), deadline - time.monotonic())))  # noqa: S311
            delay = min(delay * 2, 5.0)

    def leave(self) -> None:
        """Delete the pair's mailbox: the relay keeps nothing of the pair after an unpairing."""
        self._call("DELETE", "", (204, 401, 404))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "RelayTransport":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
