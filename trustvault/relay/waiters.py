"""Long-poll bookkeeping: devices waiting for their partner's next envelope, per mailbox.

Lives in the event loop, so checking the store and registering a waiter happen without a gap in
between (no await); a put that lands after the check always finds the waiter registered.
"""

import asyncio

__all__ = ["Waiters"]


class Waiters:
    def __init__(self) -> None:
        self._waiting: dict[str, dict[asyncio.Future[None], int]] = {}

    async def wait(self, mailbox_id: str, device: int, timeout: float) -> None:
        """Return when the other device of ``mailbox_id`` puts something, or after ``timeout``."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(mailbox_id, {})[future] = device
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            pass
        finally:
            waiting = self._waiting.get(mailbox_id)
            if waiting is not None:
                waiting.pop(future, None)
                if not waiting:
                    del self._waiting[mailbox_id]

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
