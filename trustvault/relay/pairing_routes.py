"""Creating and joining a mailbox: the two routes that come before any device credential.

    PUT  /v1/mailboxes/{mb}        create (inviter): {"credential", "join_token"}
                                   (+ TrustVault-Creation-Token on a private relay)
    POST /v1/mailboxes/{mb}/join   join once (joiner): {"credential", "join_token"}

A retried create or join with the same credential is recognised (200), so a client may retry
after a lost answer; a taken id or a used invitation is 409, a wrong token 403.
"""

import hmac
import json
import logging
from typing import TYPE_CHECKING

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from trustvault.relay import auth
from trustvault.relay.stores import INVITER, JOINER

if TYPE_CHECKING:
    from trustvault.relay.app import Relay

__all__ = ["create", "join"]

log = logging.getLogger("trustvault.relay")

_JSON_BODY_LIMIT = 4096
_PRIVATE = (
    "This relay is private: creating a mailbox needs the creation token from its operator"
    " (it was missing or wrong)."
)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _may_create(relay: "Relay", request: Request) -> bool:
    """True on an open relay, or when the request carries the operator's creation token."""
    if relay.creation_hash is None:
        return True
    presented = request.headers.get(auth.CREATION_TOKEN_HEADER, "")
    return hmac.compare_digest(auth.creation_token_hash(presented), relay.creation_hash)


async def _json_secrets(relay: "Relay", request: Request) -> tuple[bytes, bytes] | JSONResponse:
    try:
        body = await relay.read_body(request, _JSON_BODY_LIMIT)
    except ClientDisconnect:
        return _error(400, "The request broke off.")
    if body is None:
        return _error(413, "Request body too large.")
    try:
        data = json.loads(body)
    except ValueError:
        return _error(400, "Request body is not JSON.")
    if not isinstance(data, dict):
        return _error(400, "Request body must be a JSON object.")
    credential = auth.decode_secret(data.get("credential"))
    token = auth.decode_secret(data.get("join_token"))
    if credential is None or token is None:
        return _error(400, "credential and join_token must be 32 bytes in base64url.")
    return credential, token


async def create(relay: "Relay", request: Request) -> Response:
    ip = relay.ip(request)
    throttled = relay.throttled(relay.by_ip, ip) or relay.throttled(relay.creates, ip)
    if throttled:
        return throttled
    if not _may_create(relay, request):
        log.info("refused a mailbox creation without the creation token")
        return _error(403, _PRIVATE)
    mailbox_id = request.path_params["mailbox"]
    if not auth.MAILBOX_PATTERN.match(mailbox_id):
        return _error(400, "Mailbox ids are 22 to 64 base64url characters.")
    secrets = await _json_secrets(relay, request)
    if isinstance(secrets, JSONResponse):
        return secrets
    credential, token = secrets
    existing = await relay.db(relay.store.mailbox, mailbox_id)
    if existing is not None:
        if auth.device_of(existing, credential) == INVITER:
            return JSONResponse({"mailbox": mailbox_id}, status_code=200)  # a retried create
        return _error(409, "This mailbox id is taken; choose another.")
    if await relay.db(relay.store.mailbox_count) >= relay.limits.max_mailboxes:
        return _error(507, "This relay holds as many mailboxes as its operator allows.")
    created = await relay.db(
        relay.store.create_mailbox,
        mailbox_id,
        auth.credential_hash(credential),
        auth.join_token_hash(token),
    )
    if not created:
        return _error(409, "This mailbox id is taken; choose another.")
    log.info("mailbox %s created", auth.log_tag(mailbox_id))
    return JSONResponse({"mailbox": mailbox_id}, status_code=201)


async def join(relay: "Relay", request: Request) -> Response:
    throttled = relay.throttled(relay.by_ip, relay.ip(request))
    if throttled:
        return throttled
    mailbox_id = request.path_params["mailbox"]
    secrets = await _json_secrets(relay, request)
    if isinstance(secrets, JSONResponse):
        return secrets
    credential, token = secrets
    valid = auth.MAILBOX_PATTERN.match(mailbox_id)
    mailbox = await relay.db(relay.store.mailbox, mailbox_id) if valid else None
    token_ok = auth.compare_hash(
        auth.join_token_hash(token), mailbox.join_hash if mailbox else None
    )
    if mailbox is None or not token_ok:
        log.info("refused join for mailbox %s", auth.log_tag(mailbox_id))
        return _error(403, "This invitation is not valid on this relay.")
    if mailbox.joiner_hash is not None:
        if auth.device_of(mailbox, credential) == JOINER:
            return JSONResponse({"mailbox": mailbox_id}, status_code=200)  # a retried join
        return _error(409, "This invitation was already used by another device.")
    if not await relay.db(relay.store.set_joiner, mailbox_id, auth.credential_hash(credential)):
        return _error(409, "This invitation was already used by another device.")
    log.info("mailbox %s joined", auth.log_tag(mailbox_id))
    return JSONResponse({"mailbox": mailbox_id}, status_code=200)
