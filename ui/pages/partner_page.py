"""Partner: pair once (invite or join through a shared folder), compare the safety number, sync.

Pairing runs through :class:`trustvault.sync.service.SyncService` on the bridge's worker. While
inviting, the bridge's sync timer answers the partner's join request as soon as it appears.
"""

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import segno
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from trustvault.paths import default_vault_dir
from trustvault.sync.results import SyncResult
from trustvault.sync.service import SyncService
from trustvault.sync.transports import folder_spec
from trustvault.vault import Vault
from ui import theme
from ui.bridge import SyncFailure, VaultBridge

__all__ = ["PartnerPage", "qr_pixmap"]


def qr_pixmap(text: str, scale: int = 4) -> QPixmap:
    """The invite code as a QR image (segno writes PNG bytes; nothing touches the disk)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    pixmap = QPixmap()
    pixmap.loadFromData(QByteArray(buffer.getvalue()), "PNG")
    return pixmap


def _label(text: str = "", role: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if role:
        label.setProperty("role", role)
    return label


def _card() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("UnlockCard")
    box = QVBoxLayout(frame)
    box.setContentsMargins(24, 20, 24, 20)
    box.setSpacing(10)
    return frame, box


def _button(text: str, primary: bool = False) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text)
    if primary:
        button.setProperty("primary", True)
    return button


class PartnerPage(QWidget):
    """Page contract (refresh, clear, title, new_entry) for the partner and pairing screen."""

    title = "Partner"

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        self.box = QVBoxLayout(body)
        self.box.setContentsMargins(24, 16, 24, 24)
        self.box.setSpacing(16)
        self.stack = QStackedWidget()
        self.box.addWidget(self.stack)
        self.box.addStretch(1)
        self.stack.addWidget(self._unpaired_view())
        self.stack.addWidget(self._waiting_view())
        self.stack.addWidget(self._paired_view())
        self.message = _label("", "error")
        self.message.setAccessibleName("Partner message")
        self.box.insertWidget(0, self.message)
        self.message.hide()
        bridge.unlocked.connect(self.refresh)
        bridge.changed.connect(self.refresh)
        bridge.locked.connect(self.clear)
        bridge.sync_status.connect(self._on_sync)
        if bridge.is_unlocked:
            self.refresh()

    # -- views ---------------------------------------------------------------------------

    def _unpaired_view(self) -> QWidget:
        view = QWidget()
        box = QVBoxLayout(view)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(16)
        card, inner = _card()
        inner.addWidget(_label("Connect with your partner", "title"))
        inner.addWidget(_label(
            "Pairing links your vault with your partner's through a folder you can both reach:"
            " a shared cloud folder, a network drive, or a USB stick you pass between you. Only"
            " what you mark as shared ever leaves this device, sealed so that only your"
            " partner's device can open it. The folder itself sees nothing readable.",
            "subtitle",
        ))  # fmt: skip
        inner.addWidget(_label("Sync folder you both use"))
        row = QHBoxLayout()
        self.folder = QLineEdit(str(default_vault_dir().parent / "TrustVault Sync"))
        self.folder.setAccessibleName("Sync folder")
        choose = _button("Choose…")
        choose.setIcon(theme.icon("folder"))
        choose.clicked.connect(self._choose_folder)
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        inner.addLayout(row)
        box.addWidget(card)

        invite_card, invite = _card()
        invite.addWidget(_label("Invite your partner", "title"))
        invite.addWidget(_label(
            "You get a one-time code to give your partner (read it out, or let them scan the"
            " picture). It works once and expires in a day.", "muted"))  # fmt: skip
        self.invite_button = _button("Create an invite code", primary=True)
        self.invite_button.clicked.connect(self.invite)
        invite.addWidget(self.invite_button, 0, Qt.AlignmentFlag.AlignLeft)
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
        copy = _button("Copy the code")
        copy.setIcon(theme.icon("copy"))
        copy.clicked.connect(lambda: self.bridge.copy_to_clipboard(self.code.toPlainText()))
        code_text.addWidget(self.code)
        code_text.addWidget(copy, 0, Qt.AlignmentFlag.AlignLeft)
        code_text.addWidget(
            _label(
                "Waiting for your partner. TrustVault checks the folder every few seconds.", "muted"
            )
        )
        code_box.addWidget(self.qr)
        code_box.addLayout(code_text, 1)
        self.code_row.hide()
        invite.addWidget(self.code_row)
        box.addWidget(invite_card)

        join_card, join = _card()
        join.addWidget(_label("Join with a code", "title"))
        join.addWidget(_label("Your partner made the code on their device. Paste it here.",
                              "muted"))  # fmt: skip
        self.join_code = QLineEdit()
        self.join_code.setPlaceholderText("Invite code")
        self.join_code.setAccessibleName("Invite code to join")
        join.addWidget(self.join_code)
        self.join_button = _button("Join", primary=True)
        self.join_button.clicked.connect(self.join)
        join.addWidget(self.join_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(join_card)
        box.addStretch(1)
        return view

    def _waiting_view(self) -> QWidget:
        view = QWidget()
        box = QVBoxLayout(view)
        box.setContentsMargins(0, 0, 0, 0)
        card, inner = _card()
        inner.addWidget(_label("Almost connected", "title"))
        self.waiting = _label("", "subtitle")
        inner.addWidget(self.waiting)
        box.addWidget(card)
        box.addStretch(1)
        return view

    def _paired_view(self) -> QWidget:
        view = QWidget()
        box = QVBoxLayout(view)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(16)
        card, inner = _card()
        self.partner_heading = _label("", "title")
        inner.addWidget(self.partner_heading)
        inner.addWidget(_label(
            "You each see what the other chooses to share. Private entries never leave"
            " this device.", "subtitle"))  # fmt: skip
        box.addWidget(card)

        safety_card, safety = _card()
        safety.addWidget(_label("Safety number", "title"))
        self.safety_help = _label("", "muted")
        safety.addWidget(self.safety_help)
        self.safety_number = QLabel()
        self.safety_number.setAccessibleName("Safety number")
        self.safety_number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont("monospace")
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 1.5)
        self.safety_number.setFont(font)
        safety.addWidget(self.safety_number)
        self.key_warning = _label("", "error")
        safety.addWidget(self.key_warning)
        self.verified = _label("", "ok")
        safety.addWidget(self.verified)
        self.verify_button = _button("The numbers match: mark as verified", primary=True)
        self.verify_button.clicked.connect(self.verify)
        safety.addWidget(self.verify_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(safety_card)

        sync_card, sync = _card()
        sync.addWidget(_label("Sync", "title"))
        self.sync_state = _label("", "subtitle")
        self.sync_state.setAccessibleName("Sync status")
        sync.addWidget(self.sync_state)
        self.sync_problems = _label("", "error")
        sync.addWidget(self.sync_problems)
        self.sync_button = _button("Sync now")
        self.sync_button.setIcon(theme.icon("sync"))
        self.sync_button.clicked.connect(self.bridge.sync_now)
        sync.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(sync_card)
        box.addStretch(1)
        return view

    # -- page contract ---------------------------------------------------------------------

    def refresh(self) -> None:
        status, partner = self.bridge.pair_status, self.bridge.partner
        if status == "unpaired" or (status == "inviting" and partner is None):
            self.stack.setCurrentIndex(0)
            return
        if status == "joining" or partner is None:
            self.stack.setCurrentIndex(1)
            name = partner.name if partner else "your partner"
            self.waiting.setText(f"Waiting for {name}'s device to confirm. This happens on its"
                                 " next sync, usually within a minute.")  # fmt: skip
            return
        self.stack.setCurrentIndex(2)
        self.partner_heading.setText(f"You and {partner.name} are connected")
        self.safety_help.setText(
            f"Compare these numbers with {partner.name}, side by side or on a call. If they"
            " match, nobody sits between your devices."
        )
        self.safety_number.setText(_grouped(partner.safety_number))
        self.key_warning.setVisible(partner.key_changed)
        self.key_warning.setText(
            f"{partner.name}'s key has changed since you verified it. Compare the numbers again"
            " before sharing anything sensitive."
        )
        self.verified.setVisible(partner.verified)
        self.verified.setText("Verified: you compared these numbers together.")
        self.verify_button.setVisible(not partner.verified)
        self._on_sync(self.bridge.last_sync)

    def clear(self) -> None:
        self.code.clear()
        self.qr.clear()
        self.code_row.hide()
        self.join_code.clear()
        self.partner_heading.clear()
        self.safety_number.clear()
        self.sync_state.clear()
        self.sync_problems.clear()
        self.waiting.clear()
        self.message.hide()
        self.stack.setCurrentIndex(0)

    def new_entry(self) -> None:
        from ui.dialogs.entry_dialogs import dialog_for

        dialog = dialog_for("disclosure", self.bridge, None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- actions -------------------------------------------------------------------------

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Choose the sync folder", self.folder.text()
        )
        if chosen:
            self.folder.setText(chosen)

    def _spec(self) -> dict[str, Any] | None:
        text = self.folder.text().strip()
        if not text:
            self._fail("Please choose the folder you and your partner both use.")
            return None
        return folder_spec(Path(text))

    def invite(self) -> None:
        spec = self._spec()
        if spec is None:
            return
        self.message.hide()
        self.invite_button.setEnabled(False)

        def work(vault: Vault) -> str:
            Path(str(spec["path"])).mkdir(parents=True, exist_ok=True)
            return SyncService(vault).invite(spec)

        def done(code: str) -> None:
            self.invite_button.setEnabled(True)
            self.code.setPlainText(code)
            self.qr.setPixmap(qr_pixmap(code))
            self.code_row.show()
            self.bridge.paired_changed()

        self.bridge.write(work, done, self._fail)

    def join(self) -> None:
        spec, code = self._spec(), self.join_code.text().strip()
        if spec is None:
            return
        if not code:
            self._fail("Please paste the code your partner gave you.")
            return
        self.message.hide()
        self.join_button.setEnabled(False)

        def done(_info: object) -> None:
            self.join_button.setEnabled(True)
            self.join_code.clear()
            self.bridge.paired_changed()
            self.refresh()

        self.bridge.write(lambda vault: SyncService(vault).join(code, spec), done, self._fail)

    def verify(self) -> None:
        def done(_info: object) -> None:
            self.bridge.paired_changed()
            self.refresh()

        self.bridge.write(lambda vault: SyncService(vault).verify(), done, self._fail)

    def _fail(self, message: str) -> None:
        self.invite_button.setEnabled(True)
        self.join_button.setEnabled(True)
        self.message.setText(message)
        self.message.show()

    def _on_sync(self, result: object) -> None:
        if self.bridge.partner is not None and self.stack.currentIndex() != 2:
            self.refresh()
            return
        if isinstance(result, SyncFailure):
            self.sync_state.setText("The last sync did not finish.")
            self.sync_problems.setText(result.message)
            self.sync_problems.show()
        elif isinstance(result, SyncResult):
            now = datetime.now().strftime("%H:%M")
            waiting = f"{result.pending} waiting for your partner's device" if result.pending else (
                "everything delivered")  # fmt: skip
            self.sync_state.setText(f"Last sync at {now}: {waiting}."
                                    + (f" {result.received} new from your partner."
                                       if result.received else ""))  # fmt: skip
            problems = list(result.problems)
            if result.rejected:
                problems.insert(0, f"{result.rejected} file(s) in the sync folder were refused.")
            self.sync_problems.setText("\n".join(problems))
            self.sync_problems.setVisible(bool(problems))
        else:
            self.sync_state.setText("Syncs automatically every few seconds while unlocked.")
            self.sync_problems.hide()


def _grouped(number: str) -> str:
    groups = number.split()
    return "\n".join(" ".join(groups[i : i + 4]) for i in range(0, len(groups), 4))
