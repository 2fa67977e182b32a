"""Load on real relay processes on loopback: many paired devices posting and fetching at once.

Each of ``clients`` devices (``clients / 2`` pairs) puts ``envelopes`` padded envelopes of ~1 KiB
into its pair's mailbox, as a sync round does: ``BATCH`` at a time in one put-many, then its
partner's envelopes in one listing, one get-many and one delete-many, with no pause between
requests (every device always has one request in flight: a closed loop of ``clients``). At the
end every envelope must have arrived exactly once with its exact bytes: zero lost, zero
duplicated. Prints envelopes delivered per second and latency percentiles per request, timed by
the client from the request's first byte to its answer's last.

The client: the measured pass uses bench.relay_wire, one keep-alive HTTP/1.1 connection per
device on asyncio with hand-built requests (the same routes and JSON bodies as the app's
client), the devices spread over ``workers`` processes (one per core by default). The app's own
client, :class:`RelayTransport` (httpx, a thread per device), then runs a correctness pass at
the same number of clients with ``CHECK_ENVELOPES`` each: zero lost, zero duplicated, and its
figures printed too; its 200 threads cost about twice the relay's CPU per request, which on two
cores measured the client more than the relay. Both share the machine's cores with the relays,
so the figures are what ``clients`` concurrent clients get from the relay on this machine with
the client running beside it.

Two runs: one relay process on SQLite, and two relay processes sharing one PostgreSQL server (a
throwaway cluster from the system's packages with its default durability: bench.postgres_cluster)
with each pair's inviter on one process and joiner on the other, so every delivery crosses
processes and the final waits are woken by NOTIFY.

    python -m bench.relay_load [--clients 200] [--envelopes 100] [--store sqlite|postgres|both]
                               [--client wire|transport|both]
    python -m bench.relay_load --envelopes 500                        # the issue's full load

``relay_benchmark`` is registered as ``relay`` for ``python -m bench --only relay``.
"""

import argparse
import asyncio
import multiprocessing
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench import Figures, Run, benchmark
from bench.postgres_cluster import PostgresCluster
from bench.relay_wire import BATCH, KINDS, WireDevice, envelope
from trustvault.sync.relay_transport import (
    RelayCredentials,
    RelayTransport,
    create_mailbox,
    join_mailbox,
)

__all__ = ["relay_benchmark", "run"]

UNLIMITED = ["--ip-rate", "1e9", "--ip-burst", "1000000000", "--device-rate", "1e9",
             "--device-burst", "1000000000", "--create-rate", "1e9", "--create-burst", "1000000000",
             "--log-level", "warning"]  # fmt: skip
CHECK_ENVELOPES = 25  # per device in the correctness pass through RelayTransport


class Device:
    def __init__(self, label: str, creds: RelayCredentials, partner: str, count: int, size: int):
        self.label, self.partner, self.count, self.size = label, partner, count, size
        self.transport = RelayTransport(creds, timeout=120.0, retry_for=120.0)
        self.mine = {f"{label}-{i:05d}" for i in range(count)}
        self.received: dict[str, int] = {}
        self.corrupt = 0
        self.latency: dict[str, list[float]] = {kind: [] for kind in KINDS}
        self.error: BaseException | None = None

    def _timed(self, kind: str, call: Any, *args: Any) -> Any:
        started = time.perf_counter()
        result = call(*args)
        self.latency[kind].append(time.perf_counter() - started)
        return result

    def _fetch(self) -> None:
        theirs = [n for n in self._timed("names", self.transport.names) if n not in self.mine]
        if not theirs:
            return
        found = self._timed("get_many", self.transport.get_many, theirs)
        for name, data in found.items():
            self.received[name] = self.received.get(name, 0) + 1
            index = int(name.rsplit("-", 1)[1])
            if data != envelope(self.partner, index, self.size):
                self.corrupt += 1
        self._timed("delete_many", self.transport.delete_many, list(found))

    def run(self, deadline: float) -> None:
        try:
            for start in range(0, self.count, BATCH):
                items = [(f"{self.label}-{i:05d}", envelope(self.label, i, self.size))
                         for i in range(start, min(start + BATCH, self.count))]  # fmt: skip
                refused = [r for r in self._timed("put_many", self.transport.put_many, items) if r]
                if refused:
                    raise refused[0]
                self._fetch()
            while len(self.received) < self.count and time.monotonic() < deadline:
                self.transport.wait(1.0)
                self._fetch()
        except BaseException as exc:  # reported in the summary, not swallowed
            self.error = exc
        finally:
            self.transport.close()


