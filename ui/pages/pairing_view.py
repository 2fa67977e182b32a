"""The partner page before pairing: how the two devices meet (a folder or a relay), invite, join.

Everything that touches the folder or the network (creating the relay mailbox, joining it) runs
through the bridge's worker; the UI thread only parses the code (pure text) to learn whether it
carries a relay address.
"""

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QWidget,
)

from trustvault.actions import Actions
from trustvault.errors import PairingError
from trustvault.medium import (
    check_short_code,
    folder_spec,
    invite_relay_url,
    is_short_code,
    relay_spec,
)
from ui.bridge import VaultBridge
from ui.pages.pairing_cards import PairingCards
from ui.pages.relay_warning import plain_http_warning
from ui.widgets.basics import qr_pixmap

__all__ = ["PairingView"]


class PairingView(PairingCards):
    """Choose folder or relay, then invite (code + QR) or join (paste a code).

    ``status_changed`` fires once an invite, a join or a cancel has been written, so the page
    can switch views at once instead of on the next sync.
    """

    status_changed = Signal()

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.use_folder.toggled.connect(lambda _on: self._show_way())
        self.choose_button.clicked.connect(self._choose_folder)
        self.relay_url.textChanged.connect(self._check_url)
        self.invite_button.clicked.connect(self.invite)
        self.copy_button.clicked.connect(
            lambda: self.bridge.copy_to_clipboard(self.code.toPlainText())
        )
        self.cancel_button.clicked.connect(self.cancel)
        self.join_code.textChanged.connect(self._check_code)
        self.join_button.clicked.connect(self.join)
        self._show_way()

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
