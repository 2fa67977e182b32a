"""The behaviour every :class:`~trustvault.sync.transport.Transport` owes the sync engine.

Call :func:`check_transport` from a test with two views of one fresh, empty medium (the two
devices of a pair): two ``MemoryTransport`` over one dict, two ``FolderTransport`` over one folder,
or the inviter's and joiner's ``RelayTransport`` of one mailbox. It raises AssertionError on the
first broken promise. It leaves the medium empty and does not close the transports.
"""

import threading
import time

import pytest

from trustvault.errors import TransportError
from trustvault.sync.transport import Transport

__all__ = ["INVALID_NAMES", "check_transport"]

INVALID_NAMES = ["", "UPPER", "a/b", "../up", "-lead", "a" * 97, "dot.ted", "sp ace", "a\n"]


def check_transport(a: Transport, b: Transport) -> None:
    assert a.names() == [] and b.names() == [], "the medium must start empty"
    _round_trip(a, b)
    _idempotent_put(a, b)
    _missing(a, b)
    _invalid_names(a)
    _many(a, b)
    _wait(a, b)
    assert a.names() == [] and b.names() == [], "every blob deleted"


def _round_trip(a: Transport, b: Transport) -> None:
    every_byte = bytes(range(256)) * 257  # binary, > 64 KiB
    a.put("blob-1", every_byte)
    a.put("0", b"x")
    assert sorted(a.names()) == ["0", "blob-1"]
    assert sorted(b.names()) == ["0", "blob-1"], "the other device sees the blob"
    assert b.get("blob-1") == every_byte
    assert a.get("0") == b"x"
    b.delete("blob-1")
    assert a.get("blob-1") is None
    assert a.names() == ["0"]
    a.delete("0")


def _idempotent_put(a: Transport, b: Transport) -> None:
    a.put("same", b"payload")
    a.put("same", b"payload")  # a retried upload
    b.put("same", b"payload")  # even from the other side
    assert a.names() == ["same"] and b.names() == ["same"]
    assert b.get("same") == b"payload"
    b.delete("same")


def _missing(a: Transport, b: Transport) -> None:
    assert a.get("never-put") is None
    b.delete("never-put")  # not an error
    a.put("gone", b"1")
    b.delete("gone")
    b.delete("gone")
    assert a.get("gone") is None


def _invalid_names(a: Transport) -> None:
    for name in INVALID_NAMES:
        with pytest.raises(TransportError):
            a.put(name, b"x")
        with pytest.raises(TransportError):
            a.get(name)
        with pytest.raises(TransportError):
            a.delete(name)
    assert a.names() == []


def _many(a: Transport, b: Transport) -> None:
    names = {f"n{i:03d}-{'ab'[i % 2]}" for i in range(60)}
    for i, name in enumerate(sorted(names)):
        (a if i % 2 else b).put(name, name.encode())
    assert set(a.names()) == names and len(a.names()) == len(names)
    for name in names:
        assert b.get(name) == name.encode()
        a.delete(name)


def _wait(a: Transport, b: Transport) -> None:
    b.names()  # b is up to date
    started = time.monotonic()
    b.wait(0.3)
    quiet = time.monotonic() - started
    assert quiet < 3.0, f"wait(0.3) with nothing new took {quiet:.2f}s"

    def later() -> None:
        time.sleep(0.2)
        a.put("wake", b"up")

    writer = threading.Thread(target=later)
    writer.start()
    started = time.monotonic()
    b.wait(10.0)
    woke = time.monotonic() - started
    writer.join()
    assert woke < 2.0, f"wait did not return soon after the partner's put ({woke:.2f}s)"
    assert b.get("wake") == b"up"
    a.delete("wake")
