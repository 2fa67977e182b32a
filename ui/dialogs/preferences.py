"""Preferences: the name this person goes by (the one thing here the partner's device learns);
then this device's own: when to lock, light or dark, whether the key stays in the keychain,
when receipts go, how long a new share waits before it is sent; notifications, the tray icon and
reminders.

Saved at once: the name, receipts and the wait in the vault (through the actions), the rest in
QSettings; only the name is shared with the partner.
"""

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from trustvault.actions import Actions
from trustvault.queries import keychain_available, keychain_name
from trustvault.results import Renamed
from ui import theme
from ui.bridge import VaultBridge
from ui.lock import IdleLock
from ui.settings import AppSettings
from ui.widgets.basics import label

__all__ = ["PreferencesDialog"]

_THEMES = (("Follow the system", None), ("Light", "light"), ("Dark", "dark"))


def _scrolling(body: QWidget) -> QScrollArea:
    """``body`` in a vertical scroll area: a dialog is given at most two thirds of the screen's
    height, and on a small screen (800 by 600) the settings would otherwise be squashed."""
    area = QScrollArea()
    area.setWidget(body)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMinimumWidth(body.sizeHint().width() + area.verticalScrollBar().sizeHint().width())
    return area


class PreferencesDialog(QDialog):
    """Idle lock minutes, theme, discretion, and 'remember on this device' for the open vault."""

    def __init__(
        self,
        bridge: VaultBridge,
        settings: AppSettings,
        idle: IdleLock,
        parent: QWidget | None = None,
        *,
        on_change_passphrase: Callable[[], None] | None = None,
        on_discretion: Callable[[], None] | None = None,
        on_notices: Callable[[], None] | None = None,
        on_renamed: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge, self.settings, self.idle = bridge, settings, idle
        self._on_discretion = on_discretion
        self._on_notices = on_notices
        self._on_renamed = on_renamed
        self._closed = False  # a rename's answer may come after Close (the dialog is deleted)
        self.finished.connect(self._mark_closed)
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        outer = QVBoxLayout(self)
        body = QWidget()
        box = QVBoxLayout(body)
        box.setContentsMargins(0, 0, 0, 0)
        self._name_row(box)
        form = QFormLayout()
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 240)
        self.minutes.setSuffix(" min")
        self.minutes.setValue(round(settings.idle_minutes))
        self.minutes.setAccessibleName("Lock after minutes without use")
        self.minutes.valueChanged.connect(self._set_minutes)
        form.addRow("Lock after this long without use", self.minutes)
        self.theme = QComboBox()
        self.theme.setAccessibleName("Appearance")
        for text, value in _THEMES:
            self.theme.addItem(text, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.theme.currentIndexChanged.connect(self._set_theme)
        form.addRow("Appearance", self.theme)
        box.addLayout(form)
        self.remember = QCheckBox("Remember the vault key on this device")
        self.remember.setAccessibleName("Remember the vault key on this device")
        q = bridge.queries
        available = keychain_available() and q is not None
        self.remember.setVisible(available)
        if q is not None:
            self.remember.setChecked(settings.remembered_vault_id(q.folder) == q.vault_id)
        self.remember.toggled.connect(self._set_remember)
        box.addWidget(self.remember)
        note = (
            f"With this on, {keychain_name()} keeps the key and TrustVault can open"
            " without the passphrase on this computer. Anyone who can sign in to your account"
            " here could open it too."
            if available
            else "This computer has no secure keychain, so the passphrase is always needed."
        )
        box.addWidget(label(note, "muted"))
        self.daily_receipts = QCheckBox("Tell my partner's device what arrived once a day")
        self.daily_receipts.setAccessibleName("Send receipts once a day")
        self.daily_receipts.setVisible(q is not None)
        if q is not None:
            self.daily_receipts.setChecked(q.daily_receipts())
        self.daily_receipts.toggled.connect(self._set_daily_receipts)
        box.addWidget(self.daily_receipts)
        box.addWidget(label(
            "Your device tells your partner's which entries arrived, and the day it last"
            " synced; sent at once, that also shows when you opened TrustVault. Once a day, at"
            " a random moment, they no longer do (what you write still shows when you wrote"
            " it, and a relay sees when your device connects): your partner then sees"
            " \"Delivered\" and \"last heard\" up to a day later. Delivered never means read:"
            " only \"I have read this\" says that.",
            "muted"))  # fmt: skip
        self.discreet = QCheckBox("Discreet: call the window \u201cNotes\u201d, with a plain icon")
        self.discreet.setAccessibleName("Discreet window name and icon")
        self.discreet.setChecked(settings.discreet)
        self.discreet.toggled.connect(self._set_discreet)
        box.addWidget(self.discreet)
        box.addWidget(label(
            "The window, the taskbar and the unlock screen then show \u201cNotes\u201d and no"
            " vault folder. Ctrl+Shift+H hides at any time: it locks, puts the neutral name on"
            " the window and minimises it. The app's menu entry and its files on this computer"
            " still carry its name.",
            "muted"))  # fmt: skip
        hold = QFormLayout()
        self.send_hold = QSpinBox()
        self.send_hold.setRange(0, 60)
        self.send_hold.setSuffix(" min")
        self.send_hold.setAccessibleName("Minutes a new share waits before it is sent")
        self.send_hold.setVisible(q is not None)
        if q is not None:
            self.send_hold.setValue(round(q.send_hold().total_seconds() / 60))
        self.send_hold.valueChanged.connect(self._set_send_hold)
        hold.addRow("Wait before sending a new share", self.send_hold)
        box.addLayout(hold)
        box.addWidget(label(
            "A newly shared entry stays on this device this long (\"Sending in 4:12\"), so you"
            " can still undo it: then nothing of it is ever sent. 0 sends it at the next sync.",
            "muted"))  # fmt: skip
        self._notice_switches(box)
        if on_change_passphrase is not None:
            change = QPushButton("Change passphrase…")
            change.setAccessibleName("Change passphrase")
            change.setAutoDefault(False)  # Enter in a field must not open it
            change.clicked.connect(on_change_passphrase)
            box.addWidget(change, 0, Qt.AlignmentFlag.AlignLeft)
        outer.addWidget(_scrolling(body), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        outer.addWidget(buttons)
        room = self.screen().availableGeometry().height() - 60  # the title bar, the panels
        tall = body.sizeHint().height() + buttons.sizeHint().height() + 40
        self.resize(self.sizeHint().width(), min(tall, room))
        bridge.locked.connect(self.reject)

    def _name_row(self, box: QVBoxLayout) -> None:
        """Your name, as your partner's device shows it, with its own button: typing alone
        changes nothing (a half-typed name must not reach the partner)."""
        q = self.bridge.queries
        row = QHBoxLayout()
        self.name = QLineEdit(q.name if q is not None else "")
        self.name.setAccessibleName("Your name")
        self.name.returnPressed.connect(self._rename)
        row.addWidget(self.name, 1)
        self.rename_button = QPushButton("Change name")
        self.rename_button.setAccessibleName("Change my name")
        self.rename_button.setAutoDefault(False)  # Enter in another field never renames
        self.rename_button.clicked.connect(self._rename)
        row.addWidget(self.rename_button)
        form = QFormLayout()
        form.addRow("Your name", row)
        box.addLayout(form)
        self.name_note = label("Your partner sees it beside what you share.", "muted")
        box.addWidget(self.name_note)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in the name field changes the name (its ``returnPressed``) and keeps the dialog
        open to say what happened; anywhere else it closes the dialog as Close would."""
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.focusWidget() is self.name:
            event.accept()
            return
        super().keyPressEvent(event)

    def _mark_closed(self) -> None:
        self._closed = True

    def _rename(self) -> None:
        name = self.name.text()
        self.bridge.write(lambda actions: actions.rename(name), self._renamed, self._not_renamed)

    def _renamed(self, renamed: Renamed) -> None:
        if self._on_renamed is not None:
            self._on_renamed()  # the window's title, even once this dialog is gone
        if self._closed:
            return
        self.name.setText(renamed.name)
        q = self.bridge.queries
        if renamed.sent:
            note = f"Your partner's device shows \u201c{renamed.name}\u201d after the next sync."
        elif q is not None and q.closing() is not None:
            note = "Your shared space is closed, so your partner's device keeps your old name."
        else:
            note = "Your partner's device learns it when you pair."
        self.name_note.setText(note)

    def _not_renamed(self, message: str) -> None:
        if self._closed:
            self.bridge.error.emit(message)  # the window's status bar says it instead
        else:
            self.name_note.setText(message)

    def _notice_switches(self, box: QVBoxLayout) -> None:
        """Notifications, the tray icon, reminders: each on until switched off."""
        s = self.settings
        row = QHBoxLayout()
        self.notifications = self._switch("Notifications", s.notifications, "notifications", row)
        self.tray = self._switch("Tray icon", s.tray, "tray", row)
        self.reminders = self._switch("Reminders", s.reminders, "reminders", row)
        row.addStretch(1)
        box.addLayout(row)
        lead = QFormLayout()
        self.reminder_minutes = QSpinBox()
        self.reminder_minutes.setRange(0, 1440)
        self.reminder_minutes.setSuffix(" min")
        self.reminder_minutes.setAccessibleName("Minutes before an event to remind")
        self.reminder_minutes.setValue(s.reminder_minutes)
        self.reminder_minutes.valueChanged.connect(self._set_reminder_minutes)
        lead.addRow("Remind before events without their own reminder", self.reminder_minutes)
        box.addLayout(lead)
        box.addWidget(label(
            "A notification says only how many things arrived (\u201c2 updates\u201d), under"
            " \u201cNotes\u201d when discreet; it shows through the tray icon. Reminders are"
            " for events and agreements' review dates. 0 min: only events' own reminders.",
            "muted"))  # fmt: skip

    def _switch(self, text: str, on: bool, setting: str, row: QHBoxLayout) -> QCheckBox:
        box = QCheckBox(text)
        box.setAccessibleName(text)
        box.setChecked(on)

        def toggled(value: bool) -> None:
            setattr(self.settings, setting, value)
            if self._on_notices is not None:
                self._on_notices()

        box.toggled.connect(toggled)
        row.addWidget(box)
        return box

    def _set_reminder_minutes(self, minutes: int) -> None:
        self.settings.reminder_minutes = minutes
        if self._on_notices is not None:
            self._on_notices()

    def _set_discreet(self, on: bool) -> None:
        self.settings.discreet = on
        if self._on_discretion is not None:
            self._on_discretion()

    def _set_daily_receipts(self, on: bool) -> None:
        self.bridge.write(lambda actions: actions.set_daily_receipts(on))

    def _set_send_hold(self, minutes: int) -> None:
        self.bridge.write(lambda actions: actions.set_send_hold(timedelta(minutes=minutes)))

    def _set_minutes(self, minutes: int) -> None:
        self.settings.idle_minutes = minutes
        self.idle.set_minutes(minutes)

    def _set_theme(self, _index: int) -> None:
        value = self.theme.currentData()
        self.settings.theme = value
        if theme.Theme.instance is not None:
            theme.Theme.instance.set_forced(value)

    def _set_remember(self, on: bool) -> None:
        q = self.bridge.queries
        if q is None:
            return
        folder = q.folder
        if on:
            self.bridge.write(lambda actions: actions.remember_key(), self._remembered)
        else:
            self.bridge.run(lambda: Actions.forget_key(folder))

    def _remembered(self, stored: bool) -> None:
        if not stored:  # the keychain refused: say so by unticking
            self.remember.blockSignals(True)
            self.remember.setChecked(False)
            self.remember.blockSignals(False)
