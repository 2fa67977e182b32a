"""The partner page before pairing: how the two devices meet (a folder or a relay), invite, join.

Everything that touches the folder or the network (creating the relay mailbox, joining it) runs
through the bridge's worker; the UI thread only parses the code (pure text) to learn whether it
carries a relay address.
"""

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from trustvault.actions import Actions
from trustvault.errors import PairingError
from trustvault.medium import (
    check_short_code,
    folder_spec,
    invite_relay_url,
    is_private_url,
    is_short_code,
    relay_spec,
)
from trustvault.paths import default_vault_dir
from ui.bridge import VaultBridge
from ui.widgets.basics import Card, button, label, qr_pixmap
from ui.widgets.code_field import CodeField

__all__ = ["PLAIN_HTTP", "PairingView", "plain_http_warning", "relay_is_private"]

PLAIN_HTTP = (
    "This address starts with http, not https. What you share stays sealed either way, but"
    " someone on the network between you and the relay could read its access keys and delete"
    " or flood your messages there. Use an https address if you can."
)


def relay_is_private(url: str) -> bool:
    """https, or plain http that never leaves this computer (loopback)."""
    return is_private_url(url)


def plain_http_warning(url: str) -> str:
    """The warning to show for ``url`` ('' when there is nothing to warn about)."""
    url = url.strip()
    return "" if not url or relay_is_private(url) or "://" not in url else PLAIN_HTTP


