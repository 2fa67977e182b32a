"""The window's one application-wide event filter, for the input its watchers need to see.

Every event anywhere in the app passes through each application event filter, and a filter
written in Python costs a call and an enum conversion per event. Three of them (idle lock, global
keys, copy guard) made a theme switch, which re-polishes every widget (about 23,000 events),
take 1.4 s instead of 0.9 s here, and taxed every paint and move the same way. This filter reads
the event type once and calls only the watchers that care: activity for the idle lock, key
presses for the key handlers, in the order given (the first that takes a key stops it).
"""

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QInputEvent, QKeyEvent
from PySide6.QtWidgets import QApplication

__all__ = ["ACTIVITY_EVENTS", "InputFilter", "KeyHandler"]

ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)

KeyHandler = Callable[[QObject, QKeyEvent], bool]
"""Takes a key press (returns True, and nothing else sees it) or lets it pass (False)."""


class InputFilter(QObject):
    """Installed on the application for as long as it lives (or until :meth:`stop`)."""

    def __init__(
        self,
        parent: QObject,
        on_activity: Callable[[], None],
        key_handlers: Sequence[KeyHandler],
    ) -> None:
        super().__init__(parent)
        self._on_activity = on_activity
        self._key_handlers = tuple(key_handlers)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # isinstance first: a C-level check that lets the many non-input events (paint, polish,
        # layout) pass without the costly conversion of their type to a Python enum.
        if not isinstance(event, QInputEvent):
            return False
        kind = event.type()
        if kind not in ACTIVITY_EVENTS:
            return False
        self._on_activity()
        if kind != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        return any(handler(watched, event) for handler in self._key_handlers)

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
