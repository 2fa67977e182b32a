"""First run: an honest word about the app, then a three-step setup that creates the vault
(name, passphrase, where it lives).

The first screen says what the app is for, what it never does, and when not to use it, with
where to find help: a tool like this can be turned into a leash, and the person most at risk
should learn that before typing anything into it.

The strength meter (:mod:`ui.widgets.strength_meter`) steers people toward several unrelated
words; the only hard rule is the core's minimum length, which :meth:`Vault.create` enforces.
"""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from trustvault.actions import MIN_PASSPHRASE, Actions
from trustvault.queries import keychain_available, keychain_name
from ui import theme
from ui.bridge import VaultBridge
from ui.promise import BEFORE_YOU_BEGIN
from ui.settings import AppSettings
from ui.widgets.basics import busy_bar, button, card_screen, label, passphrase_field
from ui.widgets.strength_meter import StrengthMeter

__all__ = ["SetupWizard"]

_INTRO, _NAME, _PASSPHRASE, _FOLDER = range(4)


class SetupWizard(QWidget):
    """Says what the app is and is not for, creates a vault in three short steps, then hands
    it open to the bridge."""

    def __init__(
        self,
        bridge: VaultBridge,
        settings: AppSettings,
        folder: Path,
        parent: QWidget | None = None,
        *,
        kdf_profile: str = "moderate",
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings
        self.kdf_profile = kdf_profile
        card = card_screen(self, width=500)
        self.steps = QStackedWidget()
        card.addWidget(self.steps)
        self.steps.addWidget(self._intro_step())
        self.steps.addWidget(self._name_step())
        self.steps.addWidget(self._passphrase_step())
        self.steps.addWidget(self._folder_step(folder))

        self.message = label("", "error")
        self.message.setAccessibleName("Setup message")
        self.message.hide()
        card.addWidget(self.message)
        self.busy = busy_bar("Creating your vault")
        card.addWidget(self.busy)
        buttons = QHBoxLayout()
        self.back_button = QPushButton("Back")
        self.back_button.setAccessibleName("Back")
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton("Next")
        self.next_button.setProperty("primary", True)
        self.next_button.setAccessibleName("Next")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        card.addLayout(buttons)
        self._show_step(_INTRO)

    # -- steps ---------------------------------------------------------------------------

    def _intro_step(self) -> QWidget:
        page, box = _step_page()
        logo = label("")
        logo.setPixmap(theme.pixmap("app", 44, theme.colors().accent))
        logo.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(logo)
        heading = label("Welcome to TrustVault", "title")
        heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(heading)
        box.addWidget(label("Before you begin, please read this.", "subtitle"))
        self.intro = [label(text, selectable=True) for text in BEFORE_YOU_BEGIN]
        for paragraph in self.intro:
            box.addWidget(paragraph)
        box.addStretch(1)
        return page

    def _name_step(self) -> QWidget:
        page, box = _step_page()
        box.addWidget(label("Your vault", "title"))
        box.addWidget(
            label(
                "TrustVault keeps your disclosures, agreements and check-ins in an encrypted"
                " vault on this computer. Only you can open it. Your partner sees only what you"
                " choose to share.",
                "subtitle",
            )
        )
        box.addSpacing(4)
        box.addWidget(label("What should your partner see as your name?"))
        self.name = QLineEdit()
        self.name.setPlaceholderText("Your first name")
        self.name.setAccessibleName("Your name")
        self.name.setMinimumHeight(36)
        self.name.returnPressed.connect(self.next)
        box.addWidget(self.name)
        return page

    def _passphrase_step(self) -> QWidget:
        page, box = _step_page()
        box.addWidget(label("Choose a passphrase", "title"))
        box.addWidget(
            label(
                "It locks your vault. Four or five unrelated words are strong and easy to"
                " remember. Nobody can recover a forgotten passphrase, not even us: keep a copy"
                " somewhere safe.",
                "subtitle",
            )
        )
        self.passphrase = passphrase_field("Passphrase", "Passphrase")
        self.passphrase.textChanged.connect(self._update_strength)
        self.repeat = passphrase_field("The same passphrase again", "Repeat passphrase")
        self.passphrase.returnPressed.connect(self.repeat.setFocus)
        box.addWidget(self.passphrase)
        self.meter = StrengthMeter()
        self.strength = self.meter.words
        box.addWidget(self.meter)
        self.repeat.returnPressed.connect(self.next)
        box.addWidget(self.repeat)
        self._update_strength("")
        return page

    def _folder_step(self, folder: Path) -> QWidget:
        page, box = _step_page()
        box.addWidget(label("Where your vault lives", "title"))
        box.addWidget(
            label(
                "The vault is one folder with two encrypted files. The default is fine for most"
                " people; choose another folder if you keep backups somewhere particular.",
                "subtitle",
            )
        )
        row = QHBoxLayout()
        self.folder = QLineEdit(str(folder))
        self.folder.setAccessibleName("Vault folder")
        self.folder.setMinimumHeight(36)
        browse = button("Choose…", name="Choose the vault folder", icon="folder")
        browse.clicked.connect(self._browse)
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        box.addLayout(row)
        self.remember = QCheckBox("Remember on this device")
        self.remember.setAccessibleName("Remember on this device")
        available = keychain_available()
        self.remember.setVisible(available)
        box.addWidget(self.remember)
        if available:
            note = (
                f"Your vault key is kept in {keychain_name()}, so TrustVault opens"
                " without asking for the passphrase on this computer. Anyone who can sign in to"
                " your account here could open it too. Leave this off on a shared computer."
            )
        else:
            note = (
                "This computer has no secure keychain, so TrustVault will ask for your passphrase"
                " each time it opens. That is the safest way anyway."
            )
        box.addWidget(label(note, "muted"))
        box.addStretch(1)
        return page

    # -- behaviour -----------------------------------------------------------------------

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Choose the vault folder", self.folder.text()
        )
        if chosen:
            self.folder.setText(chosen)

    def _update_strength(self, text: str) -> None:
        self.meter.show_for(text)

    def _show_step(self, index: int) -> None:
        self.steps.setCurrentIndex(index)
        self.message.hide()
        self.back_button.setVisible(index > _INTRO)
        self.next_button.setText(
            {_INTRO: "I understand, continue", _FOLDER: "Create my vault"}.get(index, "Next")
        )
        focus = (self.next_button, self.name, self.passphrase, self.folder)[index]
        focus.setFocus()

    def back(self) -> None:
        self._show_step(max(_INTRO, self.steps.currentIndex() - 1))

    def next(self) -> None:
        step = self.steps.currentIndex()
        problem = self._problem(step)
        if problem:
            self._fail(problem)
            return
        if step < _FOLDER:
            self._show_step(step + 1)
        else:
            self.create_vault()

    def _problem(self, step: int) -> str:
        if step == _NAME and not self.name.text().strip():
            return "Please tell us your name; your partner will see it next to what you share."
        if step == _PASSPHRASE:
            if len(self.passphrase.text()) < MIN_PASSPHRASE:
                return f"The passphrase needs at least {MIN_PASSPHRASE} characters."
            if self.passphrase.text() != self.repeat.text():
                return "The two passphrases are different. Please type the same one twice."
        if step == _FOLDER and not self.folder.text().strip():
            return "Please choose a folder for the vault."
        return ""

    def _fail(self, message: str) -> None:
        self._set_busy(False)
        if message.startswith("Invalid name"):
            self._show_step(_NAME)
        elif message.startswith("Invalid passphrase"):
            self._show_step(_PASSPHRASE)
        self.message.setText(message)
        self.message.show()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.next_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)
        self.steps.setEnabled(not busy)
        if self.steps.currentIndex() == _FOLDER:
            self.next_button.setText("Creating your vault…" if busy else "Create my vault")

    def create_vault(self) -> None:
        folder = Path(self.folder.text().strip()).expanduser()
        name, passphrase = self.name.text(), self.passphrase.text()
        remember = self.remember.isChecked() and not self.remember.isHidden()
        profile = self.kdf_profile
        self.message.hide()
        self._set_busy(True)

        def work() -> Actions:
            return Actions.create(folder, passphrase, name, kdf_profile=profile, remember=remember)

        def done(actions: Actions) -> None:
            self.settings.vault_dir = folder
            self.passphrase.clear()
            self.repeat.clear()
            self._set_busy(False)
            self.bridge.open_vault(actions)

        self.bridge.run(work, done, self._fail)


def _step_page() -> tuple[QWidget, QVBoxLayout]:
    """One step's page and its column, laid out alike."""
    page = QWidget()
    box = QVBoxLayout(page)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(10)
    return page, box
