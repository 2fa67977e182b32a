"""The pairing view's widgets, laid out: the medium (a shared folder or a relay), the invite
card (a spoken code, or a long one with its picture) and the join card. What they do, and
every write, is :class:`ui.pages.pairing_view.PairingView`'s, which wires them."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from trustvault.paths import default_vault_dir
from ui.widgets.basics import Card, button, label
from ui.widgets.code_field import CodeField

__all__ = ["PairingCards"]


class PairingCards(QWidget):
    """A message line, the line saying the partner ended the last pairing, then the three
    cards; nothing is connected here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(16)
        self.message = label("", "error")
        self.message.setAccessibleName("Pairing message")
        self.message.hide()
        box.addWidget(self.message)
        self.ended = label("", "subtitle")  # "Sam unpaired on …", after the partner's notice
        self.ended.setAccessibleName("Pairing ended")
        self.ended.hide()
        box.addWidget(self.ended)
        box.addWidget(self._way_card())
        box.addWidget(self._invite_card())
        box.addWidget(self._join_card())
        box.addStretch(1)

    def _way_card(self) -> Card:
        frame = Card(roomy=True)
        inner = frame.box
        inner.addWidget(label("Connect with your partner", "title"))
        inner.addWidget(label(
            "Pairing links your vault with your partner's. Only what you mark as shared ever"
            " leaves this device, sealed so that only your partner's device can open it; the"
            " folder or relay that carries it sees nothing readable.", "subtitle"))  # fmt: skip
        inner.addWidget(label("How your devices reach each other"))
        self.use_folder = QRadioButton("A shared folder (cloud, network drive or USB stick)")
        self.use_folder.setAccessibleName("Pair through a shared folder")
        self.use_relay = QRadioButton("A TrustVault relay (a small server you or a friend run)")
        self.use_relay.setAccessibleName("Pair through a relay")
        self.way = QButtonGroup(self)
        self.way.addButton(self.use_folder)
        self.way.addButton(self.use_relay)
        self.use_folder.setChecked(True)
        inner.addWidget(self.use_folder)
        inner.addWidget(self.use_relay)

        self.folder_row = QWidget()
        row = QHBoxLayout(self.folder_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.folder = QLineEdit(str(default_vault_dir().parent / "TrustVault Sync"))
        self.folder.setAccessibleName("Sync folder")
        self.choose_button = button("Choose…", name="Choose the sync folder", icon="folder")
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose_button)
        inner.addWidget(self.folder_row)

        self.relay_row = QWidget()
        relay_box = QVBoxLayout(self.relay_row)
        relay_box.setContentsMargins(0, 0, 0, 0)
        self.relay_url = QLineEdit()
        self.relay_url.setPlaceholderText("https://relay.example.org")
        self.relay_url.setAccessibleName("Relay address")
        self.relay_warning = label("", "error")
        self.relay_warning.setAccessibleName("Relay address warning")
        self.relay_warning.hide()
        relay_box.addWidget(self.relay_url)
        relay_box.addWidget(self.relay_warning)
        self.relay_token = QLineEdit()
        self.relay_token.setEchoMode(QLineEdit.EchoMode.Password)
        self.relay_token.setAccessibleName("Private relay token")
        hint = "Only if the person who runs the relay gave you one."
        self.relay_token_hint = label(hint, "muted")
        self.relay_token.setAccessibleDescription(self.relay_token_hint.text())
        relay_box.addSpacing(6)
        relay_box.addWidget(label("Private relay token (optional)"))
        relay_box.addWidget(self.relay_token)
        relay_box.addWidget(self.relay_token_hint)
        inner.addWidget(self.relay_row)
        return frame

    def _invite_card(self) -> Card:
        frame = Card(roomy=True)
        invite = frame.box
        invite.addWidget(label("Invite your partner", "title"))
        invite.addWidget(label(
            "You get a short code, a number and two words, to say to your partner. It works"
            " once, for an hour; a wrong code, or anyone else's guess, uses it up.",
            "muted"))  # fmt: skip
        self.long_code = QCheckBox("Make a long code instead")
        self.long_code.setAccessibleName("Make a long code instead")
        long_hint = label("To copy or scan where you cannot talk; it works for a day.", "muted")
        self.long_code.setAccessibleDescription(long_hint.text())
        invite.addWidget(self.long_code)
        invite.addWidget(long_hint)
        self.invite_button = button("Create an invite code", primary=True)
        invite.addWidget(self.invite_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.words = QLabel()
        self.words.setAccessibleName("Pairing code to say")
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = QFont()
        big.setPointSizeF(big.pointSizeF() * 2.2)
        big.setBold(True)
        self.words.setFont(big)
        self.words.hide()
        invite.addWidget(self.words)
        self.code_row = QWidget()
        code_box = QHBoxLayout(self.code_row)
        code_box.setContentsMargins(0, 0, 0, 0)
        self.qr = QLabel()
        self.qr.setAccessibleName("Invite code as a picture")
        code_text = QVBoxLayout()
        self.code = QPlainTextEdit()
        self.code.setReadOnly(True)
        self.code.setAccessibleName("Invite code")
        self.code.setFont(QFont("monospace"))
        self.code.setMaximumHeight(90)
        self.copy_button = button("Copy the code", icon="copy")
        code_text.addWidget(self.code)
        code_text.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignLeft)
        code_box.addWidget(self.qr)
        code_box.addLayout(code_text, 1)
        self.code_row.hide()
        invite.addWidget(self.code_row)
        self.pending_row = QWidget()
        pending = QHBoxLayout(self.pending_row)
        pending.setContentsMargins(0, 0, 0, 0)
        self.waiting = label("", "muted")
        self.cancel_button = button("Cancel the invite")
        pending.addWidget(self.waiting, 1)
        pending.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignTop)
        self.pending_row.hide()
        invite.addWidget(self.pending_row)
        return frame

    def _join_card(self) -> Card:
        frame = Card(roomy=True)
        join = frame.box
        join.addWidget(label("Join with a code", "title"))
        join.addWidget(label(
            "Type the code your partner says, like 7-tiger-vagabond; the words complete as you"
            " type. Choose the same folder or relay above. A long code (tv1-…) can be pasted"
            " here too.", "muted"))  # fmt: skip
        self.join_code = CodeField()
        self.join_code.setPlaceholderText("Pairing code, like 7-tiger-vagabond")
        self.join_code.setAccessibleName("Invite code to join")
        join.addWidget(self.join_code)
        self.join_button = button("Join", primary=True)
        join.addWidget(self.join_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.join_note = label("", "error")
        self.join_note.setAccessibleName("Join warning")
        self.join_note.hide()
        join.addWidget(self.join_note)
        return frame
