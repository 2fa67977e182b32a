"""The relay client's batches: many envelopes per request (the relay's trustvault/relay/batch.py).

A mixin of :class:`~trustvault.sync.relay_transport.RelayTransport`, which supplies the calls,
the name check and the errors; apart so each module stays one job. Chunks follow the relay's
limits: at most 500 envelopes, and 4 MiB of envelope bytes (8 MiB once in base64 and JSON).
"""

import base64
import binascii
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import httpx

from trustvault.errors import EnvelopeTooLarge, MediumFull, TransportError
from trustvault.sync.transport import Refusal

__all__ = ["RelayBatches"]

_BATCH_ITEMS = 500  # the relay's Limits.max_batch_items
_BATCH_BYTES = 4 * 1024 * 1024  # envelope bytes per put-many: base64 of it fits the relay's 8 MiB


def _chunks(items: list[tuple[str, bytes]], budget: int) -> list[list[tuple[str, bytes]]]:
    """``items`` in order, in batches of at most _BATCH_ITEMS and ``budget`` bytes (an envelope
    larger than the budget goes alone: the relay answers it too_large)."""
    chunks: list[list[tuple[str, bytes]]] = []
    size = 0
    for item in items:
        if not chunks or len(chunks[-1]) >= _BATCH_ITEMS or size + len(item[1]) > budget:
            chunks.append([])
            size = 0
        chunks[-1].append(item)
        size += len(item[1])
    return chunks


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _kb(size: int, *, up: bool = False) -> str:
    """``size`` bytes in KB (of 1,024 bytes), rounded down, or up for what must not look
    smaller than it is; small sizes in bytes."""
    if size < 1024:
        return f"{size} bytes"
    return f"{-(-size // 1024) if up else size // 1024} KB"


class RelayBatches:
    """put_many, get_many and delete_many over the transport's own calls."""

    if TYPE_CHECKING:  # supplied by RelayTransport; declared for the type checker only

        def _call(
            self, method: str, path: str, ok: tuple[int, ...], **kw: Any
        ) -> httpx.Response: ...

        def _json(self, response: httpx.Response) -> Any: ...

        def _name(self, name: str) -> str: ...

        def _not_a_relay(self) -> TransportError: ...

        @property
        def host(self) -> str: ...

    def put_many(self, items: Sequence[tuple[str, bytes]]) -> list[Refusal | None]:
        """Many puts in a few requests (``POST put-many``), with put's outcomes per item; see
        :meth:`~trustvault.sync.transport.BatchTransport.put_many`."""
        outcomes: list[Refusal | None] = []
        for chunk in _chunks([(self._name(n), bytes(d)) for n, d in items], _BATCH_BYTES):
            body = {"envelopes": [{"name": n, "data": _b64(d)} for n, d in chunk]}
            answer = self._json(self._call("POST", "/put-many", (200,), json_body=body))
            sizes = dict(chunk)
            try:
                results = [(str(r["name"]), str(r["status"])) for r in answer["results"]]
                limit = answer.get("max_envelope_bytes")
            except (KeyError, TypeError, ValueError, AttributeError):
                raise self._not_a_relay() from None
            if len(results) > len(chunk) or any(name not in sizes for name, _ in results):
                raise self._not_a_relay()
            for name, status in results:
                if status == "conflict":
                    raise TransportError(
                        f"The relay at {self.host} refused: The mailbox already holds a"
                        " different envelope by that name."
                    )
                outcomes.append(self._refusal(status, len(sizes[name]), limit))
            if len(results) < len(chunk):  # ended by a full mailbox or relay
                if not outcomes or not isinstance(outcomes[-1], MediumFull):
                    raise self._not_a_relay()
                return outcomes
        return outcomes

    def _refusal(self, status: str, size: int, limit: object) -> Refusal | None:
        here = f"The relay at {self.host}"
        if status in ("created", "same"):
            return None
        if status == "too_large":
            if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
                return EnvelopeTooLarge(
                    f"{here} refuses envelopes over {_kb(limit)}; this one is {_kb(size, up=True)}."
                )
            raise self._not_a_relay()
        if status == "over_quota":
            return MediumFull(
                f"{here} refused: The mailbox is full; the partner device must fetch envelopes"
                " first.",
                "The relay",
            )
        if status == "relay_full":
            return MediumFull(
                f"{here} refused: The relay is full (its operator's storage limit); try again"
                " later.",
                "The relay",
            )
        raise self._not_a_relay()

    def get_many(self, names: Sequence[str]) -> dict[str, bytes]:
        """Many gets in a few requests (``POST get-many``); missing names are left out."""
        found: dict[str, bytes] = {}
        wanted = [self._name(n) for n in dict.fromkeys(names)]
        while wanted:
            ask, wanted = wanted[:_BATCH_ITEMS], wanted[_BATCH_ITEMS:]
            answer = self._json(self._call("POST", "/get-many", (200,), json_body={"names": ask}))
            try:
                got = {str(e["name"]): _unb64(str(e["data"])) for e in answer["envelopes"]}
                more = [str(n) for n in answer["more"]]
            except (KeyError, TypeError, ValueError, AttributeError, binascii.Error):
                raise self._not_a_relay() from None
            if (not got and more) or not set(got) | set(more) <= set(ask):
                raise self._not_a_relay()  # no progress, or names nobody asked for
            found.update(got)
            wanted = more + wanted
        return found

    def delete_many(self, names: Sequence[str]) -> None:
        """Many deletes in a few requests (``POST delete-many``)."""
        wanted = [self._name(n) for n in dict.fromkeys(names)]
        for start in range(0, len(wanted), _BATCH_ITEMS):
            ask = wanted[start : start + _BATCH_ITEMS]
            self._call("POST", "/delete-many", (200,), json_body={"names": ask})
