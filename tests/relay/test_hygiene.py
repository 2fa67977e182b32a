"""What the relay keeps of an envelope once it is gone: nothing an operator's backup could copy.

The relay's database and its write-ahead log are not encrypted (the envelopes are ciphertext
already), so scanning their raw bytes for a recognisable pattern shows whether a deleted
envelope's bytes are still there: in a free page, in the unused part of a page, or in an old
frame of the log. The relay's periodic sweep is what empties the log; the tests run it by hand.
"""

import os
import sqlite3
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from tests.relay.local_relay import Device, LocalRelay, local_relay
from trustvault.relay.limits import Limits
from trustvault.relay.store import _SCHEMA, RelayStore

DB = "relay.sqlite3"
IDLE = Limits().idle_ttl_seconds
MAILBOX = "m" * 22


def holding(data_dir: Path, marker: bytes) -> list[str]:
    """Which of the database and its write-ahead log hold ``marker`` (as a copy of the folder,
    which is what a backup is, would)."""
    files = (data_dir / DB, data_dir / f"{DB}-wal")
    return [path.name for path in files if path.exists() and marker in path.read_bytes()]


def marked(marker: bytes, size: int) -> bytes:
    """An envelope of ``size`` bytes that is ``marker`` over and over: easy to find in a file."""
    return (marker * (size // len(marker) + 1))[:size]


async def receipt_confirms(relay: LocalRelay, sender: Device, partner: Device, _: Device) -> None:
    """The partner fetched the envelopes; its receipt makes the sender delete them."""
    for name in ("small", "large"):
        assert (await relay.call(partner, "GET", f"/blobs/{name}")).status_code == 200
        assert (await relay.call(sender, "DELETE", f"/blobs/{name}")).status_code == 204


async def unpairing(relay: LocalRelay, sender: Device, partner: Device, _: Device) -> None:
    """One partner unpairs: the mailbox is deleted with what it held."""
    assert (await relay.call(partner, "DELETE")).status_code == 204


async def expiry(relay: LocalRelay, sender: Device, partner: Device, bystander: Device) -> None:
    """Nobody uses the mailbox for the idle time: the sweep drops it (the bystander's stays)."""
    relay.clock.advance(seconds=IDLE / 2)
    assert (await relay.names(bystander)).status_code == 200
    relay.clock.advance(seconds=IDLE / 2 + 60)


Ending = Callable[[LocalRelay, Device, Device, Device], Awaitable[None]]


@pytest.mark.anyio
@pytest.mark.parametrize("ending", [receipt_confirms, unpairing, expiry], ids=lambda f: f.__name__)
async def test_a_deleted_envelope_leaves_no_bytes_in_the_database_or_its_log(
    tmp_path: Path, ending: Ending
) -> None:
    gone, kept = os.urandom(16).hex().encode(), os.urandom(16).hex().encode()
    async with local_relay(tmp_path) as relay:
        sender, partner = await relay.pair()
        other, _ = await relay.pair()  # another couple's envelope stays: the scan must see it
        # One envelope fits in a page, the other spills over many (SQLite's overflow pages).
        assert (await relay.put(sender, "small", marked(gone, 300))).status_code == 201
        assert (await relay.put(sender, "large", marked(gone, 200_000))).status_code == 201
        assert (await relay.put(other, "kept", marked(kept, 300))).status_code == 201
        relay.sweep()
        assert holding(tmp_path, gone) and holding(tmp_path, kept), "the scan sees nothing"

        await ending(relay, sender, partner, other)
        relay.sweep()  # what the relay does every sweep_interval_seconds

        assert holding(tmp_path, gone) == [], "a deleted envelope's bytes are still on disk"
        assert holding(tmp_path, kept) == [DB]
        assert (await relay.call(other, "GET", "/blobs/kept")).content == marked(kept, 300)


def test_upgrading_wipes_what_an_older_relay_deleted(tmp_path: Path) -> None:
    """A relay from before secure_delete left deleted envelopes in free pages: the upgrade
    rewrites the file once without them."""
    gone = os.urandom(16).hex().encode()
    with sqlite3.connect(tmp_path / DB) as old:
        old.execute("PRAGMA secure_delete=OFF")  # many builds' default (Debian's is ON)
        old.executescript(f"{_SCHEMA[0]}; {_SCHEMA[1]}; PRAGMA user_version=2;")
        old.execute(
            "INSERT INTO mailboxes (id, inviter_hash, join_hash, created_at) VALUES (?,?,?,0)",
            (MAILBOX, bytes(32), bytes(32)),
        )
        old.execute(
            "INSERT INTO blobs (mailbox, name, author, digest, size, created_at, data)"
            " VALUES (?, 'old', 1, ?, 200000, 0, ?)",
            (MAILBOX, bytes(32), marked(gone, 200_000)),
        )
        old.commit()
        old.execute("DELETE FROM blobs")
    old.close()
    assert holding(tmp_path, gone) == [DB], "the old relay left nothing to wipe"
    store = RelayStore(tmp_path / DB)
    try:
        store.scrub()
        assert holding(tmp_path, gone) == []
        assert store.mailbox(MAILBOX) is not None
    finally:
        store.close()


def test_a_scrub_never_waits_for_a_reader(tmp_path: Path) -> None:
    """While another process reads the database (an operator's backup), the scrub gives up at
    once instead of holding every request for the busy timeout, and the next one finishes."""
    store = RelayStore(tmp_path / DB)
    store.create_mailbox(MAILBOX, bytes(32), bytes(32))
    store.put(MAILBOX, "e1", 1, b"x" * 10_000, 10**9, 10)
    store.scrub()
    backup = sqlite3.connect(tmp_path / DB, isolation_level=None)
    try:
        backup.execute("BEGIN")
        backup.execute("SELECT count(*) FROM blobs").fetchone()  # holds its snapshot
        store.delete(MAILBOX, "e1")
        started = time.monotonic()
        assert store.scrub() is False
        assert time.monotonic() - started < 1.0, "the scrub waited for the reader"
        backup.execute("COMMIT")
        assert store.scrub() is True
        assert (tmp_path / f"{DB}-wal").stat().st_size == 0
        assert store.scrub() is False, "nothing was deleted since: nothing to do"
    finally:
        backup.close()
        store.close()
