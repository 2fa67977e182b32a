"""Two relay processes on one PostgreSQL database, as behind a reverse proxy: a device may reach
either, and a put on one wakes the long-polls held on the other (LISTEN/NOTIFY)."""

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from bench.postgres_cluster import PostgresCluster
from tests.relay.relay_fixture import GENEROUS, RelayServer, make_pair
from trustvault.errors import TransportError
from trustvault.sync.relay_transport import RelayCredentials, RelayTransport

TOKEN = "metrics-token-for-the-tests-0123"
WAIT = 20.0  # far longer than a wake takes: a wake that never comes shows as a long wait


@pytest.fixture
def two_relays(postgres: PostgresCluster, tmp_path: Path) -> Iterator[list[RelayServer]]:
    database = postgres.new_database()
    (tmp_path / "metrics").write_text(TOKEN)
    args = [*GENEROUS, "--metrics-token-file", str(tmp_path / "metrics")]
    servers: list[RelayServer] = []
    try:
        for name in ("a", "b"):
            servers.append(RelayServer(tmp_path / name, args, postgres=database).start())
        yield servers
    finally:
        for server in servers:
            server.stop()


def on(server: RelayServer, creds: RelayCredentials) -> RelayTransport:
    return RelayTransport(RelayCredentials(server.url, creds.mailbox_id, creds.device_credential))


def held_polls(server: RelayServer) -> int:
    page = httpx.get(f"{server.url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text
    (line,) = [x for x in page.splitlines() if x.startswith("trustvault_relay_long_polls ")]
    return int(line.split()[1])


def wait_in_thread(transport: RelayTransport, server: RelayServer) -> dict[str, object]:
    """Start ``transport.wait(WAIT)`` in a thread; return once ``server`` holds the poll."""
    outcome: dict[str, object] = {}

    def run() -> None:
        started = time.monotonic()
        try:
            transport.wait(WAIT)
        except TransportError as exc:
            outcome["error"] = str(exc)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run)
    thread.start()
    outcome["thread"] = thread
    deadline = time.monotonic() + 10
    while held_polls(server) == 0:
        assert time.monotonic() < deadline, "the long-poll never reached the relay"
        time.sleep(0.02)
    return outcome


def test_a_put_on_one_relay_wakes_a_long_poll_on_the_other(two_relays: list[RelayServer]) -> None:
    a, b = two_relays
    inviter, joiner = make_pair(a.url)
    on_a, on_b = on(a, inviter), on(b, joiner)
    try:
        waiting = wait_in_thread(on_b, b)
        on_a.put_many([("env-1", b"sealed one"), ("env-2", b"sealed two")])
        waiting["thread"].join(WAIT + 5)  # type: ignore[attr-defined]
        assert "error" not in waiting
        assert waiting["seconds"] < WAIT / 2  # woken, not timed out
        assert on_b.get_many(on_b.names()) == {"env-1": b"sealed one", "env-2": b"sealed two"}
        # The partner unpairs on A: the device waiting on B hears at once that the mailbox is gone.
        waiting = wait_in_thread(on_b, b)
        on_a.leave()
        waiting["thread"].join(WAIT + 5)  # type: ignore[attr-defined]
        assert waiting["seconds"] < WAIT / 2
        assert "pairing was removed" in str(waiting["error"])
    finally:
        on_a.close()
        on_b.close()


def test_a_call_waiting_on_the_database_holds_up_no_other_device(
    two_relays: list[RelayServer],
) -> None:
    """Store calls run off the relay's event loop: a put stuck behind a row lock (another
    process's transaction on its mailbox) leaves the relay answering every other device."""
    a, _ = two_relays
    stuck_pair, free_pair = make_pair(a.url), make_pair(a.url)
    stuck, free = on(a, stuck_pair[0]), RelayTransport(free_pair[0], timeout=5.0, retry_for=0.0)
    assert a.postgres is not None
    outcome: dict[str, object] = {}
    with psycopg.connect(a.postgres, autocommit=True) as watch, psycopg.connect(a.postgres) as lock:
        lock.execute(
            "SELECT 1 FROM mailboxes WHERE id = %s FOR UPDATE", (stuck_pair[0].mailbox_id,)
        )
        thread = threading.Thread(
            target=lambda: outcome.setdefault("put", stuck.put_many([("env-1", b"sealed")]))
        )
        thread.start()
        deadline = time.monotonic() + 10
        waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        while watch.execute(waiting).fetchone() != (1,):
            assert time.monotonic() < deadline, "the put never reached the lock"
            time.sleep(0.02)
        free.put_many([("env-2", b"other")])  # answered while the put above still waits
        assert free.names() == ["env-2"]
        assert thread.is_alive()
        lock.rollback()  # the lock goes: the stuck put goes through
    thread.join(10)
    assert outcome["put"] == [None]
    assert stuck.names() == ["env-1"]
    stuck.close()
    free.close()
