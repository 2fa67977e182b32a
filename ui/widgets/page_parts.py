"""Small pieces the pages share: wrapped labels, a gentle notice banner, cards, a scrolling body,
friendly dates."""

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QEvent, QObject, Qt, SignalInstance
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

__all__ = [
    "Banner",
    "Card",
    "WhenShown",
    "error_label",
    "fill_with_scroll",
    "friendly_day",
    "set_role",
    "text_label",
]


def friendly_day(value: date | str) -> str:
    """``Fri 6 Nov 2026`` for a date, or for the day of a stored date or date-time."""
    if isinstance(value, str):
        if len(value) > 10:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            value = moment.astimezone().date() if moment.tzinfo else moment.date()
        else:
            value = date.fromisoformat(value)
    return f"{value.strftime('%a')} {value.day} {value.strftime('%b %Y')}"


def fill_with_scroll(page: QWidget, body: QWidget) -> None:
    """Make ``body`` the whole of ``page``, scrolling (frameless) when the window is short."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(body)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)


def set_role(label: QLabel, role: str) -> None:
    """Switch a label's style role (``muted``, ``error``, ``ok``, ...) and re-apply the theme."""
    label.setProperty("role", role)
    label.style().unpolish(label)
    label.style().polish(label)


def text_label(text: str = "", role: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role:
        label.setProperty("role", role)
    return label


def error_label() -> QLabel:
    """A hidden line for a field's problem, styled by the theme's ``error`` role."""
    label = text_label("", "error")
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setVisible(False)
    return label


class Card(QFrame):
    """A softly framed group, drawn from palette roles so it suits both themes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.setStyleSheet(
            "#Card { background: palette(base); border: 1px solid palette(midlight);"
            " border-radius: 12px; }"
        )
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(16, 14, 16, 14)


class Banner(QFrame):
    """A calm, visible notice (a review date passed); hidden while it has nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setStyleSheet(
            "#Banner { background: palette(alternate-base); border: 1px solid palette(highlight);"
            " border-left: 5px solid palette(highlight); border-radius: 10px; }"
        )
        self.label = text_label()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 10, 14, 10)
        box.addWidget(self.label)
        self.setVisible(False)

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self.setAccessibleName(text)
        self.setVisible(bool(text))

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()


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
