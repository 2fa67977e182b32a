"""The tray icon (Open, Lock now, and Hide now when discreet) and desktop notifications.

A notification never carries content: "2 updates" or "1 reminder" under the app's name, or
under the neutral name when discretion is on, so a glance at the screen or a notification
history tells nothing of what was written. It is shown through the tray icon (Qt's
``QSystemTrayIcon.showMessage``), so it needs the icon on and a desktop that has a tray;
``shown`` carries each one too, which is what tests read where there is no tray (offscreen).
"""

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from ui import discretion
from ui.settings import AppSettings

__all__ = ["Notices", "count_words"]

SHOW_MS = 8_000


def count_words(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class Notices(QObject):
    """Owned by the main window; ``apply()`` again after a preference changes."""

    shown = Signal(str, str)  # (title, message) of every notification this app shows

    def __init__(
        self,
        settings: AppSettings,
        window: QWidget,
        *,
        on_open: Callable[[], None],
        on_lock: Callable[[], None],
        on_hide: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.settings = settings
        self.menu = QMenu(window)
        self.menu.setAccessibleName("Tray menu")
        self.open_action = self.menu.addAction("Open")
        self.open_action.triggered.connect(on_open)
        self.lock_action = self.menu.addAction("Lock now")
        self.lock_action.triggered.connect(on_lock)
        self.hide_action = self.menu.addAction("Hide now")
        self.hide_action.triggered.connect(on_hide)
        self._on_open = on_open
        self.icon: QSystemTrayIcon | None = None
        self.apply()

    @property
    def title(self) -> str:
        return discretion.NEUTRAL_TITLE if self.settings.discreet else discretion.APP_TITLE

    def apply(self) -> None:
        """Follow the preferences: the icon on or off, the app's or the neutral one."""
        self.hide_action.setVisible(self.settings.discreet)
        wanted = self.settings.tray and QSystemTrayIcon.isSystemTrayAvailable()
        if not wanted:
            if self.icon is not None:
                self.icon.hide()
                self.icon.deleteLater()
                self.icon = None
            return
        if self.icon is None:
            self.icon = QSystemTrayIcon(self)
            self.icon.setContextMenu(self.menu)
            self.icon.activated.connect(self._activated)
        self.icon.setIcon(discretion.app_icon(self.settings))
        self.icon.setToolTip(self.title)
        self.icon.show()

    def updates(self, count: int) -> None:
        """The partner's changes arrived: how many, nothing more."""
        if count > 0 and self.settings.notifications:
            self._show(count_words(count, "update"))

    def reminders(self, count: int) -> None:
        if count > 0 and self.settings.reminders:
            self._show(count_words(count, "reminder"))

    def _show(self, message: str) -> None:
        self.shown.emit(self.title, message)
        if self.icon is not None and self.icon.isVisible():
            self.icon.showMessage(
                self.title, message, QSystemTrayIcon.MessageIcon.Information, SHOW_MS
            )

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self._on_open()
