"""The relay benchmark's correctness pass through the app's own client, :class:`RelayTransport`
(httpx, a thread per device): the same rounds as bench.relay_wire's closed loop, so the client a
user runs is the one that proves zero lost, zero duplicated, zero corrupt."""

import threading
import time
from typing import Any

from bench.relay_wire import BATCH, KINDS, envelope
from trustvault.sync.relay_transport import RelayCredentials, RelayTransport

__all__ = ["Device", "drive_transport"]


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


def drive_transport(specs: list[tuple[str, RelayCredentials, str, int, int]], begin: float
                    ) -> list[Device]:  # fmt: skip
    """Run these devices through RelayTransport, each in a thread, from wall-clock time
    ``begin`` (in a worker process); the devices, once all are done."""
    devices = [Device(*spec) for spec in specs]
    deadline = time.monotonic() + 600
    threads = [threading.Thread(target=d.run, args=(deadline,)) for d in devices]
    time.sleep(max(0.0, begin - time.time()))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return devices
