"""Whether a relay address needs a warning: plain http that leaves this computer lets someone
on the network read the mailbox's access keys (never what is shared, which stays sealed)."""

from trustvault.medium import is_private_url

__all__ = ["PLAIN_HTTP", "plain_http_warning", "relay_is_private"]

PLAIN_HTTP = (
    "This address starts with http, not https. What you share stays sealed either way, but"
    " someone on the network between you and the relay could read its access keys and delete"
    " or flood your messages there. Use an https address if you can."
)


def relay_is_private(url: str) -> bool:
    """https, or plain http that never leaves this computer (loopback)."""
    return is_private_url(url)


def plain_http_warning(url: str) -> str:
    """The warning to show for ``url`` ('' when there is nothing to warn about)."""
    url = url.strip()
    return "" if not url or relay_is_private(url) or "://" not in url else PLAIN_HTTP
