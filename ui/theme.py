"""The look: warm light and dark themes that follow the system colour scheme, and tinted icons.

Every colour of the app is defined here, once per theme, in :data:`LIGHT` and :data:`DARK`.
The stylesheet is ``resources/theme.qss`` with ``${name}`` where a palette colour goes, filled in
by :func:`stylesheet`; code that paints (delegates, charts) reads :func:`colors` or the QPalette
made from the same values. Icons are single-colour SVGs in ``resources/icons`` drawn in ``#000000``
and recoloured at load time, so one file serves both themes. Nothing else under ``ui/`` writes a
colour (``tests/ui/test_colours_once.py`` checks).
"""

import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from string import Template

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
    "stylesheet",
    "tinted_svg",
]

RESOURCES = Path(resources.__file__).resolve().parent
ICONS = RESOURCES / "icons"
_INK = "#000000"  # the one colour every icon is drawn in, replaced when it is loaded


@dataclass(frozen=True)
class Colors:
    """Named colours of one theme (hex strings, usable in QSS and QColor)."""

    dark: bool
    # surfaces
    window: str  # behind everything
    surface: str  # fields, lists, cards
    sidebar: str  # the sidebar, menu bar, buttons and banners
    alternate: str  # every other row of a list
    strip: str  # table headers, the status bar
    popup: str  # menus and tooltips
    hover: str  # under the pointer
    pressed: str  # a button held down
    selection: str  # selected text
    trough: str  # the empty part of a progress bar
    scrollbar: str  # a scroll bar's handle
    disabled_fill: str  # a disabled button
    # lines
    border: str  # lists, headers
    card_border: str  # the unlock, setup and pairing cards
    control_border: str  # fields and buttons
    popup_border: str  # menus and tooltips
    sidebar_border: str  # between the sidebar (and menu bar) and the page
    invalid_border: str  # a field whose value was refused
    midlight: str  # QPalette.Midlight: the edge of the pages' cards
    mid: str  # QPalette.Mid: grid lines of the month and the charts (drawn at about 35%)
    # text
    text: str
    muted: str  # captions, hints, the drop-down arrows
    sidebar_text: str  # sidebar items not chosen
    button_text: str
    disabled_text: str
    ok: str  # "Saved", "Verified"
    danger: str  # errors, a changed safety number
    # the accent (sage)
    accent: str  # primary buttons, focus, the chosen item
    accent_hover: str
    accent_border: str  # around a primary button
    accent_disabled: str  # a disabled primary button
    accent_soft: str  # behind the chosen sidebar item, list row or chip
    on_accent: str  # text on the accent
    on_accent_soft: str  # text on accent_soft in the sidebar
    on_new_button: str  # the New button's text and icon (a shade darker than on_accent in dark)
    # one colour per kind of entry, for badges, calendar chips and chart lines
    disclosure: str
    event: str
    agreement: str
    checkin: str
    milestone: str
    question: str
    headsup: str
    trigger: str
    anniversary: str
    mood: str
    safety: str


