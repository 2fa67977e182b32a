"""The look: warm light and dark themes that follow the system colour scheme, and tinted icons.

The stylesheets live in ``resources/light.qss`` and ``resources/dark.qss``; the same colours are
exposed here as :class:`Colors` for code that paints (delegates, charts). Icons are single-colour
SVGs in ``resources/icons`` recoloured at load time, so one file serves both themes.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QDir, QObject, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

import resources

__all__ = [
    "DARK",
    "LIGHT",
    "Colors",
    "Theme",
    "colors",
    "follow",
    "icon",
    "is_dark",
    "kind_color",
    "pixmap",
]

RESOURCES = Path(resources.__file__).resolve().parent
ICONS = RESOURCES / "icons"


@dataclass(frozen=True)
class Colors:
    """Named colours of one theme (hex strings, usable in QSS and QColor)."""

    dark: bool
    window: str
    surface: str
    sidebar: str
    text: str
    muted: str
    border: str
    accent: str
    accent_soft: str
    danger: str
    disclosure: str
    event: str
    agreement: str
    checkin: str
    milestone: str
    mood: str
    safety: str


LIGHT = Colors(
    dark=False, window="#fbf7f2", surface="#ffffff", sidebar="#f3ece3", text="#2f2a26",
    muted="#7a6f66", border="#ece3d8", accent="#5e8c74", accent_soft="#e0ebe3", danger="#b24a3b",
    disclosure="#c77d5b", event="#5e8ca8", agreement="#8a7bb5", checkin="#5e8c74",
    milestone="#c99a2e", mood="#d98e73", safety="#5e8ca8",
)  # fmt: skip
DARK = Colors(
    dark=True, window="#1f1c1a", surface="#2a2623", sidebar="#262220", text="#ede6df",
    muted="#a89c92", border="#36302b", accent="#7fb094", accent_soft="#2f4438", danger="#f08f7f",
    disclosure="#e09a78", event="#86b1cc", agreement="#b0a3d8", checkin="#7fb094",
    milestone="#e3b957", mood="#eba58b", safety="#86b1cc",
)  # fmt: skip


def is_dark() -> bool:
    """True when the system asks for a dark scheme (or, on older platforms, its palette is dark)."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


class _Hub(QObject):
    """Outlives any one :class:`Theme` (tests and ``make_app`` may make several)."""

    changed = Signal()


_hub = _Hub()


class _Follower(QObject):
    """A child of the widget that asked: it (and its connection) goes when the widget goes."""

    def __init__(self, owner: QObject, fn: Callable[[], None]) -> None:
        super().__init__(owner)
        self._fn = fn
        _hub.changed.connect(self.run)

    @Slot()
    def run(self) -> None:
        self._fn()


def follow(owner: QObject, fn: Callable[[], None]) -> None:
    """Call ``fn`` now and after every theme change while ``owner`` lives (tinted icons are
    rendered in the theme's colours, so they must be made again when it switches)."""
    fn()
    _Follower(owner, fn)


class Theme(QObject):
    """Applies the stylesheet and palette, and re-applies them when the system scheme changes."""

    current: Colors = LIGHT
    instance: "Theme | None" = None

    def __init__(self, app: QApplication, forced: str | None = None) -> None:
        super().__init__(app)
        Theme.instance = self
        self._app = app
        self._forced = forced
        app.setStyle("Fusion")
        QDir.addSearchPath("tv", str(ICONS))  # the stylesheets' arrows: url(tv:arrow-down-….svg)
        self.apply()
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: self.apply())

    @property
    def forced(self) -> str | None:
        return self._forced

    def set_forced(self, forced: str | None) -> None:
        """'light', 'dark', or None to follow the system again."""
        self._forced = forced
        self.apply()

    def apply(self) -> None:
        dark = self._forced == "dark" or (self._forced is None and is_dark())
        Theme.current = DARK if dark else LIGHT
        pixmap.cache_clear()
        self._app.setPalette(_palette(Theme.current))
        qss = (RESOURCES / ("dark.qss" if dark else "light.qss")).read_text(encoding="utf-8")
        self._app.setStyleSheet(qss)
        _hub.changed.emit()


def colors() -> Colors:
    return Theme.current


def kind_color(kind: str) -> QColor:
    return QColor(getattr(Theme.current, kind, Theme.current.accent))


@cache
def pixmap(name: str, size: int = 20, color: str | None = None, ratio: float = 2.0) -> QPixmap:
    """Render ``icons/<name>.svg`` in ``color`` (default: the theme's text colour)."""
    svg = (ICONS / f"{name}.svg").read_text(encoding="utf-8")
    svg = svg.replace("#000000", color or Theme.current.text)
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    px = QPixmap(QSize(round(size * ratio), round(size * ratio)))
    px.fill(Qt.GlobalColor.transparent)
    painter = QPainter(px)
    renderer.render(painter, QRectF(0, 0, size * ratio, size * ratio))
    painter.end()
    px.setDevicePixelRatio(ratio)
    return px


def icon(name: str, color: str | None = None, size: int = 20) -> QIcon:
    return QIcon(pixmap(name, size, color))


def _palette(c: Colors) -> QPalette:
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.window,
        QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.surface,
        QPalette.ColorRole.AlternateBase: c.sidebar,
        QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.Button: c.sidebar,
        QPalette.ColorRole.ButtonText: c.text,
        QPalette.ColorRole.Highlight: c.accent,
        QPalette.ColorRole.HighlightedText: c.surface,
        QPalette.ColorRole.ToolTipBase: c.surface,
        QPalette.ColorRole.ToolTipText: c.text,
        QPalette.ColorRole.PlaceholderText: c.muted,
        QPalette.ColorRole.Link: c.accent,
    }
    for role, value in roles.items():
        pal.setColor(role, QColor(value))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(c.muted))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(c.muted))
    return pal