Spec = tuple[str, RelayCredentials, str, int, int]  # label, credentials, partner, count, size


@dataclass
class Report:
    """What one device saw, sent back from its worker process."""

    label: str
    received: dict[str, int]
    corrupt: int
    latency: dict[str, list[float]]
    error: str | None
    finished: float


def _reports(devices: "list[Device] | list[WireDevice]", end: float) -> list[Report]:
    return [
        Report(d.label, d.received, d.corrupt, d.latency, repr(d.error) if d.error else None, end)
        for d in devices
    ]


def _drive(specs: list[Spec], begin: float) -> list[Report]:
    """Run these devices through RelayTransport, each in a thread, from wall-clock time
    ``begin`` (a worker process)."""
    devices = [Device(*spec) for spec in specs]
    deadline = time.monotonic() + 600
    threads = [threading.Thread(target=d.run, args=(deadline,)) for d in devices]
    time.sleep(max(0.0, begin - time.time()))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return _reports(devices, time.time())


def _drive_wire(specs: list[Spec], begin: float) -> list[Report]:
    """Run these devices through the light client, on one event loop (a worker process)."""
    devices = [WireDevice(*spec) for spec in specs]

    async def everyone() -> None:
        deadline = time.monotonic() + 600
        await asyncio.sleep(max(0.0, begin - time.time()))
        await asyncio.gather(*(d.run(deadline) for d in devices))

    asyncio.run(everyone())
    return _reports(devices, time.time())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_relay(store: list[str]) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "trustvault.relay.server", "--port", str(port),
               *store, *UNLIMITED]  # fmt: skip
    process = subprocess.Popen(command)
    for _ in range(400):
        try:
            if httpx.get(f"{url}/v1/health", timeout=1.0).is_success:
                return process, url
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("relay did not start")


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process used so far; 0 where /proc is not there."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def run(
    clients: int = 200,
    envelopes: int = 100,
    size: int = 1024,
    say: Callable[[str], None] = print,
    scratch: Path | None = None,
    store: str = "sqlite",
    workers: int = 2,
    client: str = "wire",
) -> dict[str, Any]:
    """Run the load once against fresh relays (``store``: "sqlite", one process, or
    "postgres", two processes on one database) with ``client`` ("wire": bench.relay_wire,
    "transport": RelayTransport); returns the figures (and prints them)."""
    if clients % 2:
        raise ValueError("clients come in pairs")
    workdir = Path(tempfile.mkdtemp(prefix="tv-relay-load-", dir=scratch))
    cluster: PostgresCluster | None = None
    processes: list[subprocess.Popen[bytes]] = []
    try:
        urls: list[str] = []
        stores = [["--data", str(workdir / "data")]]
        if store == "postgres":
            cluster = PostgresCluster(durable=True).start()
            stores = [["--postgres", cluster.new_database()]] * 2
        for args in stores:  # one after the other: the first creates the tables
            process, url = _start_relay(args)
            processes.append(process)
            urls.append(url)

        def pair(p: int) -> list[Spec]:
            token = os.urandom(32)
            a = create_mailbox(urls[0], token)
            b = join_mailbox(urls[-1], a.mailbox_id, token)  # on the other process, if two
            return [(f"p{p}a", a, f"p{p}b", envelopes, size),
                    (f"p{p}b", b, f"p{p}a", envelopes, size)]  # fmt: skip

        with ThreadPoolExecutor(8) as pool:  # pairing is setup, not measured
            specs = [spec for two in pool.map(pair, range(clients // 2)) for spec in two]
        # The devices run in ``workers`` processes (threads of one process would share one
        # core and its GIL); all start at one agreed moment, after their imports.
        begin = time.time() + 3.0
        shares = [specs[i::workers] for i in range(workers)]
        context = multiprocessing.get_context("spawn")
        drive = _drive_wire if client == "wire" else _drive
        relay_cpu = -sum(_cpu_seconds(p.pid) for p in processes)  # from here: the load alone
        client_cpu = -_children_cpu_seconds()
        with context.Pool(workers) as procs:
            reports = [
                r for share in procs.starmap(drive, [(x, begin) for x in shares]) for r in share
            ]
        elapsed = max(r.finished for r in reports) - begin
        relay_cpu += sum(_cpu_seconds(p.pid) for p in processes)
        client_cpu += _children_cpu_seconds()  # the pool's processes, reaped by now
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    devices = reports
    expected = clients * envelopes
    delivered = sum(len(d.received) for d in devices)
    duplicated = sum(n - 1 for d in devices for n in d.received.values())
    latencies = {k: [x for d in devices for x in d.latency[k]] for k in devices[0].latency}
    everything = [x for v in latencies.values() for x in v]
    requests = len(everything)
    result: dict[str, Any] = {
        "store": store,
        "client": client,
        "relay_processes": len(urls),
        "clients": clients,
        "envelopes_per_client": envelopes,
        "envelope_bytes": size,
        "seconds": round(elapsed, 2),
        "delivered": delivered,
        "lost": expected - delivered,
        "duplicated": duplicated,
        "corrupt": sum(d.corrupt for d in devices),
        "errors": [f"{d.label}: {d.error}" for d in devices if d.error][:5],
        "client_processes": workers,
        "envelopes_per_second": round(delivered / elapsed, 1),
        "requests_per_second": round(requests / elapsed, 1),
        "relay_cpu_ms_per_request": round(relay_cpu * 1000 / max(requests, 1), 2),
        "client_cpu_ms_per_request": round(client_cpu * 1000 / max(requests, 1), 2),
        "p99_all_ms": round(_percentile(everything, 0.99) * 1000, 1),
        "p50_ms": {k: round(_percentile(v, 0.50) * 1000, 1) for k, v in latencies.items()},
        "p99_ms": {k: round(_percentile(v, 0.99) * 1000, 1) for k, v in latencies.items()},
    }
    say(
        f"relay load ({store}, {len(urls)} relay process{'es' if len(urls) > 1 else ''}, "
        f"client {client} in {workers} processes): "
        f"{clients} clients x {envelopes} envelopes of {size} B in {elapsed:.1f}s\n"
        f"  delivered {delivered}/{expected}, lost {result['lost']}, duplicated {duplicated}, "
        f"corrupt {result['corrupt']}, client errors {len(result['errors'])}\n"
        f"  throughput {result['envelopes_per_second']} envelopes/s delivered, "
        f"{result['requests_per_second']} requests/s, p99 of all requests "
        f"{result['p99_all_ms']} ms; CPU per request: relay "
        f"{result['relay_cpu_ms_per_request']} ms, "
        f"client {result['client_cpu_ms_per_request']} ms\n"
        f"  latency p50 {result['p50_ms']} ms\n  latency p99 {result['p99_ms']} ms"
    )
    for line in result["errors"]:
        say(f"  error {line}")
    return result


def _clean(result: dict[str, Any]) -> bool:
    return result["lost"] == result["duplicated"] == result["corrupt"] == 0 and not result["errors"]


@benchmark("relay")
def relay_benchmark(bench_run: Run) -> Figures:
    """Issue 16 point 6 at the default scale: SQLite, then two processes on PostgreSQL; each
    measured with the light client, then checked through RelayTransport."""
    figures: Figures = {}
    for store in ("sqlite", "postgres"):
        result = run(say=bench_run.say, scratch=bench_run.folder, store=store)
        check = run(envelopes=CHECK_ENVELOPES, say=bench_run.say, scratch=bench_run.folder,
                    store=store, client="transport")  # fmt: skip
        figures |= {
            f"{store}_seconds": result["seconds"],
            f"{store}_lost": result["lost"],
            f"{store}_duplicated": result["duplicated"],
            f"{store}_corrupt": result["corrupt"],
            f"{store}_client_errors": len(result["errors"]),
            f"{store}_envelopes_per_second": result["envelopes_per_second"],
            f"{store}_requests_per_second": result["requests_per_second"],
            f"{store}_relay_cpu_ms_per_request": result["relay_cpu_ms_per_request"],
            f"{store}_p99_ms": result["p99_all_ms"],
            **{f"{store}_p99_{kind}_ms": v for kind, v in result["p99_ms"].items()},
            f"{store}_transport_pass_clean": int(_clean(check)),
            f"{store}_transport_envelopes_per_second": check["envelopes_per_second"],
            f"{store}_transport_p99_ms": check["p99_all_ms"],
        }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--envelopes", type=int, default=100)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--client",
        choices=["wire", "transport", "both"],
        default="both",
        help="the light client (measured), RelayTransport (checked), or both",
    )
    parser.add_argument("--client-processes", type=int, default=2, help="processes of clients")
    args = parser.parse_args(argv)
    ok = True
    for store in ("sqlite", "postgres") if args.store == "both" else (args.store,):
        for client in ("wire", "transport") if args.client == "both" else (args.client,):
            envelopes = args.envelopes
            if client == "transport" and args.client == "both":
                envelopes = min(envelopes, CHECK_ENVELOPES)
            result = run(args.clients, envelopes, args.size, store=store,
                         workers=args.client_processes, client=client)  # fmt: skip
            ok = ok and _clean(result)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
