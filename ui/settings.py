"""Per-device preferences in QSettings: last vault folder, idle lock, theme, window geometry.

Nothing here is secret or entry content. Which folder's key sits in the OS keychain is kept in
:mod:`trustvault.remembered`, the file the CLI reads too, so a key remembered by either is found
by both; entries older versions of the app kept in QSettings move there on first read.
"""

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from trustvault import remembered

__all__ = ["DEFAULT_IDLE_MINUTES", "DEFAULT_REMINDER_MINUTES", "AppSettings"]

DEFAULT_IDLE_MINUTES = 5
DEFAULT_REMINDER_MINUTES = 30


class AppSettings:
    """Typed access to the app's QSettings; tests pass an ini file of their own."""

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            self.qs = QSettings("TrustVault", "TrustVault")
        else:
            self.qs = QSettings(str(path), QSettings.Format.IniFormat)

    def _get_str(self, key: str, default: str = "") -> str:
        value = self.qs.value(key, default)
        return value if isinstance(value, str) else default

    @property
    def vault_dir(self) -> Path | None:
        text = self._get_str("vault/folder")
        return Path(text) if text else None

    @vault_dir.setter
    def vault_dir(self, folder: Path) -> None:
        self.qs.setValue("vault/folder", str(folder))

    @property
    def idle_minutes(self) -> float:
        try:
            minutes = float(str(self.qs.value("lock/idle_minutes", DEFAULT_IDLE_MINUTES)))
        except ValueError:
            return DEFAULT_IDLE_MINUTES
        return minutes if minutes > 0 else DEFAULT_IDLE_MINUTES

    @idle_minutes.setter
    def idle_minutes(self, minutes: float) -> None:
        self.qs.setValue("lock/idle_minutes", minutes)

    @property
    def theme(self) -> str | None:
        """'light' or 'dark' chosen by the person; None follows the system."""
        value = self._get_str("ui/theme")
        return value if value in ("light", "dark") else None

    @theme.setter
    def theme(self, value: str | None) -> None:
        self.qs.setValue("ui/theme", value or "system")

    @property
    def discreet(self) -> bool:
        """A neutral window name and icon, and no vault folder on the unlock screen."""
        return self._get_str("ui/discreet") == "true"

    @discreet.setter
    def discreet(self, on: bool) -> None:
        self.qs.setValue("ui/discreet", "true" if on else "false")

    # Notices (ui.notices, ui.reminders): each on unless switched off; off means nothing shown.

    def _flag(self, key: str) -> bool:
        return self._get_str(key, "true") != "false"

    def _set_flag(self, key: str, on: bool) -> None:
        self.qs.setValue(key, "true" if on else "false")

    @property
    def notifications(self) -> bool:
        """Desktop notifications of what arrived (a count, never content)."""
        return self._flag("notices/notifications")

    @notifications.setter
    def notifications(self, on: bool) -> None:
        self._set_flag("notices/notifications", on)

    @property
    def tray(self) -> bool:
        """An icon in the system tray with Open and Lock now."""
        return self._flag("notices/tray")

    @tray.setter
    def tray(self, on: bool) -> None:
        self._set_flag("notices/tray", on)

    @property
    def reminders(self) -> bool:
        """Reminders of events and review dates."""
        return self._flag("notices/reminders")

    @reminders.setter
    def reminders(self, on: bool) -> None:
        self._set_flag("notices/reminders", on)

    @property
    def reminder_minutes(self) -> int:
        """How long before an event without alarms of its own to remind (0: not at all)."""
        try:
            minutes = int(str(self.qs.value("notices/reminder_minutes", DEFAULT_REMINDER_MINUTES)))
        except ValueError:
            return DEFAULT_REMINDER_MINUTES
        return max(0, minutes)

    @reminder_minutes.setter
    def reminder_minutes(self, minutes: int) -> None:
        self.qs.setValue("notices/reminder_minutes", minutes)

    def remembered_vault_id(self, folder: Path) -> str | None:
        """The vault id whose key this device keeps for ``folder`` (shared with the CLI)."""
        found = remembered.remembered_vault_id(folder)
        legacy_key = f"keychain/{_folder_key(folder)}"
        legacy = self._get_str(legacy_key)
        if legacy:  # kept by an older version of the app: move it to the shared file
            if found is None:
                remembered.set_remembered_vault_id(folder, legacy)
                found = legacy
            self.qs.remove(legacy_key)
        return found

    def geometry(self, name: str) -> QByteArray | None:
        value = self.qs.value(f"window/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, name: str, data: QByteArray) -> None:
        self.qs.setValue(f"window/{name}", data)

    def sync(self) -> None:
        self.qs.sync()


def _folder_key(folder: Path) -> str:
    """How older versions named a folder in QSettings (read only to move the entry)."""
    import hashlib  # OpenSSL's loading waits until after the first paint

    return hashlib.sha256(str(folder.expanduser().resolve()).encode()).hexdigest()[:20]
