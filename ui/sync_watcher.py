"""Waiting on the sync medium in the background, so a partner's change shows within a second.

The relay answers a long-poll the moment the partner posts; a folder is polled a few times a
second. The watcher only watches the medium (it never touches the vault: sync rounds stay on the
bridge's single worker) and says ``arrived`` when something changed early, which the bridge turns
into a sync round. The timer-driven sync stays as a fallback.
"""

import threading
import time
from typing import Any

from PySide6.QtCore import QObject, Signal

from trustvault.errors import TrustVaultError

__all__ = ["SyncWatcher"]

WAIT_SECONDS = 20.0


class SyncWatcher(QObject):
    """One background thread per watched medium; ``watch(None)`` or :meth:`stop` ends it."""

    arrived = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._spec: dict[str, Any] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, spec: dict[str, Any] | None) -> None:
        """Watch the medium described by ``spec`` (the pairing's transport spec)."""
        alive = self._thread is not None and self._thread.is_alive()
        if spec == self._spec and alive:
            return
        self.stop()
        if spec is None:
            return
        self._spec = spec
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(spec, self._stop), name="sync-watcher", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end; it does after its current wait (never blocks the UI)."""
        self._stop.set()
        self._spec = None

    def _run(self, spec: dict[str, Any], stop: threading.Event) -> None:
        from trustvault.medium import watch_medium  # the transports: not needed before a sync

        try:
            transport = watch_medium(spec)
        except TrustVaultError:
            return  # the next sync round reports the medium's problem
        try:
            while not stop.is_set():
                started = time.monotonic()
                try:
                    transport.wait(WAIT_SECONDS)
                except TrustVaultError:
                    stop.wait(5.0)
                    continue
                if not stop.is_set() and time.monotonic() - started < WAIT_SECONDS - 0.5:
                    self.arrived.emit()  # queued to the UI thread
                    stop.wait(0.3)  # let the sync round's own writes settle first
        finally:
            transport.close()
