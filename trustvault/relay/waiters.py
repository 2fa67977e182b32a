"""Long-poll bookkeeping: devices waiting for their partner's next envelope, per mailbox.

Lives in the event loop. A long-poll is registered (:meth:`Waiters.poll`) before the store is
checked, and the check runs off the loop: a put that commits during the check, or after it,
finds the poll registered and wakes it, so none is missed.

Each device may hold at most ``per_device`` long-polls open at once: a held request costs the
relay a socket and memory for up to the longest wait, and the request rate limit alone would let
one credential park thousands of them. Two are normal (a poll and its overlapping successor).
"""

import asyncio
import contextlib
from collections.abc import Iterator

__all__ = ["Poll", "Waiters"]


class Poll:
    """One held long-poll: woken by a put (or a deletion), or over at its deadline."""

    def __init__(self, future: "asyncio.Future[None]", deadline: float) -> None:
        self._future, self._deadline = future, deadline

    async def wait(self) -> None:
        """Return once woken, or at the deadline (at once if either already happened)."""
        remaining = self._deadline - asyncio.get_running_loop().time()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._future, max(remaining, 0.0))


class Waiters:
    def __init__(self, per_device: int = 4) -> None:
        self.per_device = per_device
        self._waiting: dict[str, dict[asyncio.Future[None], int]] = {}
        self._open: dict[tuple[str, int], list[float]] = {}  # (mailbox, device) -> poll deadlines

    def count(self) -> int:
        """Long-polls held open now, all devices."""
        return sum(len(polls) for polls in self._open.values())

    def held(self, mailbox_id: str, device: int) -> int:
        """How many long-polls ``device`` holds open now."""
        return len(self._open.get((mailbox_id, device), ()))

    def busy(self, mailbox_id: str, device: int) -> float:
        """0 when ``device`` may open another long-poll, else the seconds until one of its open
        polls ends at the latest (for ``Retry-After``)."""
        deadlines = self._open.get((mailbox_id, device), [])
        if len(deadlines) < self.per_device:
            return 0.0
        return max(min(deadlines) - asyncio.get_running_loop().time(), 0.001)

    @contextlib.contextmanager
    def poll(self, mailbox_id: str, device: int, timeout: float) -> Iterator["Poll"]:
        """Hold a long-poll of ``device`` open for up to ``timeout`` seconds, registered from
        the moment this is entered: check the store inside, then :meth:`Poll.wait`. A put that
        commits while the check is still running (off the event loop) wakes it all the same."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        self._waiting.setdefault(mailbox_id, {})[future] = device
        deadline = loop.time() + timeout
        polls = self._open.setdefault((mailbox_id, device), [])
        polls.append(deadline)
        try:
            yield Poll(future, deadline)
        finally:
            polls.remove(deadline)
            if not polls:
                self._open.pop((mailbox_id, device), None)
            waiting = self._waiting.get(mailbox_id)
            if waiting is not None:
                waiting.pop(future, None)
                if not waiting:
                    del self._waiting[mailbox_id]

    async def wait(self, mailbox_id: str, device: int, timeout: float) -> None:
        """Return when the other device of ``mailbox_id`` puts something, or after ``timeout``."""
        with self.poll(mailbox_id, device, timeout) as poll:
            await poll.wait()

    def notify(self, mailbox_id: str, author: int) -> None:
        """Wake the devices of ``mailbox_id`` other than ``author``."""
        for future, device in list(self._waiting.get(mailbox_id, {}).items()):
            if device != author and not future.done():
                future.set_result(None)

    def wake_all(self, mailbox_id: str) -> None:
        for future in list(self._waiting.get(mailbox_id, {})):
            if not future.done():
                future.set_result(None)

    def wake_everyone(self) -> None:
        for mailbox_id in list(self._waiting):
            self.wake_all(mailbox_id)
