"""Change passphrase: the current one, the new one twice, a strength meter, and a check box to
re-encrypt the vault as well; Argon2id (and re-encrypting) on the worker.

Both actions check the current passphrase first (an open vault alone is not proof: it may have
been opened with a key remembered on this device). :meth:`Actions.change_passphrase` re-wraps the
key: the database and its key stay the same, so the keychain's copy keeps working, and so does an
old copy of the key file with the old passphrase, which the dialog says. :meth:`Actions.rekey`
(the check box) re-encrypts the vault under a new key: old key files open nothing, the keychain's
copy is forgotten and the dialog offers to remember the new one. The pairing carries on either way.
"""

import itertools

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trustvault.actions import MIN_PASSPHRASE, Actions
from trustvault.errors import TrustVaultError, WrongPassphrase
from trustvault.results import RekeyResult
from ui.bridge import VaultBridge
from ui.widgets.basics import busy_bar, label, passphrase_field
from ui.widgets.strength_meter import StrengthMeter

__all__ = ["DONE", "DONE_REKEYED", "OLD_COPIES", "REKEY", "WRONG_CURRENT", "ChangePassphraseDialog"]

WRONG_CURRENT = "That is not your current passphrase. Nothing was changed; please try again."
NO_CURRENT = "Please type your current passphrase."
DONE = "Your passphrase is changed. Use the new one the next time you unlock."
REKEY = "My passphrase may be known to someone: also re-encrypt the vault"
OLD_COPIES = (
    "Old copies of the key file (a backup, a synced copy) still open the vault with the old"
    " passphrase. Re-encrypting the vault is what stops that."
)
REKEY_NOTE = (
    "The whole vault is re-encrypted under a new key, so old copies of the key file open"
    " nothing. Close TrustVault on the command line first if it has this vault open."
)
DONE_REKEYED = (
    "Your vault is re-encrypted under a new key and your passphrase is changed: old copies of"
    " the key file no longer open it. Use the new passphrase the next time you unlock."
)
FORGOT = "This device had remembered the old key, which opens nothing now, so it was forgotten."


