"""The sync medium as the faces name it: a folder or a relay, described, checked and watched.

Nothing here touches a vault. A face builds the spec it passes to ``invite``/``join`` with
:func:`folder_spec` or :func:`relay_spec`, and watches the paired medium with
:func:`watch_medium` to sync as soon as the partner writes.
"""

import ipaddress
from typing import Any, Protocol
from urllib.parse import urlsplit

from trustvault.sync.invite_code import decode_invite
from trustvault.sync.short_code import completions as code_words
from trustvault.sync.short_code import is_short_code, parse_code
from trustvault.sync.transports import folder_spec, open_transport

__all__ = [
    "MediumWatch",
    "check_short_code",
    "code_words",
    "folder_spec",
    "invite_relay_url",
    "is_private_url",
    "is_short_code",
    "relay_spec",
    "relay_url_of",
    "watch_medium",
]


class MediumWatch(Protocol):
    def wait(self, timeout: float) -> None:
        """Return when the medium changed, or after ``timeout`` seconds."""

    def close(self) -> None: ...


def relay_spec(url: str, creation_token: str | None = None) -> dict[str, Any]:
    """A relay to pair through; the creation token (private relays) is sent once, never stored."""
    return {"type": "relay", "url": url.strip(), "creation_token": creation_token or None}


def check_short_code(code: str) -> None:
    """Refuse a short code with a non-word (PairingError naming it), before any vault work."""
    parse_code(code)


def invite_relay_url(code: str) -> str:
    """The relay address an invite code carries ("" for a folder code); PairingError if garbled."""
    return decode_invite(code).relay_url


def relay_url_of(spec: dict[str, Any]) -> str:
    """The relay address of a stored pairing spec ("" for a folder)."""
    if spec.get("type") != "relay":
        return ""
    from trustvault.sync.relay_transport import RelayCredentials  # httpx: only if used

    return RelayCredentials.from_json(spec["credentials"]).url


def is_private_url(url: str) -> bool:
    """https, or plain http that never leaves this computer (loopback): nobody on the network
    reads the relay credentials."""
    parts = urlsplit(url.strip())
    if parts.scheme == "https":
        return True
    host = parts.hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def watch_medium(spec: dict[str, Any]) -> MediumWatch:
    """Open the medium for waiting on changes (relay long-poll, folder polling)."""
    return open_transport(spec)
