"""The one place where the core meets Qt: worker threads, vault lifecycle signals, the clipboard.

Every slow call (Argon2id, writes, search over the vault, sync) goes through
:meth:`VaultBridge.run`, :meth:`VaultBridge.read` or :meth:`VaultBridge.write`, which run it on a
single worker thread and deliver the result on the UI thread. One thread is enough and is what
keeps the sqlcipher3 connection safe: the connection is opened with ``check_same_thread=False``
and the bridge guarantees one user at a time.

Locking first emits ``about_to_lock`` while the vault is still open: an editor with unsaved text
keeps it as a draft through :meth:`VaultBridge.write` then, and because the one worker runs jobs
in the order they were queued, that write is done before the close queued after it.

Locking bumps a generation counter: results of jobs started before the lock are dropped on arrival,
so decrypted content computed by a late worker never reaches a widget after the vault was closed.

Damage inside vault.db that opening could not see surfaces later as a ``sqlcipher3.DatabaseError``
from whatever read the broken page; :mod:`ui.failures` turns it into the same one line the CLI
prints (:class:`~trustvault.errors.CorruptFile` naming vault.db), on the worker and, through
its excepthook, for the small reads pages make on the UI thread. (Its names are re-exported here.)
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QMimeData, QObject, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication

from trustvault.errors import TrustVaultError
from ui.failures import (
    UNEXPECTED,
    install_excepthook,
    log_failure,
    register_bridge,
    report_exception,
    user_message,
)
from ui.sync_watcher import SyncWatcher
from ui.unread import UnreadMarks

if TYPE_CHECKING:
    from trustvault.actions import Actions
    from trustvault.queries import Queries
    from trustvault.results import PairStatus, PartnerInfo, SyncResult

__all__ = [
    "CLIPBOARD_SECONDS",
    "UNEXPECTED",
    "SyncFailure",
    "VaultBridge",
    "install_excepthook",
    "report_exception",
    "user_message",
]

T = TypeVar("T")
_SyncOutcome = tuple["SyncResult | None", "PartnerInfo | None", "PairStatus", dict[str, Any] | None]
log = logging.getLogger(__name__)

CLIPBOARD_SECONDS = 30
CONCEALED = "x-kde-passwordManagerHint"
"""The MIME type that marks a copy made through :meth:`VaultBridge.copy_to_clipboard`."""
_LOCKED = "The vault is locked. Unlock it and try again."


def _unpaired() -> PairStatus:
    """``PairStatus.UNPAIRED``, loaded when first asked: :mod:`trustvault.results` defines two
    dozen dataclasses (about a fifth of the PySide6 import), and the bridge is made before the
    unlock screen paints, which needs none of them."""
    from trustvault.results import PairStatus

    return PairStatus.UNPAIRED


@dataclass(frozen=True)
class SyncFailure:
    """What ``sync_status`` carries when a round failed (folder gone, relay down, ...)."""

    message: str


@dataclass
class _Job:
    generation: int
    on_done: Callable[[Any], None] | None
    on_error: Callable[[str], None] | None
    guarded: bool  # drop the result if the vault was locked meanwhile


class VaultBridge(QObject):
    """Owns the open vault's actions (or None) and turns core work into Qt signals.

    Pages write only through :meth:`write` (which hands them the :class:`Actions`, the one door)
    and read through :attr:`queries` or :meth:`read`.
    """

    changed = Signal()
    about_to_lock = Signal()  # the vault is still open: queue what must be kept (drafts)
    locked = Signal()
    unlocked = Signal()
    sync_status = Signal(object)
    error = Signal(str)
    busy = Signal(bool)
    news = Signal(int)  # a sync applied the partner's changes to this many entries
    _finished = Signal(int, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.actions: Actions | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)
        self._jobs: dict[int, _Job] = {}
        self._next_job = 0
        self._generation = 0
        self._partner_names: dict[str, str] = {}
        self._my_name = ""
        self._clipboard_text: str | None = None
        self._clipboard_timer = QTimer(self)
        self._clipboard_timer.setSingleShot(True)
        self._clipboard_timer.timeout.connect(self.clear_clipboard)
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._sync_timer = QTimer(self)
        self._sync_timer.timeout.connect(self.sync_now)
        self._sync_soon = QTimer(self)
        self._sync_soon.setSingleShot(True)
        self._sync_soon.setInterval(400)
        self._sync_soon.timeout.connect(self.sync_now)
        self._watcher = SyncWatcher(self)
        self._watcher.arrived.connect(self.sync_now)
        self._departure = QTimer(self)  # a share's hold ends: sync then, not at the next tick
        self._departure.setSingleShot(True)
        self._departure.timeout.connect(self.sync_now)
        self._syncing = False
        self.partner: PartnerInfo | None = None
        self._pair_status: PairStatus | None = None  # None: UNPAIRED, not read yet
        self.last_sync: SyncResult | SyncFailure | None = None
        self._marks: tuple[str, int, int] | None = None  # Queries.sync_marks() when last shown
        self.unread = UnreadMarks(self)
        register_bridge(self)

    # -- background work -----------------------------------------------------------------

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Run ``fn`` on the worker thread; callbacks on the UI thread.

        A :class:`TrustVaultError` becomes ``on_error(message)`` (default: the ``error`` signal);
        anything else is logged and reported as one apologetic line.
        """
        self._submit(fn, on_done, on_error, guarded=False)

    def write(
        self,
        fn: Callable[[Actions], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Run one action ``fn(actions)`` off the UI thread, then emit ``changed``."""
        actions = self.actions
        if actions is None:
            (on_error or self.error.emit)(_LOCKED)
            return

        def done(result: T) -> None:
            from trustvault.results import Renamed

            if isinstance(result, Renamed):  # a rename shows at once, everywhere
                self._my_name = result.name
            self.changed.emit()
            if self._sync_timer.isActive():
                self._sync_soon.start()  # let the partner see it within seconds
            if on_done is not None:
                on_done(result)

        self._submit(lambda: fn(actions), done, on_error, guarded=True)

    def read(
        self,
        fn: Callable[[Queries], T],
        on_done: Callable[[T], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Run a read over the whole vault (search, statistics) off the UI thread."""
        queries = self.queries
        if queries is None:
            (on_error or self.error.emit)(_LOCKED)
            return
        self._submit(lambda: fn(queries), on_done, on_error, guarded=True)

    def wait_idle(self, msecs: int = 10_000) -> bool:
        """Block until queued work is done (shutdown and tests)."""
        return bool(self._pool.waitForDone(msecs))

    def _submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[str], None] | None,
        *,
        guarded: bool,
    ) -> None:
        self._next_job += 1
        job_id = self._next_job
        self._jobs[job_id] = _Job(self._generation, on_done, on_error, guarded)
        if len(self._jobs) == 1:
            self.busy.emit(True)
        finished = self._finished
        folder = self.queries.folder if self.queries is not None else None

        def task() -> None:
            try:
                result = fn()
            except Exception as exc:
                message = user_message(exc, folder)
                if message is None or not isinstance(exc, TrustVaultError):
                    log_failure(exc, "background task failed")
                finished.emit(job_id, None, message or UNEXPECTED)
            else:
                finished.emit(job_id, result, None)

        self._pool.start(task)

    @Slot(int, object, object)
    def _deliver(self, job_id: int, result: object, message: object) -> None:
        job = self._jobs.pop(job_id, None)
        if not self._jobs:
            self.busy.emit(False)
        if job is None or (job.guarded and job.generation != self._generation):
            return
        if message is not None:
            (job.on_error or self.error.emit)(str(message))
        elif job.on_done is not None:
            job.on_done(result)

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def pair_status(self) -> PairStatus:
        """Where pairing stands, as last read from the open vault (UNPAIRED while locked)."""
        return self._pair_status if self._pair_status is not None else _unpaired()

    @pair_status.setter
    def pair_status(self, status: PairStatus) -> None:
        self._pair_status = status

    @property
    def is_unlocked(self) -> bool:
        return self.actions is not None

    @property
    def queries(self) -> Queries | None:
        """Read-only views of the open vault (None while locked)."""
        return self.actions.queries if self.actions is not None else None

    def open_vault(self, actions: Actions) -> None:
        """Adopt an open vault (just unlocked or created) and tell every page to load."""
        if self.actions is not None:
            self.lock()
        self.actions = actions
        self._my_name = actions.queries.name
        self._load_partner(actions.queries)
        self._marks = actions.queries.sync_marks()
        self.unlocked.emit()
        if self._sync_timer.interval() > 0 and self.pair_status != _unpaired():
            self._sync_timer.start()
            self._sync_soon.start()

    def lock(self) -> None:
        """Drop the vault: pages clear their models now; the database closes after queued writes."""
        if self.actions is None:
            return
        self.about_to_lock.emit()  # writes queued here run before the close queued below
        actions = self.actions
        if actions is None:  # a slot locked already
            return
        self.actions = None
        self._generation += 1
        self._partner_names = {}
        self._my_name = ""
        self.partner = None
        self._pair_status = None
        self.last_sync = None
        self._marks = None
        self.unread.clear()
        self._sync_timer.stop()
        self._sync_soon.stop()
        self._departure.stop()
        self._watcher.stop()
        self._syncing = False  # its callbacks are dropped with this generation
        self.clear_clipboard()
        self._pool.start(actions.close)
        self.locked.emit()

    def shutdown(self) -> None:
        """Lock and wait for the worker, before the application quits."""
        self.lock()
        self.wait_idle()

    # -- sync ----------------------------------------------------------------------------------

    def enable_sync(self, interval_ms: int) -> None:
        """Sync every ``interval_ms`` while unlocked and paired (and shortly after each write)."""
        self._sync_timer.setInterval(interval_ms)
        if self.actions is not None and self.pair_status != _unpaired():
            self._sync_timer.start()

    def paired_changed(self) -> None:
        """Pairing state changed (invite answered, joined, verified): reload partner, sync."""
        if self.actions is None:
            return
        self._load_partner(self.actions.queries)
        if self._sync_timer.interval() > 0 and self.pair_status != _unpaired():
            self._sync_timer.start()
        self.sync_now()

    def sync_now(self) -> None:
        """One sync round on the worker; the outcome arrives as ``sync_status``."""
        actions = self.actions
        if actions is None or self._syncing:
            return
        self._syncing = True
        q = actions.queries
        marks: list[tuple[str, int, int]] = []  # read after the round, whether it failed or not
        after: list[PairStatus] = []  # the same: a failed round may have ended a pairing

        def work() -> _SyncOutcome:
            try:
                if q.pair_status() == _unpaired():
                    return None, None, _unpaired(), None
                result = actions.sync()
                return result, q.partner(), q.pair_status(), q.transport_spec()
            finally:
                with contextlib.suppress(Exception):  # the round's own error is the one to tell
                    marks.append(q.sync_marks())
                    after.append(q.pair_status())

        def done(outcome: _SyncOutcome) -> None:
            self._syncing = False
            result, partner, status, spec = outcome
            self.pair_status = status
            self._watcher.watch(spec if self._sync_timer.isActive() else None)
            moved = self._marks_moved(marks)
            if result is None:
                if moved:
                    self.changed.emit()
                return
            new_partner = partner != self.partner
            self._set_partner(partner)
            self.last_sync = result
            self._schedule_departure(result.next_send)
            self.sync_status.emit(result)
            if result.arrived:
                self.unread.add(result.arrived)  # before the pages reload, so they show it
                self.news.emit(len(result.arrived))
            # A confirmation turns "Sending…" into "Delivered" and ends "Withdrawing…": the rows
            # must say so, not only the Partner page.
            if moved or result.received or result.confirmed or result.paired_now or new_partner:
                self.changed.emit()

        def failed(message: str) -> None:
            self._syncing = False
            if after:  # a wrong pairing code ends the pairing in the round that says so
                self.pair_status = after[-1]
            self.last_sync = SyncFailure(message)
            self.sync_status.emit(self.last_sync)
            # A round can fail after it committed (the partner's receipt applied, then the
            # medium refused a write): what it committed must show now, not after a restart.
            if self._marks_moved(marks):
                self.changed.emit()

        self._submit(work, done, failed, guarded=True)

    def _marks_moved(self, marks: list[tuple[str, int, int]]) -> bool:
        """Whether the exchange moved since the pages last read it (then they must again)."""
        if not marks or marks[-1] == self._marks:
            return False
        self._marks = marks[-1]
        return True

    def _schedule_departure(self, when: str) -> None:
        """Sync again the moment the next share's hold ends (ISO ``when``; "" when none waits),
        so it leaves then rather than at the next timed round."""
        queries = self.queries
        if not when or queries is None or not self._sync_timer.isActive():
            self._departure.stop()
            return
        left = (datetime.fromisoformat(when) - queries.clock()).total_seconds()
        self._departure.start(max(0, math.ceil(left * 1000)) + 100)

    def _load_partner(self, queries: Queries) -> None:
        self.pair_status = queries.pair_status()
        self._set_partner(queries.partner())

    def _set_partner(self, partner: PartnerInfo | None) -> None:
        self.partner = partner
        self._partner_names = {partner.device: partner.name} if partner else {}

    # -- people --------------------------------------------------------------------------

    def people(self) -> dict[str, str]:
        """Device id -> display name: this device now, the partner's once paired."""
        if self.queries is None:
            return {}
        return {**self._partner_names, self.queries.device_id: self._my_name}

    def set_partner_names(self, names: dict[str, str]) -> None:
        """Called by the sync side when it learns the partner's devices and name."""
        self._partner_names = dict(names)

    def name_of(self, device_id: str) -> str:
        return self.people().get(device_id, "Your partner")

    # -- clipboard -----------------------------------------------------------------------

    def copy_to_clipboard(self, text: str, seconds: float = CLIPBOARD_SECONDS) -> None:
        """Copy ``text``; it is wiped after ``seconds`` (and on lock) if still on the clipboard.

        The MIME hints ask clipboard managers (KDE Klipper, Windows clipboard history and its
        cloud sync, macOS pasteboard watchers) not to keep a copy.
        """
        mime = QMimeData()
        mime.setText(text)
        mime.setData(CONCEALED, b"secret")
        mime.setData("ExcludeClipboardContentFromMonitorProcessing", b"1")
        mime.setData("CanIncludeInClipboardHistory", b"\x00\x00\x00\x00")
        mime.setData("CanUploadToCloudClipboard", b"\x00\x00\x00\x00")
        # The name KeePassXC sets and Qt-based clipboard tools look for. Qt's generic converter
        # may still store both under a "com.trolltech.anymime." type on macOS (unverified).
        mime.setData("application/x-nspasteboard-concealed-type", b"")
        mime.setData("org.nspasteboard.ConcealedType", b"")
        QGuiApplication.clipboard().setMimeData(mime)
        self._clipboard_text = text
        self._clipboard_timer.start(round(seconds * 1000))

    @Slot()
    def clear_clipboard(self) -> None:
        """Wipe the clipboard if it still holds what we put there (never someone else's copy)."""
        ours = self._clipboard_text
        if ours is None:
            return
        self._clipboard_text = None
        self._clipboard_timer.stop()
        clipboard = QGuiApplication.clipboard()
        if clipboard.text() == ours:
            clipboard.clear()
