"""Staying unnoticed: a neutral window name and icon, and "hide now".

With discretion on, the window, the taskbar and the unlock screen say "Notes" with a plain page
icon, and the unlock screen does not show the vault's folder. The choice lives in the app's
settings file (it must be known before the vault is unlocked); that file says only that the
option is on. "Hide now" locks the vault, puts the neutral name on the window and minimises it,
whether or not discretion is on.
"""

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from ui import theme
from ui.settings import AppSettings

__all__ = ["APP_TITLE", "NEUTRAL_TITLE", "app_icon", "apply_to_app", "window_title"]

APP_TITLE = "TrustVault"
NEUTRAL_TITLE = "Notes"


def window_title(settings: AppSettings, name: str | None, *, hidden: bool = False) -> str:
    """The title for the window: with the owner's name while unlocked, unless discreet."""
    if settings.discreet or hidden:
        return NEUTRAL_TITLE
    return f"{APP_TITLE} — {name}" if name else APP_TITLE


def app_icon(settings: AppSettings, *, hidden: bool = False) -> QIcon:
    """The window and taskbar icon: the app's shield, or a plain page when discreet."""
    neutral = settings.discreet or hidden
    c = theme.colors()
    return theme.icon("notes" if neutral else "app", c.muted if neutral else c.accent, 64)


def apply_to_app(settings: AppSettings, *, hidden: bool = False) -> None:
    """The application-wide name and icon. Qt appends the display name to window titles on
    some desktops ("Notes — TrustVault"), so discretion changes it too."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        neutral = settings.discreet or hidden
        app.setApplicationDisplayName(NEUTRAL_TITLE if neutral else APP_TITLE)
        app.setWindowIcon(app_icon(settings, hidden=hidden))
