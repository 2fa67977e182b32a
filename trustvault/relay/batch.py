"""Many envelopes in one request, so a sync round costs a few requests instead of one each.

    POST /v1/mailboxes/{mb}/put-many   {"envelopes": [{"name": n, "data": base64url}, ...]}
        200 {"results": [{"name": n, "status": s}, ...], "max_envelope_bytes": limit}
        s: "created", "same" (already held, same bytes), "conflict" (other bytes held),
        "too_large", "over_quota" (the mailbox is full), "relay_full". Stored in order, in one
        transaction; the first over_quota or relay_full ends the batch and the envelopes after
        it are not in "results" (not tried: the partner applies in order). A too_large one is
        skipped and the rest go on, as with one put each.
    POST /v1/mailboxes/{mb}/get-many   {"names": [n, ...]}
        200 {"envelopes": [{"name": n, "data": base64url}, ...], "missing": [...],
             "more": [...]}  "more": asked for but left for another request (the answer's size)

    POST /v1/mailboxes/{mb}/delete-many   {"names": [n, ...]}
        200 {"deleted": count}  (names not there are no error, as with DELETE)

At most ``Limits.max_batch_items`` names and ``Limits.max_batch_bytes`` of body either way (413
beyond). Authentication, rate limits and errors are those of the single-envelope routes; a batch
counts as one request against the rate limits (its size is bounded instead).
"""

import binascii
import json
from typing import TYPE_CHECKING, Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from trustvault.relay.stores import PutResult
from trustvault.sync.transport import valid_name

if TYPE_CHECKING:
    from trustvault.relay.app import Relay

__all__ = ["delete_many", "get_many", "put_many"]

_STATUS = {
    PutResult.CREATED: "created",
    PutResult.SAME: "same",
    PutResult.CONFLICT: "conflict",
    PutResult.OVER_QUOTA: "over_quota",
    PutResult.RELAY_FULL: "relay_full",
}
_BAD_NAME = "Envelope names are 1-96 characters of a-z, 0-9 and '-'."


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")


def b64(raw: bytes) -> str:
    """base64url without padding (binascii directly: the base64 module's wrappers cost more
    than the encoding, 25 times a request)."""
    return binascii.b2a_base64(raw, newline=False).translate(_TO_URLSAFE).rstrip(b"=").decode()


def _unb64(text: object) -> bytes | None:
    if not isinstance(text, str):
        return None
    try:
        padded = (text + "=" * (-len(text) % 4)).encode("ascii")
        return binascii.a2b_base64(padded.translate(_FROM_URLSAFE))
    except (binascii.Error, ValueError):
        return None


async def _body(relay: "Relay", request: Request, key: str) -> list[Any] | JSONResponse:
    """The request's list under ``key``, within the batch limits, or the error to answer."""
    try:
        raw = await relay.read_body(request, relay.limits.max_batch_bytes)
    except ClientDisconnect:
        return _error(400, "The request broke off.")
    if raw is None:
        return _error(413, f"A batch is at most {relay.limits.max_batch_bytes} bytes.")
    try:
        data = json.loads(raw)
    except ValueError:
        return _error(400, "Request body is not JSON.")
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return _error(400, f"Request body must be a JSON object with a list under {key!r}.")
    if len(items) > relay.limits.max_batch_items:
        return _error(413, f"A batch is at most {relay.limits.max_batch_items} envelopes.")
    return items


async def put_many(relay: "Relay", request: Request) -> Response:
    who = await relay.authorize(request)
    if isinstance(who, Response):
        return who
    mailbox_id, device = who
    items = await _body(relay, request, "envelopes")
    if isinstance(items, JSONResponse):
        return items
    envelopes: list[tuple[str, bytes]] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else None
        data = _unb64(item.get("data")) if isinstance(item, dict) else None
        if not isinstance(name, str) or not valid_name(name):
            return _error(400, _BAD_NAME)
        if data is None:
            return _error(400, "Each envelope needs its bytes in base64url under 'data'.")
        envelopes.append((name, data))
    limit = relay.limits.max_envelope_bytes
    fitting = [envelope for envelope in envelopes if len(envelope[1]) <= limit]
    stored = await relay.put_all(mailbox_id, device, fitting)
    if stored is None:  # the mailbox was deleted meanwhile
        return relay.unauthorized()
    outcomes = iter(stored)
    results: list[dict[str, str]] = []
    for name, data in envelopes:
        if len(data) > limit:  # refused for good; the ones after it still go (as put does)
            results.append({"name": name, "status": "too_large"})
            continue
        outcome = next(outcomes, None)
        if outcome is None:  # the batch ended at a refusal for room
            break
        results.append({"name": name, "status": _STATUS[outcome]})
    return JSONResponse({"results": results, "max_envelope_bytes": limit})


async def _named(relay: "Relay", request: Request) -> tuple[str, list[str]] | Response:
    """The caller's mailbox and the valid blob names its body lists, or the refusal to send."""
    who = await relay.authorize(request)
    if isinstance(who, Response):
        return who
    mailbox_id, _ = who
    names = await _body(relay, request, "names")
    if isinstance(names, JSONResponse):
        return names
    if not all(isinstance(n, str) and valid_name(n) for n in names):
        return _error(400, _BAD_NAME)
    return mailbox_id, names


async def get_many(relay: "Relay", request: Request) -> Response:
    asked = await _named(relay, request)
    if isinstance(asked, Response):
        return asked
    mailbox_id, names = asked
    found = await relay.db(relay.store.get_many, mailbox_id, names)
    budget = relay.limits.max_batch_bytes * 3 // 4  # base64 grows the bytes by a third
    envelopes: list[tuple[str, str]] = []
    missing: list[str] = []
    more: list[str] = []
    for name in dict.fromkeys(names):
        blob = found.get(name)
        if blob is None:
            missing.append(name)
        elif envelopes and len(blob.data) > budget:
            more.append(name)
        else:
            budget -= len(blob.data)
            envelopes.append((name, b64(blob.data)))
    # Written out rather than through json.dumps: names are [a-z0-9-] (checked above) and
    # base64url needs no escaping, so scanning ~35 KB of it for characters to escape is waste.
    listed = ",".join(f'{{"name":"{name}","data":"{data}"}}' for name, data in envelopes)
    body = f'{{"envelopes":[{listed}],"missing":{json.dumps(missing)},"more":{json.dumps(more)}}}'
    return Response(body.encode(), media_type="application/json")


async def delete_many(relay: "Relay", request: Request) -> Response:
    asked = await _named(relay, request)
    if isinstance(asked, Response):
        return asked
    mailbox_id, names = asked
    deleted = await relay.db(relay.store.delete_many, mailbox_id, names)
    return JSONResponse({"deleted": deleted})
