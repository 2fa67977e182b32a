"""A shared medium that misbehaves the way real file-sync tools and disks do, for schedule tests.

:class:`Medium` is the shared place (a dict of blobs, like one folder); each device talks to it
through its own :class:`FaultyTransport`, the real in-memory transport wrapped. Faults are steps
a test schedules: the listing comes back in a random order, blobs are duplicated under new names,
dropped (lost), old blobs are delivered again, puts are lost on the way, and the whole medium is
restored from an old snapshot (a backup, or a file-sync tool rolling a folder back). Every blob
ever put is archived, so a test can check afterwards what was ever exposed.
"""

import random

from trustvault.sync.memory_transport import MemoryTransport

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
            old = self.rng.choice(self.snapshots)
            self.blobs.clear()  # in place: every device's MemoryTransport shares this dict
            self.blobs.update(old)

    def lose_next_puts(self, count: int) -> None:
        self.lost_puts = count

    def heal(self) -> None:
        """Stop misbehaving (the blobs stay as they are)."""
        self.lost_puts = 0


class FaultyTransport(MemoryTransport):
    """One device's view of a :class:`Medium`: the real in-memory transport over the medium's
    blobs, with puts that may be lost and listings in a random order."""

    def __init__(self, medium: Medium) -> None:
        super().__init__(medium.blobs)
        self.medium = medium

    def put(self, name: str, data: bytes) -> None:
        self._check(name)
        self.medium.archive.append((name, bytes(data)))
        if self.medium.lost_puts > 0:
            self.medium.lost_puts -= 1  # the write never reached the other device
            return
        super().put(name, data)

    def names(self) -> list[str]:
        names = super().names()
        self.medium.rng.shuffle(names)
        return names
