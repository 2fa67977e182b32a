"""Page wiring that is not a widget: :class:`WhenShown`, reload a page only while it is seen."""

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, SignalInstance
from PySide6.QtWidgets import QWidget

__all__ = ["WhenShown"]


class WhenShown(QObject):
    """Run a page's reload now if the page is on screen, else the next time it is shown.

    Pages that read the whole vault (statistics, every agreement, every check-in) would otherwise
    all reload on every write and every sync, queueing seconds of work on the one vault thread of
    a 100,000-entry vault ahead of the person's next save. Hidden pages just remember to reload.
    """

    def __init__(self, page: QWidget, *reloads: tuple[SignalInstance, Callable[[], None]]) -> None:
        super().__init__(page)
        self._page = page
        self._pending: dict[Callable[[], None], None] = {}
        for signal, reload in reloads:
            signal.connect(lambda *_args, fn=reload: self.request(fn))
        page.installEventFilter(self)

    def request(self, reload: Callable[[], None]) -> None:
        if self._page.isVisible():
            reload()
        else:
            self._pending[reload] = None

    def forget(self) -> None:
        """Drop reloads still waiting (the vault was locked)."""
        self._pending.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._page and event.type() == QEvent.Type.Show and self._pending:
            pending, self._pending = list(self._pending), {}
            for reload in pending:
                reload()
        return False