LIGHT = Colors(
    dark=False,
    window="#fbf7f2", surface="#ffffff", sidebar="#f3ece3", alternate="#fcf9f5", strip="#f7f1ea",
    popup="#fffdf9", hover="#ebe2d6", pressed="#e0d5c8", selection="#cfe2d6", trough="#efe7dd",
    scrollbar="#d9cdbf", disabled_fill="#f5f0ea",
    border="#ece3d8", card_border="#eadfd2", control_border="#dccfc0", popup_border="#e4d9cc",
    sidebar_border="#e8dfd4", invalid_border="#c4695a", midlight="#cacaca", mid="#b8b8b8",
    text="#2f2a26", muted="#7a6f66", sidebar_text="#4a413a", button_text="#3b342e",
    disabled_text="#b0a59b", ok="#3f7a5a", danger="#b24a3b",
    accent="#5e8c74", accent_hover="#54806a", accent_border="#557f69", accent_disabled="#a9c2b4",
    accent_soft="#e0ebe3", on_accent="#ffffff", on_accent_soft="#2f4f3e", on_new_button="#ffffff",
    disclosure="#c77d5b", event="#5e8ca8", agreement="#8a7bb5", checkin="#5e8c74",
    milestone="#c99a2e", question="#a0708f",
    headsup="#7d8f4e", trigger="#8e7f9e", anniversary="#b3876b", mood="#d98e73", safety="#5e8ca8",
)  # fmt: skip
DARK = Colors(
    dark=True,
    window="#1f1c1a", surface="#2a2623", sidebar="#262220", alternate="#2e2a27", strip="#24201e",
    popup="#2c2825", hover="#332e2a", pressed="#3d3732", selection="#3d5a49", trough="#36302b",
    scrollbar="#4d4640", disabled_fill="#2a2623",
    border="#36302b", card_border="#3a342f", control_border="#4a433d", popup_border="#403a35",
    sidebar_border="#36302b", invalid_border="#e0806f", midlight="#3a342f", mid="#b8b8b8",
    text="#ede6df", muted="#a89c92", sidebar_text="#d6ccc2", button_text="#e6ddd4",
    disabled_text="#6f655d", ok="#8fc7a6", danger="#f08f7f",
    accent="#7fb094", accent_hover="#8cbba0", accent_border="#6fa286", accent_disabled="#4a6456",
    accent_soft="#2f4438", on_accent="#2a2623", on_accent_soft="#cfe6d8", on_new_button="#1f1c1a",
    disclosure="#e09a78", event="#86b1cc", agreement="#b0a3d8", checkin="#7fb094",
    milestone="#e3b957", question="#c99bb8",
    headsup="#a8bb78", trigger="#b8a9c9", anniversary="#d6a98c", mood="#eba58b", safety="#86b1cc",
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
        self._app.setStyleSheet(stylesheet(Theme.current))
        _hub.changed.emit()


def colors() -> Colors:
    return Theme.current


def stylesheet(c: Colors) -> str:
    """``resources/theme.qss`` in the colours of ``c`` (a placeholder it lacks raises KeyError)."""
    return _template().substitute(
        asdict(c),
        arrow_down=_tinted_file("arrow-down", c.muted),
        arrow_up=_tinted_file("arrow-up", c.muted),
    )


@cache
def _template() -> Template:
    return Template((RESOURCES / "theme.qss").read_text(encoding="utf-8"))


@cache
def _tinted_dir() -> tempfile.TemporaryDirectory[str]:
    """Where tinted copies of icons go for the stylesheet, which takes images only from files.

    One private folder per run (removed at exit), reached as ``tv:`` from the stylesheet.
    """
    folder = tempfile.TemporaryDirectory(prefix="trustvault-style-")
    QDir.addSearchPath("tv", folder.name)
    return folder


def _tinted_file(name: str, color: str) -> str:
    """``url(tv:…)`` of ``icons/<name>.svg`` drawn in ``color``, for the stylesheet."""
    path = Path(_tinted_dir().name) / f"{name}-{color.lstrip('#')}.svg"
    if not path.exists():
        path.write_text(tinted_svg(name, color), encoding="utf-8")
    return f"url(tv:{path.name})"


def tinted_svg(name: str, color: str) -> str:
    """``icons/<name>.svg`` drawn in ``color`` (also the installed app icon's scalable form)."""
    return (ICONS / f"{name}.svg").read_text(encoding="utf-8").replace(_INK, color)


def kind_color(kind: str) -> QColor:
    return QColor(getattr(Theme.current, kind, Theme.current.accent))


@cache
def pixmap(name: str, size: int = 20, color: str | None = None, ratio: float = 2.0) -> QPixmap:
    """Render ``icons/<name>.svg`` in ``color`` (default: the theme's text colour)."""
    svg = tinted_svg(name, color or Theme.current.text)
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
        QPalette.ColorRole.HighlightedText: c.on_accent,
        QPalette.ColorRole.ToolTipBase: c.surface,
        QPalette.ColorRole.ToolTipText: c.text,
        QPalette.ColorRole.PlaceholderText: c.muted,
        QPalette.ColorRole.Link: c.accent,
        QPalette.ColorRole.Midlight: c.midlight,
        QPalette.ColorRole.Mid: c.mid,
    }
    for role, value in roles.items():
        pal.setColor(role, QColor(value))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(c.muted))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(c.muted))
    return pal