class PairingView(QWidget):
    """Choose folder or relay, then invite (code + QR) or join (paste a code).

    ``status_changed`` fires once an invite, a join or a cancel has been written, so the page
    can switch views at once instead of on the next sync.
    """

    status_changed = Signal()

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
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
        self._show_way()

    # -- building ------------------------------------------------------------------------

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
        self.use_folder.toggled.connect(lambda _on: self._show_way())
        inner.addWidget(self.use_folder)
        inner.addWidget(self.use_relay)

        self.folder_row = QWidget()
        row = QHBoxLayout(self.folder_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.folder = QLineEdit(str(default_vault_dir().parent / "TrustVault Sync"))
        self.folder.setAccessibleName("Sync folder")
        choose = button("Choose…", name="Choose the sync folder", icon="folder")
        choose.clicked.connect(self._choose_folder)
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        inner.addWidget(self.folder_row)

        self.relay_row = QWidget()
        relay_box = QVBoxLayout(self.relay_row)
        relay_box.setContentsMargins(0, 0, 0, 0)
        self.relay_url = QLineEdit()
        self.relay_url.setPlaceholderText("https://relay.example.org")
        self.relay_url.setAccessibleName("Relay address")
        self.relay_url.textChanged.connect(self._check_url)
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
        self.invite_button.clicked.connect(self.invite)
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
        copy = button("Copy the code", icon="copy")
        copy.clicked.connect(lambda: self.bridge.copy_to_clipboard(self.code.toPlainText()))
        code_text.addWidget(self.code)
        code_text.addWidget(copy, 0, Qt.AlignmentFlag.AlignLeft)
        code_box.addWidget(self.qr)
        code_box.addLayout(code_text, 1)
        self.code_row.hide()
        invite.addWidget(self.code_row)
        self.pending_row = QWidget()
        pending = QHBoxLayout(self.pending_row)
        pending.setContentsMargins(0, 0, 0, 0)
        self.waiting = label("", "muted")
        self.cancel_button = button("Cancel the invite")
        self.cancel_button.clicked.connect(self.cancel)
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
        self.join_code.textChanged.connect(self._check_code)
        join.addWidget(self.join_code)
        self.join_button = button("Join", primary=True)
        self.join_button.clicked.connect(self.join)
        join.addWidget(self.join_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.join_note = label("", "error")
        self.join_note.setAccessibleName("Join warning")
        self.join_note.hide()
        join.addWidget(self.join_note)
        return frame

    # -- state ---------------------------------------------------------------------------

    def _show_way(self) -> None:
        relay = self.use_relay.isChecked()
        self.folder_row.setVisible(not relay)
        self.relay_row.setVisible(relay)
        self._check_url()

    def _check_url(self) -> None:
        warning = plain_http_warning(self.relay_url.text()) if self.use_relay.isChecked() else ""
        self.relay_warning.setText(warning)
        self.relay_warning.setVisible(bool(warning))

    def _check_code(self) -> None:
        """Warn as soon as a pasted code names a relay reached over plain http."""
        try:
            url = invite_relay_url(self.join_code.text()) if self.join_code.text() else ""
        except PairingError:
            url = ""
        warning = plain_http_warning(url)
        self.join_note.setText(f"This code uses the relay at {url}. {warning}" if warning else "")
        self.join_note.setVisible(bool(warning))

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Choose the sync folder", self.folder.text()
        )
        if chosen:
            self.folder.setText(chosen)

    def show_status(self, status: str) -> None:
        """Offer to cancel while an invite waits (its code may be from before a restart); say
        so when the partner ended the last pairing."""
        q = self.bridge.queries
        closed = q.closing() if q is not None else None
        ended = q.pairing_ended() if q is not None else None
        if closed is not None and closed.ended and q is not None:
            self.ended.setText(closed.sentence(q.today()))
        else:
            self.ended.setText(ended.sentence(q.today()) if ended is not None and q else "")
        self.ended.setVisible(bool(self.ended.text()))
        inviting = status == "inviting"
        if not inviting:
            self.code.clear()
            self.qr.clear()
            self.code_row.hide()
            self.words.clear()
            self.words.hide()
        elif not self.code.toPlainText() and not self.words.text():
            self.waiting.setText(
                "An invite code you made earlier is still waiting for your partner. If you no"
                " longer need it, cancel it."
            )
        self.pending_row.setVisible(inviting)

    def clear(self) -> None:
        """Forget codes, tokens and messages (the vault was locked, or the invite cancelled)."""
        self.code.clear()
        self.qr.clear()
        self.code_row.hide()
        self.words.clear()
        self.words.hide()
        self.pending_row.hide()
        self.relay_token.clear()
        self.join_code.clear()
        self.join_note.hide()
        self.message.hide()
        self._set_busy(False)

    def _set_busy(self, busy: bool, words: str = "") -> None:
        self.invite_button.setEnabled(not busy)
        self.join_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        self.invite_button.setText(words if busy and words else "Create an invite code")

    def show_problem(self, message: str) -> None:
        """Why the last pairing attempt ended (from a sync), in the pairing view's message."""
        self.message.setText(message)
        self.message.show()

    def _fail(self, message: str) -> None:
        self._set_busy(False)
        self.message.setText(message)
        self.message.show()

    # -- actions -------------------------------------------------------------------------

    def _folder_spec(self) -> dict[str, Any] | None:
        folder = self.folder.text().strip()
        if not folder:
            self._fail("Please choose the folder you and your partner both use.")
            return None
        return folder_spec(Path(folder))

    def invite(self) -> None:
        """Create the invite (and, for a relay, its mailbox) on the worker; show code and QR."""
        self.message.hide()
        if self.use_relay.isChecked():
            url = self.relay_url.text().strip()
            if not url:
                self._fail("Please type the relay's address, for example https://relay.example.org")
                return
            token = self.relay_token.text().strip() or None  # sent once, never stored
            spec: dict[str, Any] = {"type": "relay", "url": url, "creation_token": token}
            waiting = "Waiting for your partner. TrustVault asks the relay every few seconds."
            busy = "Contacting the relay…"
        else:
            folder = self._folder_spec()
            if folder is None:
                return
            spec = folder
            waiting = "Waiting for your partner. TrustVault checks the folder every few seconds."
            busy = "Creating the code…"
        self._set_busy(True, busy)

        long_code = self.long_code.isChecked()

        def work(actions: Actions) -> str:
            if spec["type"] == "folder":
                Path(str(spec["path"])).mkdir(parents=True, exist_ok=True)
            return actions.invite(spec) if long_code else actions.invite_by_words(spec)

        def done(code: str) -> None:
            self._set_busy(False)
            self.relay_token.clear()
            if long_code:
                self.code.setPlainText(code)
                self.qr.setPixmap(qr_pixmap(code))
                self.code_row.show()
            else:
                self.words.setText(code)
                self.words.show()
            self.waiting.setText(
                waiting if long_code else "Say this code to your partner. " + waiting
            )
            self.pending_row.show()
            self.bridge.paired_changed()
            self.status_changed.emit()

        self.bridge.write(work, done, self._fail)

    def join(self) -> None:
        """Join with the pasted code: through the relay it names, or through the chosen folder."""
        code = self.join_code.text().strip()
        self.message.hide()
        if not code:
            self._fail("Please paste the code your partner gave you.")
            return
        if is_short_code(code):
            self._join_by_words(code)
            return
        try:
            relay_url = invite_relay_url(code)
        except PairingError as exc:
            self._fail(exc.message)
            return
        spec: dict[str, Any] | None = None
        if not relay_url:
            if self.use_relay.isChecked():
                self._fail(
                    "This code is for a shared folder, not a relay. Choose “A folder you can"
                    " both reach” above and pick the folder your partner chose."
                )
                return
            spec = self._folder_spec()
            if spec is None:
                return
        self._set_busy(True, "")

        def done(_info: object) -> None:
            self._set_busy(False)
            self.join_code.clear()
            self.bridge.paired_changed()
            self.status_changed.emit()

        self.bridge.write(lambda actions: actions.join(code, spec), done, self._fail)

    def _join_by_words(self, code: str) -> None:
        """The spoken code: through the folder or the relay chosen above (the code is too
        short to name one). A word off the list is named at once, before any work."""
        try:
            check_short_code(code)
        except PairingError as exc:
            self._fail(exc.message)
            return
        if self.use_relay.isChecked():
            url = self.relay_url.text().strip()
            if not url:
                self._fail("Please type the relay's address your partner invited through.")
                return
            chosen: dict[str, Any] = relay_spec(url)
        else:
            folder = self._folder_spec()
            if folder is None:
                return
            chosen = folder
        self._set_busy(True, "")

        def done(_info: object) -> None:
            self._set_busy(False)
            self.join_code.clear()
            self.bridge.paired_changed()
            self.status_changed.emit()

        self.bridge.write(lambda actions: actions.join_by_words(code, chosen), done, self._fail)

    def cancel(self) -> None:
        """Withdraw the waiting invite: its code stops working; nothing else changes."""
        self.message.hide()
        self._set_busy(True)

        def done(_none: None) -> None:
            self.clear()
            self.bridge.paired_changed()
            self.status_changed.emit()

        self.bridge.write(lambda actions: actions.unpair(), done, self._fail)
