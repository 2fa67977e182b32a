"""Load on real relay processes on loopback: many paired devices putting and fetching at once.

Two loads, each against fresh relays, and what each figure means:

- Throughput (closed loop, ``run(rate=None)``): each of ``clients`` devices (``clients / 2``
  pairs) puts ``envelopes`` padded envelopes of ~1 KiB into its pair's mailbox, as a sync round
  does: ``BATCH`` at a time in one put-many, then its partner's envelopes in one listing, one
  get-many and one delete-many, with no pause between requests: every device always has one
  request in flight, so the relay is saturated. ``envelopes_per_second`` (delivered over the
  run's wall time) is the most this machine's relay delivers; the latencies of this run are
  queueing at saturation (``clients`` requests always waiting), printed but not the latency a
  user sees.
- Latency (open loop, ``run(rate=R)``; bench.relay_open): the same devices, requests and batch,
  but each device puts one batch every ``BATCH * clients / R`` seconds on a fixed schedule for
  ``seconds``, so the relay is offered ``R`` envelopes/s in all whatever its answers' speed, and
  fetches its partner's on a second connection (listing, get-many, delete-many, the long-poll
  when nothing is there). ``put p50/p99`` is each put-many from when it was DUE to its answer
  (a late start counts: no coordinated omission); ``delivery p50/p99`` is each envelope from its
  put's due time to the partner's get-many answer holding it (through the long-poll's wake-up).
  The issue's figure reads these at R = 1,500 (and 2,000) envelopes/s.

In both, every envelope must arrive exactly once with its exact bytes: zero lost, zero
duplicated, zero corrupt. Fetch requests (listing, get-many, delete-many) are timed from their
first byte to their answer's last.

The client: the measured runs use bench.relay_wire, keep-alive HTTP/1.1 connections on asyncio
with hand-built requests (the same routes and JSON bodies as the app's client), the devices
spread over ``workers`` processes. The app's own client, :class:`RelayTransport` (httpx, a thread
per device; bench.relay_checked), then runs a correctness pass at the same number of clients with
``CHECK_ENVELOPES`` each; its 200 threads cost about twice the relay's CPU per request, so it
checks rather than measures. Clients and relays share the machine's cores: the figures are what
``clients`` concurrent clients get from the relay on this machine with the client beside it.

Each load runs on one relay process on SQLite, and on two relay processes sharing one PostgreSQL
server (a throwaway cluster from the system's packages with its default durability:
bench.postgres_cluster) with each pair's inviter on one process and joiner on the other, so every
delivery crosses processes and the long-polls are woken by NOTIFY.

    python -m bench.relay_load [--clients 200] [--envelopes 100] [--store sqlite|postgres|both]
                               [--client wire|transport|both] [--rate 1500 --rate 2000]
                               [--seconds 15]
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
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from bench import Figures, Run, benchmark
from bench.postgres_cluster import PostgresCluster
from bench.relay_checked import Device, drive_transport
from bench.relay_open import OpenDevice
from bench.relay_wire import BATCH, WireDevice
from trustvault.sync.relay_transport import RelayCredentials, create_mailbox, join_mailbox

__all__ = ["relay_benchmark", "run"]

UNLIMITED = ["--ip-rate", "1e9", "--ip-burst", "1000000000", "--device-rate", "1e9",
             "--device-burst", "1000000000", "--create-rate", "1e9", "--create-burst", "1000000000",
             "--log-level", "warning"]  # fmt: skip
CHECK_ENVELOPES = 25  # per device in the correctness pass through RelayTransport


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


def _reports(devices: "list[Device] | list[WireDevice] | list[OpenDevice]", end: float
             ) -> list[Report]:  # fmt: skip
    return [
        Report(d.label, d.received, d.corrupt, d.latency, repr(d.error) if d.error else None, end)
        for d in devices
    ]


def _drive_transport(specs: list[Spec], begin: float) -> list[Report]:
    return _reports(drive_transport(specs, begin), time.time())


def _drive_wire(specs: list[Spec], begin: float, interval: float = 0.0) -> list[Report]:
    """Run these devices through the light client, on one event loop (a worker process): a
    closed loop, or with an ``interval`` the open loop putting a batch every ``interval`` s."""
    devices: list[WireDevice] | list[OpenDevice] = (
        [OpenDevice(*spec, begin=begin, interval=interval, batch=BATCH) for spec in specs]
        if interval
        else [WireDevice(*spec) for spec in specs]
    )

    async def everyone() -> None:
        deadline = time.monotonic() + 600
        await asyncio.gather(*(d.connect() for d in devices))  # not timed: before ``begin``
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
    rate: float | None = None,
    seconds: float = 15.0,
) -> dict[str, Any]:
    """Run one load against fresh relays (``store``: "sqlite", one process, or "postgres", two
    processes on one database) with ``client`` ("wire": bench.relay_wire, "transport":
    RelayTransport): the closed loop of ``envelopes`` per device, or with a ``rate`` the open
    loop offering ``rate`` envelopes/s in all for ``seconds``; returns the figures (and prints
    them)."""
    if clients % 2:
        raise ValueError("clients come in pairs")
    interval = 0.0
    if rate is not None:  # whole batches, as many as fit in ``seconds`` at the rate
        interval = BATCH * clients / rate
        envelopes = BATCH * max(1, round(seconds / interval))
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
        jobs: list[tuple[Any, ...]] = [(x, begin) for x in shares]
        if client == "transport":
            drive: Callable[..., list[Report]] = _drive_transport
        else:
            drive = _drive_wire
            jobs = [(x, begin, interval) for x in shares]
        relay_cpu = -sum(_cpu_seconds(p.pid) for p in processes)  # from here: the load alone
        client_cpu = -_children_cpu_seconds()
        with context.Pool(workers) as procs:
            reports = [r for share in procs.starmap(drive, jobs) for r in share]
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

    result = _summary(reports, clients * envelopes, elapsed, relay_cpu, client_cpu)
    result |= {"store": store, "client": client, "relay_processes": len(urls),
               "clients": clients, "envelopes_per_client": envelopes, "envelope_bytes": size,
               "client_processes": workers, "offered_envelopes_per_second": rate}  # fmt: skip
    loop = f"open loop offering {rate:g} envelopes/s" if rate else "closed loop"
    say(
        f"relay load, {loop} ({store}, {len(urls)} relay process{'es' if len(urls) > 1 else ''}, "
        f"client {client} in {workers} processes): "
        f"{clients} clients x {envelopes} envelopes of {size} B in {elapsed:.1f}s\n"
        f"  delivered {result['delivered']}/{clients * envelopes}, lost {result['lost']}, "
        f"duplicated {result['duplicated']}, corrupt {result['corrupt']}, "
        f"client errors {len(result['errors'])}\n"
        f"  {result['envelopes_per_second']} envelopes/s delivered, "
        f"{result['requests_per_second']} requests/s, p99 of all requests "
        f"{result['p99_all_ms']} ms; CPU per request: relay "
        f"{result['relay_cpu_ms_per_request']} ms, "
        f"client {result['client_cpu_ms_per_request']} ms\n"
        f"  latency p50 {result['p50_ms']} ms\n  latency p99 {result['p99_ms']} ms"
    )
    for line in result["errors"]:
        say(f"  error {line}")
    return result


def _summary(
    devices: list[Report], expected: int, elapsed: float, relay_cpu: float, client_cpu: float
) -> dict[str, Any]:
    """Counts and latencies over every device's report; ``expected`` envelopes were put."""
    delivered = sum(len(d.received) for d in devices)
    duplicated = sum(n - 1 for d in devices for n in d.received.values())
    latencies = {k: [x for d in devices for x in d.latency[k]] for k in devices[0].latency}
    requests = [x for k, v in latencies.items() if k != "delivery" for x in v]
    return {
        "seconds": round(elapsed, 2),
        "delivered": delivered,
        "lost": expected - delivered,
        "duplicated": duplicated,
        "corrupt": sum(d.corrupt for d in devices),
        "errors": [f"{d.label}: {d.error}" for d in devices if d.error][:5],
        "envelopes_per_second": round(delivered / elapsed, 1),
        "requests_per_second": round(len(requests) / elapsed, 1),
        "relay_cpu_ms_per_request": round(relay_cpu * 1000 / max(len(requests), 1), 2),
        "client_cpu_ms_per_request": round(client_cpu * 1000 / max(len(requests), 1), 2),
        "p99_all_ms": round(_percentile(requests, 0.99) * 1000, 1),
        "p50_ms": {k: round(_percentile(v, 0.50) * 1000, 1) for k, v in latencies.items()},
        "p99_ms": {k: round(_percentile(v, 0.99) * 1000, 1) for k, v in latencies.items()},
    }


