"""The unlock screen: passphrase in, vault open, Argon2id on the worker thread.

A key remembered in the OS keychain opens the vault without the passphrase (still off the UI
thread). A wrong passphrase leaves the field selected with the core's plain message under it.

This is the first screen of a start, so it imports none of the core: the door is loaded by the
window right after this screen painted, and asking for the OS keychain (loading keyring and its
backends, ~100 ms) can wait for the worker (``ask_keychain=False``, then :meth:`check_keychain`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QWidget

from ui import theme
from ui.bridge import VaultBridge
from ui.settings import AppSettings
from ui.widgets.basics import busy_bar, card_screen, label, passphrase_field

if TYPE_CHECKING:
    from trustvault.actions import Actions
    from trustvault.results import SavedKeyProblem

__all__ = ["UnlockScreen"]


def _keychain() -> tuple[bool, str]:
    """Whether an OS keychain can hold the key, and its name."""
    from trustvault.queries import keychain_available, keychain_name

    return keychain_available(), keychain_name()


class UnlockScreen(QWidget):
    """Asks for the passphrase of the vault in ``folder`` and hands the open vault to the bridge."""

    other_folder = Signal()

    def __init__(
        self,
        bridge: VaultBridge,
        settings: AppSettings,
        folder: Path,
        parent: QWidget | None = None,
        *,
        hint: str = "",
        ask_keychain: bool = True,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings
        self.folder = folder
        card = card_screen(self)
        logo = QLabel()
        discreet = settings.discreet
        c = theme.colors()
        logo.setPixmap(
            theme.pixmap("notes" if discreet else "app", 44, c.muted if discreet else c.accent)
        )
        logo.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        card.addWidget(logo)
        heading = label("Welcome back", "title")
        heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        card.addWidget(heading)
        sub = label(
            "Enter your passphrase." if discreet else "Enter your passphrase to open your vault.",
            "subtitle",
        )
        sub.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        card.addWidget(sub)
        if hint:
            note = label(hint, "muted")
            note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            card.addWidget(note)
        card.addSpacing(6)

        self.passphrase = passphrase_field("Passphrase", "Passphrase")
        self.passphrase.returnPressed.connect(self.unlock)
        card.addWidget(self.passphrase)
        self.message = label("", "error")
        self.message.setAccessibleName("Unlock message")
        self.message.hide()
        card.addWidget(self.message)

        self.remember = QCheckBox("Remember on this device")
        self.remember.setAccessibleName("Remember on this device")
        self.remember.setVisible(False)
        card.addWidget(self.remember)
        if ask_keychain:
            self._show_keychain(_keychain())

        self.busy = busy_bar("Unlocking")
        card.addWidget(self.busy)
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setProperty("primary", True)
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.setMinimumHeight(38)
        self.unlock_button.clicked.connect(self.unlock)
        card.addWidget(self.unlock_button)

        self.saved_key_button = QPushButton("Open with the key saved on this device")
        self.saved_key_button.setAccessibleName("Open with the key saved on this device")
        self.saved_key_button.clicked.connect(self.open_with_saved_key)
        card.addWidget(self.saved_key_button)

        where = QPushButton()
        where.setFlat(True)
        where.setAccessibleName("Use a different vault folder")
        if discreet:  # nothing on screen says what this is or where it lives
            where.setText("Use a different folder…")
        else:
            where.setText(
                where.fontMetrics().elidedText(
                    f"Vault folder: {folder}", Qt.TextElideMode.ElideMiddle, 300
                )
            )
            where.setToolTip(f"{folder}\nClick to open or create a vault in another folder")
        self.where = where
        where.setProperty("role", "muted")
        where.clicked.connect(self.other_folder.emit)
        card.addWidget(where)
        self._update_saved_key()

    # -- actions -------------------------------------------------------------------------

    def check_keychain(self) -> None:
        """Ask on the worker whether "Remember on this device" can be offered."""
        self.bridge.run(_keychain, self._show_keychain)

    def _show_keychain(self, keychain: tuple[bool, str]) -> None:
        available, name = keychain
        self.remember.setToolTip(
            f"Keeps the vault key in {name}, so this computer opens the vault"
            " without asking. Anyone who can sign in to your account here could open it too."
        )
        self.remember.setVisible(available)

    def has_saved_key(self) -> bool:
        """A key noted for this folder and a keychain to hold it (asked only when noted)."""
        return bool(self.settings.remembered_vault_id(self.folder)) and _keychain()[0]

    def _update_saved_key(self) -> None:
        self.saved_key_button.setVisible(self.has_saved_key())

    def reset(self) -> None:
        """Back to an empty, ready form (after a lock)."""
        self.passphrase.clear()
        self.message.hide()
        self._set_busy(False)
        self._update_saved_key()
        self.passphrase.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.saved_key_button.setEnabled(not busy)
        self.unlock_button.setText("Unlocking…" if busy else "Unlock")

    def unlock(self) -> None:
        passphrase = self.passphrase.text()
        if not passphrase:
            self._fail("Please type your passphrase.")
            return
        self.message.hide()
        self._set_busy(True)
        folder, remember = self.folder, self.remember.isChecked()

        def work() -> Actions:
            from trustvault.actions import Actions

            return Actions.unlock(folder, passphrase, remember=remember)

        def done(actions: Actions) -> None:
            self.settings.vault_dir = folder
            self.passphrase.clear()
            self._set_busy(False)
            self.bridge.open_vault(actions)

        self.bridge.run(work, done, self._fail)

    def open_with_saved_key(self) -> None:
        self.settings.remembered_vault_id(self.folder)  # adopts a note an older app kept
        folder = self.folder
        self.message.hide()
        self._set_busy(True)

        def work() -> Actions | SavedKeyProblem:
            from trustvault.actions import Actions

            return Actions.open_remembered(folder)

        def done(outcome: Actions | SavedKeyProblem) -> None:
            from trustvault.actions import Actions
            from trustvault.results import SavedKeyProblem

            self._set_busy(False)
            if isinstance(outcome, Actions):
                self.bridge.open_vault(outcome)
            elif outcome is not SavedKeyProblem.WRONG_VAULT:
                self._update_saved_key()
                self._fail("This device no longer has the key. Please use your passphrase.")
            else:
                self._fail("The key saved on this device does not open this vault. Please use"
                           " your passphrase; ticking “Remember” saves the right key.")  # fmt: skip

        self.bridge.run(work, done, self._fail)

    def _fail(self, message: str) -> None:
        self._set_busy(False)
        self.message.setText(message)
        self.message.show()
        self.passphrase.setFocus()
        self.passphrase.selectAll()
