"""Fixtures: a shared relay process per module, and fresh ones for tests that change limits."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bench.postgres_cluster import PostgresCluster
from tests.relay.relay_fixture import GENEROUS, RelayServer, make_pair
from trustvault.sync.relay_transport import RelayCredentials, RelayTransport


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """One throwaway PostgreSQL server per test process; each relay gets its own database."""
    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def relay(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RelayServer]:
    """The relay's test contract runs against each store: the SQLite file and PostgreSQL."""
    database = None
    if request.param == "postgres":
        database = request.getfixturevalue("postgres").new_database()
    server = RelayServer(tmp_path_factory.mktemp("relay") / "data", postgres=database).start()
    yield server
    server.stop()


@pytest.fixture
def start_relay(tmp_path: Path) -> Iterator[Callable[..., RelayServer]]:
    """Start a relay with extra command-line options; every one started is stopped afterwards."""
    started: list[RelayServer] = []

    def start(*args: str, name: str = "data") -> RelayServer:
        server = RelayServer(tmp_path / name, [*GENEROUS, *args]).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def pair(relay: RelayServer) -> tuple[RelayCredentials, RelayCredentials]:
    return make_pair(relay.url)


@pytest.fixture
def transports(
    pair: tuple[RelayCredentials, RelayCredentials],
) -> Iterator[tuple[RelayTransport, RelayTransport]]:
    a, b = RelayTransport(pair[0]), RelayTransport(pair[1])
    yield a, b
    a.close()
    b.close()


@pytest.fixture
def connect() -> Iterator[Callable[..., RelayTransport]]:
    """Open a RelayTransport that is closed after the test."""
    opened: list[RelayTransport] = []

    def open_transport(creds: RelayCredentials, **options: float) -> RelayTransport:
        transport = RelayTransport(creds, **options)
        opened.append(transport)
        return transport

    yield open_transport
    for transport in opened:
        transport.close()