def _clean(result: dict[str, Any]) -> bool:
    return result["lost"] == result["duplicated"] == result["corrupt"] == 0 and not result["errors"]


RATES = (1500.0, 2000.0)  # the open loop's offered envelopes/s: the figure, and above


@benchmark("relay")
def relay_benchmark(bench_run: Run) -> Figures:
    """Issue 16 point 6 at the default scale, on SQLite and then on two processes sharing
    PostgreSQL (``<store>`` below): the closed loop's throughput, the open loop's latencies at
    each of :data:`RATES` (``<r>``), and the correctness pass through RelayTransport.

    ``<store>_throughput_envelopes_per_second``  the closed loop's delivered envelopes/s: the most
        the relay delivers here (``_requests_per_second``, ``_relay_cpu_ms_per_request`` alike)
    ``<store>_saturated_p99_ms``  the closed loop's p99 of all requests: queueing at saturation
    ``<store>_at<r>_put_p50_ms``, ``_put_p99_ms``  offering ``r`` envelopes/s: put-many from its
        due time to its answer
    ``<store>_at<r>_delivery_p50_ms``, ``_delivery_p99_ms``  an envelope from its put's due time
        to the partner's get-many answer holding it
    ``<store>_at<r>_envelopes_per_second``  delivered of the ``r`` offered (short: overloaded)
    ``<store>_[at<r>_]lost``, ``_duplicated``, ``_corrupt``, ``_client_errors``  each must be 0
    ``<store>_transport_pass_clean``  1 when the RelayTransport pass lost, doubled and broke none
    """
    figures: Figures = {}
    for store in ("sqlite", "postgres"):
        load = partial(run, say=bench_run.say, scratch=bench_run.folder, store=store)
        loads = {"": load()}
        for rate in RATES:
            loads[f"at{rate:.0f}_"] = load(rate=rate)
        check = load(envelopes=CHECK_ENVELOPES, client="transport")
        closed = loads[""]
        figures |= {
            f"{store}_throughput_envelopes_per_second": closed["envelopes_per_second"],
            f"{store}_throughput_requests_per_second": closed["requests_per_second"],
            f"{store}_relay_cpu_ms_per_request": closed["relay_cpu_ms_per_request"],
            f"{store}_saturated_p99_ms": closed["p99_all_ms"],
        }
        for key, result in loads.items():
            figures |= {
                f"{store}_{key}lost": result["lost"],
                f"{store}_{key}duplicated": result["duplicated"],
                f"{store}_{key}corrupt": result["corrupt"],
                f"{store}_{key}client_errors": len(result["errors"]),
            }
            if key:
                figures |= {
                    f"{store}_{key}envelopes_per_second": result["envelopes_per_second"],
                    f"{store}_{key}put_p50_ms": result["p50_ms"]["put_many"],
                    f"{store}_{key}put_p99_ms": result["p99_ms"]["put_many"],
                    f"{store}_{key}delivery_p50_ms": result["p50_ms"]["delivery"],
                    f"{store}_{key}delivery_p99_ms": result["p99_ms"]["delivery"],
                    f"{store}_{key}p99_all_requests_ms": result["p99_all_ms"],
                }
        figures |= {
            f"{store}_transport_pass_clean": int(_clean(check)),
            f"{store}_transport_envelopes_per_second": check["envelopes_per_second"],
        }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--envelopes", type=int, default=100, help="per device, closed loop")
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--client",
        choices=["wire", "transport", "both"],
        default="both",
        help="the light client (measured), RelayTransport (checked), or both",
    )
    parser.add_argument("--client-processes", type=int, default=2, help="processes of clients")
    parser.add_argument(
        "--rate",
        type=float,
        action="append",
        help="open-loop envelopes/s "
        f"offered, repeatable (default {', '.join(f'{r:g}' for r in RATES)})",
    )
    parser.add_argument("--seconds", type=float, default=15.0, help="each open-loop run")
    parser.add_argument("--no-closed", action="store_true", help="only the open-loop runs")
    args = parser.parse_args(argv)
    ok = True
    for store in ("sqlite", "postgres") if args.store == "both" else (args.store,):
        for client in ("wire", "transport") if args.client == "both" else (args.client,):
            envelopes = args.envelopes
            if client == "transport" and args.client == "both":
                envelopes = min(envelopes, CHECK_ENVELOPES)
            load = partial(run, args.clients, envelopes, args.size, store=store,
                           workers=args.client_processes, client=client)  # fmt: skip
            if not (args.no_closed and client == "wire"):
                ok = _clean(load()) and ok
            if client == "wire":
                for rate in args.rate or RATES:
                    ok = _clean(load(rate=rate, seconds=args.seconds)) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
