"""A shared medium that misbehaves the way real file-sync tools and disks do, for schedule tests.

:class:`Medium` is the shared place (a dict of blobs, like one folder); each device talks to it
through its own :class:`FaultyTransport`. Faults are steps a test schedules: the listing comes
back in a random order, blobs are duplicated under new names, dropped (lost), old blobs are
delivered again, puts are lost on the way, and the whole medium is restored from an old snapshot
(a backup or a file-sync tool rolling a folder back). Every blob ever put is archived, so a test
can check afterwards what was ever exposed.
"""

import random
import time

from trustvault.errors import TransportError
from trustvault.sync.transport import valid_name

__all__ = ["FaultyTransport", "Medium"]


class Medium:
    """The blobs both devices see, plus what the faults need to misbehave."""

    def __init__(self, rng: random.Random) -> None:
        self.blobs: dict[str, bytes] = {}
        self.archive: list[tuple[str, bytes]] = []
        self.snapshots: list[dict[str, bytes]] = []
        self.lost_puts = 0
        self.rng = rng

    # -- faults, called by the schedule ---------------------------------------------------

    def duplicate(self) -> None:
        if self.blobs:
            name = self.rng.choice(sorted(self.blobs))
            self.blobs[f"{self.rng.getrandbits(64):016x}dup"] = self.blobs[name]

    def drop(self) -> None:
        if self.blobs:
            del self.blobs[self.rng.choice(sorted(self.blobs))]

    def redeliver(self) -> None:
        if self.archive:
            name, data = self.rng.choice(self.archive)
            self.blobs[name] = data

    def snapshot(self) -> None:
        self.snapshots.append(dict(self.blobs))

    def restore(self) -> None:
        if self.snapshots:
            self.blobs = dict(self.rng.choice(self.snapshots))

    def lose_next_puts(self, count: int) -> None:
        self.lost_puts = count

    def heal(self) -> None:
        """Stop misbehaving (the blobs stay as they are)."""
        self.lost_puts = 0


class FaultyTransport:
    """One device's view of a :class:`Medium`; implements the Transport protocol."""

    def __init__(self, medium: Medium) -> None:
        self.medium = medium

    def put(self, name: str, data: bytes) -> None:
        self._check(name)
        m = self.medium
        m.archive.append((name, bytes(data)))
        if m.lost_puts > 0:
            m.lost_puts -= 1  # the write never reached the other device
            return
        m.blobs[name] = bytes(data)

    def names(self) -> list[str]:
        names = list(self.medium.blobs)
        self.medium.rng.shuffle(names)
        return names

    def get(self, name: str) -> bytes | None:
        self._check(name)
        return self.medium.blobs.get(name)

    def delete(self, name: str) -> None:
        self._check(name)
        self.medium.blobs.pop(name, None)

    def wait(self, timeout: float) -> None:
        time.sleep(min(timeout, 0.01))

    def close(self) -> None:
        return None

    @staticmethod
    def _check(name: str) -> None:
        if not valid_name(name):
            raise TransportError(f"{name!r} is not a valid blob name.")
