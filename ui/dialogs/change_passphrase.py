"""Change passphrase: the current one, the new one twice, a strength meter; Argon2id on the worker.

:meth:`Actions.change_passphrase` checks the current passphrase (an open vault alone is not proof:
it may have been opened with a key remembered on this device), then re-wraps the key. The database
and its key stay the same, so a key remembered in the keychain and the pairing keep working.
"""

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trustvault.actions import MIN_PASSPHRASE, Actions
from trustvault.errors import TrustVaultError, WrongPassphrase
from ui.bridge import VaultBridge
from ui.widgets.basics import busy_bar, label, passphrase_field
from ui.widgets.strength_meter import StrengthMeter

__all__ = ["WRONG_CURRENT", "ChangePassphraseDialog"]

WRONG_CURRENT = "That is not your current passphrase. Nothing was changed; please try again."
NO_CURRENT = "Please type your current passphrase."
DONE = "Your passphrase is changed. Use the new one the next time you unlock."


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
        for words, widget in (
            ("Current passphrase", self.current),
            ("New passphrase", self.new),
            ("", self.meter),
            ("The new passphrase again", self.repeat),
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

    def change(self) -> None:
        problem = self._problem()
        if problem:
            self._fail(problem)
            return
        current, new, profile = self.current.text(), self.new.text(), self.kdf_profile
        self.message.hide()
        self._set_busy(True)

        def work(actions: Actions) -> None:
            try:
                actions.change_passphrase(current, new, kdf_profile=profile)
            except WrongPassphrase:
                raise TrustVaultError(WRONG_CURRENT) from None

        self.bridge.write(work, lambda _none: self._succeeded(), self._fail)

    def _succeeded(self) -> None:
        self._set_busy(False)
        self._forget()
        for widget in (self.current, self.new, self.repeat, self.meter, self.change_button):
            widget.hide()
        self.done_note.show()
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
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
        for widget in (self.current, self.new, self.repeat, self.change_button):
            widget.setEnabled(not busy)
        self.change_button.setText("Changing…" if busy else "Change passphrase")

    def _forget(self) -> None:
        """No passphrase stays in a widget longer than needed (after success, and on lock)."""
        for field in (self.current, self.new, self.repeat):
            field.clear()
