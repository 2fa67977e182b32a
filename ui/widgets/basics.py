"""The small widgets every screen is built from: labels, buttons, busy bars, passphrase fields,
cards and banners, a scrolling body, the invite QR image, and the friendly date pages print.

Screens (``ui/pages``, ``ui/dialogs``, the unlock screen and the setup wizard) import these;
nothing here imports a screen. Colours come from the theme's stylesheet (``resources/theme.qss``)
through the ``role`` property and object names, never from here.
"""

import io
from datetime import date, datetime

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui import theme

__all__ = [
    "Banner",
    "Card",
    "belongs_to",
    "busy_bar",
    "button",
    "card_screen",
    "error_label",
    "fill_with_scroll",
    "friendly_day",
    "label",
    "passphrase_field",
    "qr_pixmap",
    "restyle",
    "set_role",
]


# -- text ------------------------------------------------------------------------------------


def belongs_to(widget: QWidget, window: QWidget) -> bool:
    """Whether ``widget`` lives in ``window`` or in one of its dialogs (children by parent)."""
    node: QObject | None = widget
    while node is not None:
        if node is window:
            return True
        node = node.parent()
    return False


def label(text: str = "", role: str = "", *, wrap: bool = True, selectable: bool = False) -> QLabel:
    """A label styled by the theme's ``role`` (``title``, ``subtitle``, ``muted``, ``error``,
    ``ok``); ``selectable`` lets the mouse select it (what pages show, so it can be copied)."""
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role:
        widget.setProperty("role", role)
    return widget


def set_role(widget: QLabel, role: str) -> None:
    """Switch a label's style role after it is shown, and re-apply the theme to it."""
    restyle(widget, "role", role)


def restyle(widget: QWidget, name: str, value: str) -> None:
    """Set a property the stylesheet selects on (``[name="value"]``) and re-apply it."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def error_label() -> QLabel:
    """A hidden, bold line for a field's problem, styled by the theme's ``error`` role."""
    widget = label("", "error", selectable=True)
    font = widget.font()
    font.setBold(True)
    widget.setFont(font)
    widget.setVisible(False)
    return widget


def friendly_day(value: date | str) -> str:
    """``Fri 6 Nov 2026`` for a date, or for the day of a stored date or date-time."""
    if isinstance(value, str):
        if len(value) > 10:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            value = moment.astimezone().date() if moment.tzinfo else moment.date()
        else:
            value = date.fromisoformat(value)
    return f"{value.strftime('%a')} {value.day} {value.strftime('%b %Y')}"


# -- controls --------------------------------------------------------------------------------


def button(text: str, *, name: str = "", icon: str = "", primary: bool = False) -> QPushButton:
    """A push button read aloud as ``name`` (default: its text); ``icon`` names a tinted icon
    that is drawn again in the new colours when the theme switches."""
    widget = QPushButton(text)
    widget.setAccessibleName(name or text)
    if primary:
        widget.setProperty("primary", True)
    if icon:
        theme.follow(widget, lambda: widget.setIcon(theme.icon(icon)))
    return widget


REVEAL_SHORTCUT = "Ctrl+H"
"""Shows or hides the passphrase in the focused field (the eye, from the keyboard), as in
KeePassXC; the eye itself is an action inside the field, which Tab does not visit."""


def passphrase_field(placeholder: str, accessible: str) -> QLineEdit:
    """A password-mode line edit with a show/hide eye, also on :data:`REVEAL_SHORTCUT`."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    field.setAccessibleName(accessible)
    field.setMinimumHeight(36)
    eye = QAction(theme.icon("eye"), "Show passphrase", field)
    eye.setToolTip(f"Show or hide the passphrase ({REVEAL_SHORTCUT})")

    def toggle() -> None:
        hidden = field.echoMode() == QLineEdit.EchoMode.Password
        field.setEchoMode(QLineEdit.EchoMode.Normal if hidden else QLineEdit.EchoMode.Password)
        eye.setIcon(theme.icon("eye-off" if hidden else "eye"))
        eye.setText("Hide passphrase" if hidden else "Show passphrase")

    eye.triggered.connect(toggle)
    field.addAction(eye, QLineEdit.ActionPosition.TrailingPosition)
    field.installEventFilter(_RevealKey(field, eye))
    return field


class _RevealKey(QObject):
    """:data:`REVEAL_SHORTCUT` in the field triggers its eye. A filter, not a QShortcut: the
    line edit claims Ctrl+H for itself (a backspace on some platforms) before shortcuts run."""

    def __init__(self, field: QLineEdit, eye: QAction) -> None:
        super().__init__(field)
        self._eye = eye
        self._key = QKeySequence(REVEAL_SHORTCUT)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            assert isinstance(event, QKeyEvent)
            if QKeySequence(event.keyCombination()) == self._key:
                if event.type() == QEvent.Type.KeyPress:
                    self._eye.trigger()
                event.accept()
                return True
        return False


def busy_bar(accessible: str) -> QProgressBar:
    """A thin, hidden, endless bar to show while slow work (Argon2id) runs."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setFixedHeight(6)
    bar.setAccessibleName(accessible)
    bar.hide()
    return bar


def qr_pixmap(code: str, scale: int = 4) -> QPixmap:
    """``code`` as a QR image (segno writes PNG bytes; nothing touches the disk)."""
    import segno  # only the pairing view draws one: not loaded before the unlock screen

    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=scale, border=2)
    pixmap = QPixmap()
    pixmap.loadFromData(QByteArray(buffer.getvalue()), "PNG")
    return pixmap


# -- layout ----------------------------------------------------------------------------------


class Card(QFrame):
    """A framed group; add to its layout, ``box``. Pages use the soft default; the unlock,
    setup and pairing screens use a ``roomy`` card (more air, rounder corners)."""

    def __init__(self, parent: QWidget | None = None, *, roomy: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("UnlockCard" if roomy else "Card")  # styled in resources/theme.qss
        self.box = QVBoxLayout(self)
        if roomy:
            self.box.setContentsMargins(24, 20, 24, 20)
            self.box.setSpacing(10)
        else:
            self.box.setContentsMargins(16, 14, 16, 14)


def card_screen(owner: QWidget, width: int = 440) -> QVBoxLayout:
    """Centre a roomy card ``width`` wide in ``owner`` (a whole screen) and return its layout."""
    owner.setObjectName("UnlockScreen")
    outer = QVBoxLayout(owner)
    outer.addStretch(1)
    row = QHBoxLayout()
    row.addStretch(1)
    card = Card(roomy=True)
    card.setFixedWidth(width)
    row.addWidget(card)
    row.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)
    card.box.setContentsMargins(32, 28, 32, 28)
    card.box.setSpacing(12)
    return card.box


class Banner(QFrame):
    """A calm, visible notice (a review date passed); hidden while it has nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")  # styled in resources/theme.qss
        self.label = label(selectable=True)
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


def fill_with_scroll(page: QWidget, body: QWidget) -> None:
    """Make ``body`` the whole of ``page``, scrolling (frameless) when the window is short."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(body)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
