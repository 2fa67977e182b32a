"""SPAKE2 over a short spoken code, with key confirmation: what lets two people pair by four words.

The inviter's device shows a code such as ``4-purple-sausage`` (about 16 bits of secret); each
device runs one side of SPAKE2 (the ``spake2`` package magic-wormhole uses, Ed25519 group) with
the code as the password. The medium sees both messages and learns nothing it can test a guess
against offline: someone who wants to pair in a partner's place must take part in the exchange
and gets one guess, which a wrong code burns. Two devices that typed the same code end with the
same 32-byte key; then each proves it (:func:`confirmation`, checked in constant time by
:func:`confirms`) before anything else moves (magic-wormhole's "version" phase does the same job).

    message  = 0x01 || spake2 message (33 bytes: a side byte, then the blinded point)
    key      = SHA-256 transcript of SPAKE2 (idA, idB, both messages, the shared point, the code)
    confirm  = derive_subkey(key, "tv:pake:confirm:<side>:v1")   sent by <side>, checked by its peer
    sealing  = derive_subkey(key, "tv:pake:seal:<side>:v1")      what <side> seals for the other

Side names are fixed identities (``idA``/``idB``), so a message reflected back to its sender is
refused, and each side's keys differ from the other's. A serialized side holds the code's scalar
and belongs only inside the encrypted vault.
"""

import json
from collections.abc import Callable
from enum import StrEnum

from spake2 import SPAKE2_A, SPAKE2_B  # type: ignore[import-untyped]
from spake2.spake2 import SPAKEError  # type: ignore[import-untyped]

from crypto.errors import ParameterError
from crypto.hashing import constant_time_equal, derive_subkey
from crypto.random import random_bytes

__all__ = [
    "KEY_BYTES",
    "MESSAGE_BYTES",
    "Pending",
    "Side",
    "confirmation",
    "confirms",
    "restore",
    "sealing_key",
    "start",
]

KEY_BYTES = 32
MESSAGE_BYTES = 34
_VERSION = b"\x01"
_PASSWORD = b"tv:pake:code:v1:"


class Side(StrEnum):
    INVITER = "inviter"
    JOINER = "joiner"

    @property
    def other(self) -> "Side":
        return Side.JOINER if self is Side.INVITER else Side.INVITER


_IDS = {"idA": b"trustvault:pake:inviter:v1", "idB": b"trustvault:pake:joiner:v1"}
_CLASSES = {Side.INVITER: SPAKE2_A, Side.JOINER: SPAKE2_B}


class Pending:
    """One side of an exchange that has sent its message and waits for the peer's."""

    def __init__(self, side: Side, engine: object) -> None:
        self.side = side
        self._engine = engine

    def __repr__(self) -> str:
        return f"Pending(side={self.side.value})"

    def serialize(self) -> bytes:
        """To store inside the vault until the peer's message arrives (it holds the code)."""
        inner = self._engine.serialize()  # type: ignore[attr-defined]
        return json.dumps({"side": self.side.value, "spake2": inner.decode()}).encode()

    def finish(self, peer_message: bytes) -> bytes:
        """The shared key; :class:`ParameterError` for a message no honest peer sends.

        A wrong code does not fail here: both sides get a key, but different ones, which the
        confirmation then tells apart.
        """
        if len(peer_message) != MESSAGE_BYTES or peer_message[:1] != _VERSION:
            raise ParameterError("a pairing message has the wrong size or version")
        try:
            key = self._engine.finish(peer_message[1:])  # type: ignore[attr-defined]
        except (SPAKEError, ValueError, AssertionError):  # off sides, reflected, not a point
            raise ParameterError("a pairing message is not a valid SPAKE2 message") from None
        return bytes(key)


def start(
    code: str, side: Side, *, entropy: Callable[[int], bytes] = random_bytes
) -> tuple[Pending, bytes]:
    """Begin ``side``'s half of the exchange for ``code``: the pending side and the message to
    send. ``entropy`` is for the stored known-answer vector only; pairing uses the CSPRNG."""
    engine = _CLASSES[side](_PASSWORD + code.encode(), entropy_f=entropy, **_IDS)
    message = _VERSION + bytes(engine.start())
    return Pending(side, engine), message


def restore(data: bytes) -> Pending:
    """A side stored by :meth:`Pending.serialize`; :class:`ParameterError` if it is garbled."""
    try:
        doc = json.loads(data)
        side = Side(doc["side"])
        engine = _CLASSES[side].from_serialized(str(doc["spake2"]).encode())
    except (ValueError, KeyError, TypeError, SPAKEError):
        raise ParameterError("a stored pairing exchange is unreadable") from None
    return Pending(side, engine)


def confirmation(key: bytes, side: Side) -> bytes:
    """What ``side`` sends to prove it holds ``key`` (reveals nothing else about it)."""
    _check(key)
    return derive_subkey(key, b"tv:pake:confirm:" + side.value.encode() + b":v1")


def confirms(key: bytes, side: Side, received: bytes) -> bool:
    """Whether ``received`` is ``side``'s confirmation of ``key``, compared in constant time."""
    return constant_time_equal(confirmation(key, side), received)


def sealing_key(key: bytes, side: Side) -> bytes:
    """The key ``side`` seals with for the other (used only after both confirmations)."""
    _check(key)
    return derive_subkey(key, b"tv:pake:seal:" + side.value.encode() + b":v1")


def _check(key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError("a PAKE key is 32 bytes")