class ChangePassphraseDialog(QDialog):
    """Checks the current passphrase and sets the new one, both off the UI thread."""

    def __init__(
        self, bridge: VaultBridge, parent: QWidget | None = None, *, kdf_profile: str = "moderate"
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.kdf_profile = kdf_profile
        self.setWindowTitle("Change passphrase")
        self.setAccessibleName("Change passphrase")
        self.setMinimumWidth(440)
        box = self.box = QVBoxLayout(self)
        box.setSpacing(10)
        box.addWidget(label(
            "Your entries stay as they are; only the lock changes. Nobody can recover a"
            " forgotten passphrase, so keep a copy somewhere safe.", "subtitle"))  # fmt: skip
        self.current = passphrase_field("Current passphrase", "Current passphrase")
        self.new = passphrase_field("New passphrase", "New passphrase")
        self.repeat = passphrase_field("The new passphrase again", "Repeat new passphrase")
        self.meter = StrengthMeter()
        self.new.textChanged.connect(self.meter.show_for)
        self.current.returnPressed.connect(self.new.setFocus)
        self.new.returnPressed.connect(self.repeat.setFocus)
        self.repeat.returnPressed.connect(self.change)
        self.rekey = QCheckBox(REKEY)
        self.rekey.setAccessibleName(REKEY)
        self.rekey_note = label(OLD_COPIES, "muted")
        self.rekey.toggled.connect(self._show_rekey_note)
        for words, widget in (
            ("Current passphrase", self.current),
            ("New passphrase", self.new),
            ("", self.meter),
            ("The new passphrase again", self.repeat),
            ("", self.rekey),
            ("", self.rekey_note),
        ):
            if words:
                box.addWidget(label(words))
            box.addWidget(widget)
        self.message = label("", "error")
        self.message.setAccessibleName("Change passphrase message")
        self.message.hide()
        box.addWidget(self.message)
        self.done_note = label(DONE, "ok")
        self.done_note.hide()
        box.addWidget(self.done_note)
        self.remember_note = label(FORGOT, "muted")
        self.remember_note.hide()
        box.addWidget(self.remember_note)
        self.remember_button = QPushButton("Remember the new key on this device")
        self.remember_button.setAccessibleName("Remember the new key on this device")
        self.remember_button.clicked.connect(self._remember_new_key)
        self.remember_button.hide()
        box.addWidget(self.remember_button)
        self.busy = busy_bar("Changing the passphrase")
        box.addWidget(self.busy)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.change_button = QPushButton("Change passphrase")
        self.change_button.setProperty("primary", True)
        self.change_button.setAccessibleName("Change passphrase")
        self.change_button.setDefault(True)
        self.change_button.clicked.connect(self.change)
        self.buttons.addButton(self.change_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)
        # The order a person reads it in: the button box's own order skipped Cancel.
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        order = [self.current, self.new, self.repeat, self.rekey, self.remember_button,
                 self.change_button, cancel]  # fmt: skip
        for first, then in itertools.pairwise(order):
            QWidget.setTabOrder(first, then)
        bridge.locked.connect(self._forget)
        self.current.setFocus()

    def _problem(self) -> str:
        current, new = self.current.text(), self.new.text()
        if not current:
            return NO_CURRENT
        if len(new) < MIN_PASSPHRASE:
            return f"The new passphrase needs at least {MIN_PASSPHRASE} characters."
        if new != self.repeat.text():
            return "The two new passphrases are different. Please type the same one twice."
        if new == current:
            return "The new passphrase is the same as the current one."
        return ""

    def _show_rekey_note(self, on: bool) -> None:
        self.rekey_note.setText(REKEY_NOTE if on else OLD_COPIES)
        self._fit()

    def change(self) -> None:
        problem = self._problem()
        if problem:
            self._fail(problem)
            return
        current, new, profile = self.current.text(), self.new.text(), self.kdf_profile
        rekey = self.rekey.isChecked()
        self.message.hide()
        self._set_busy(True)

        def work(actions: Actions) -> RekeyResult | None:
            try:
                if rekey:
                    return actions.rekey(current, new, kdf_profile=profile)
                actions.change_passphrase(current, new, kdf_profile=profile)
            except WrongPassphrase:
                raise TrustVaultError(WRONG_CURRENT) from None
            return None

        self.bridge.write(work, self._succeeded, self._fail)

    def _succeeded(self, rekeyed: RekeyResult | None) -> None:
        self._set_busy(False)
        self._forget()
        for widget in (self.current, self.new, self.repeat, self.meter, self.change_button,
                       self.rekey):  # fmt: skip
            widget.hide()
        self.done_note.setText(DONE_REKEYED if rekeyed else DONE)
        self.done_note.show()
        self.rekey_note.setVisible(rekeyed is None)  # the old copies still open it: say so again
        if rekeyed is not None and rekeyed.forgot_remembered_key:
            self.remember_note.show()
            self.remember_button.show()
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self._fit()

    def _remember_new_key(self) -> None:
        self.remember_button.setEnabled(False)
        self.bridge.write(lambda actions: actions.remember_key(), self._remembered)

    def _remembered(self, stored: bool) -> None:
        self.remember_button.hide()
        self.remember_note.setText(
            "The new key is remembered on this device."
            if stored
            else "The keychain did not take the new key; the passphrase will be asked."
        )
        self._fit()

    def _fit(self) -> None:
        """Grow (or shrink) to the wrapped text's height: a top-level dialog does not by itself."""
        self.box.activate()
        self.resize(self.width(), self.box.totalHeightForWidth(self.width()))

    def _fail(self, message: str) -> None:
        self._set_busy(False)
        self.message.setText(message)
        self.message.show()
        self._fit()
        field = self.current if message in (WRONG_CURRENT, NO_CURRENT) else self.new
        field.setFocus()
        field.selectAll()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.current, self.new, self.repeat, self.rekey, self.change_button):
            widget.setEnabled(not busy)
        working = "Re-encrypting…" if self.rekey.isChecked() else "Changing…"
        self.change_button.setText(working if busy else "Change passphrase")

    def _forget(self) -> None:
        """No passphrase stays in a widget longer than needed (after success, and on lock)."""
        for field in (self.current, self.new, self.repeat):
            field.clear()
