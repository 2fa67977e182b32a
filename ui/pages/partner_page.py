"""Partner: pair once (through a shared folder or a relay), compare the safety number, sync.

Pairing runs through :class:`trustvault.actions.Actions` on the bridge's worker (see
:mod:`ui.pages.pairing_view`). While inviting, the bridge's sync timer answers the partner's join
request as soon as it appears.
"""

from datetime import datetime
from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from trustvault.medium import relay_url_of
from trustvault.results import SyncResult
from ui.bridge import SyncFailure, VaultBridge
from ui.pages.closing_card import ClosingCard
from ui.pages.page import Page
from ui.pages.pairing_view import PairingView
from ui.pages.relay_warning import plain_http_warning
from ui.widgets.basics import Card, button, fill_with_scroll, label

__all__ = ["PartnerPage"]


class PartnerPage(Page):
    """Pairing, the safety number and sync. It follows the vault while hidden: its refresh only
    reads the bridge's pairing state."""

    title = "Partner"
    next_after_setup = True
    reload_when_hidden = True

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        body = QWidget()
        fill_with_scroll(self, body)
        self.box = QVBoxLayout(body)
        self.box.setContentsMargins(24, 16, 24, 24)
        self.box.setSpacing(16)
        self.stack = QStackedWidget()
        self.box.addWidget(self.stack)
        self.box.addStretch(1)
        self.pairing = PairingView(bridge)
        self.pairing.status_changed.connect(self.refresh)
        self.unpair_box: QMessageBox | None = None
        self.stack.addWidget(self.pairing)
        self.stack.addWidget(self._waiting_view())
        self.stack.addWidget(self._paired_view())
        self.message = label("", "error")
        self.message.setAccessibleName("Partner message")
        self.box.insertWidget(0, self.message)
        self.message.hide()
        bridge.sync_status.connect(self._on_sync)

    # -- views ---------------------------------------------------------------------------

    def _waiting_view(self) -> QWidget:
        view = QWidget()
        box = QVBoxLayout(view)
        box.setContentsMargins(0, 0, 0, 0)
        card = Card(roomy=True)
        inner = card.box
        inner.addWidget(label("Almost connected", "title"))
        self.waiting = label("", "subtitle")
        inner.addWidget(self.waiting)
        self.cancel_join_button = button("Cancel", name="Cancel joining")
        self.cancel_join_button.clicked.connect(self.cancel_join)
        inner.addWidget(self.cancel_join_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(card)
        box.addStretch(1)
        return view

    def _paired_view(self) -> QWidget:
        view = QWidget()
        box = QVBoxLayout(view)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(16)
        box.addWidget(self._key_warning_banner())
        card = Card(roomy=True)
        inner = card.box
        self.partner_heading = label("", "title")
        inner.addWidget(self.partner_heading)
        inner.addWidget(label(
            "You each see what the other chooses to share. Private entries never leave"
            " this device.", "subtitle"))  # fmt: skip
        box.addWidget(card)

        safety_card = Card(roomy=True)
        safety = safety_card.box
        safety.addWidget(label("Safety number", "title"))
        self.safety_help = label("", "muted")
        safety.addWidget(self.safety_help)
        self.safety_number = QLabel()
        self.safety_number.setAccessibleName("Safety number")
        self.safety_number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont("monospace")
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 1.5)
        self.safety_number.setFont(font)
        safety.addWidget(self.safety_number)
        self.verified = label("", "ok")
        safety.addWidget(self.verified)
        self.held_note = label("")
        safety.addWidget(self.held_note)
        self.verify_button = button("The numbers match: mark as verified", primary=True)
        self.verify_button.clicked.connect(self.verify)
        safety.addWidget(self.verify_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(safety_card)

        sync_card = Card(roomy=True)
        sync = sync_card.box
        sync.addWidget(label("Sync", "title"))
        self.sync_state = label("", "subtitle")
        self.sync_state.setAccessibleName("Sync status")
        sync.addWidget(self.sync_state)
        self.sync_via = label("", "muted")
        self.sync_via.setAccessibleName("How your devices sync")
        sync.addWidget(self.sync_via)
        self.last_heard = label("")
        self.last_heard.setAccessibleName("Last heard from your partner's device")
        sync.addWidget(self.last_heard)
        # Calm on purpose (no error colour): a quiet device is a fact to know, not an alarm.
        self.quiet_note = label("", "subtitle")
        self.quiet_note.setAccessibleName("Your partner's device is quiet")
        sync.addWidget(self.quiet_note)
        self.sync_problems = label("", "error")
        sync.addWidget(self.sync_problems)
        self.sync_button = button("Sync now", icon="sync")
        self.sync_button.clicked.connect(self.bridge.sync_now)
        actions = QHBoxLayout()
        actions.addWidget(self.sync_button)
        actions.addStretch(1)
        self.unpair_button = button("Unpair…", name="Unpair")
        self.unpair_button.clicked.connect(self.ask_unpair)
        actions.addWidget(self.unpair_button)
        # Shown only after unpairing said it waits for a withdrawal to reach the partner.
        self.unpair_anyway_button = button("Unpair anyway", name="Unpair anyway")
        self.unpair_anyway_button.clicked.connect(lambda: self.unpair(anyway=True))
        self.unpair_anyway_button.hide()
        actions.addWidget(self.unpair_anyway_button)
        sync.addLayout(actions)
        box.addWidget(sync_card)
        self.closing_card = ClosingCard(self.bridge, self._fail)
        box.addWidget(self.closing_card)
        box.addStretch(1)
        return view

    def _key_warning_banner(self) -> QFrame:
        """A loud banner, first on the page, while the partner's key is not the verified one."""
        self.key_banner = QFrame()
        self.key_banner.setObjectName("KeyWarning")
        inner = QVBoxLayout(self.key_banner)
        inner.setContentsMargins(23, 16, 23, 16)  # text lines up with the cards'
        inner.setSpacing(6)
        heading = label("The safety number has changed", "error")
        heading.setObjectName("KeyWarningHeading")
        inner.addWidget(heading)
        self.key_warning = label()
        self.key_warning.setAccessibleName("Key changed warning")
        inner.addWidget(self.key_warning)
        self.key_banner.hide()
        return self.key_banner

    # -- page hooks ------------------------------------------------------------------------

    def refresh(self) -> None:
        status, partner = self.bridge.pair_status, self.bridge.partner
        if status == "unpaired" or (status == "inviting" and partner is None):
            self.stack.setCurrentIndex(0)
            self.pairing.show_status(status)
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
        self.key_banner.setVisible(partner.key_changed)
        self.key_warning.setText(
            f"{partner.name}'s key is not the one you verified before. That is expected if"
            " they set up a new vault or device; if not, someone may be sitting between your"
            " devices. Compare the numbers below together before sharing anything sensitive."
        )
        self.verified.setVisible(partner.verified)
        self.verified.setText("Verified: you compared these numbers together.")
        self.verify_button.setVisible(not partner.verified)
        held = q.held_for_verification() if (q := self.bridge.queries) is not None else 0
        self.held_note.setVisible(bool(held) and not partner.verified)
        self.held_note.setText(
            f"{'1 entry' if held == 1 else f'{held} entries'} you shared before pairing"
            f" {'waits' if held == 1 else 'wait'} here until you mark the numbers verified:"
            f" nothing you wrote earlier goes to a key nobody compared."
        )
        self.sync_via.setText(self._sync_via())
        self._on_sync(self.bridge.last_sync)
        self.closing_card.show_closing(q.closing() if q is not None else None, partner.name)

    def clear(self) -> None:
        self.pairing.clear()
        self.partner_heading.clear()
        self.safety_number.clear()
        self.sync_state.clear()
        self.sync_via.clear()
        self.last_heard.clear()
        self.quiet_note.clear()
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

    def verify(self) -> None:
        def done(_info: object) -> None:
            self.bridge.paired_changed()
            self.refresh()

        self.bridge.write(lambda actions: actions.verify(), done, self._fail)

    def ask_unpair(self) -> None:
        """Confirm in plain words first; the box is kept on ``unpair_box`` (tests answer it)."""
        name = self.bridge.partner.name if self.bridge.partner else "your partner"
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unpair")
        box.setText(f"Stop syncing with {name}?")
        box.setInformativeText(
            "Everything already on this device stays here, including what you shared and what"
            f" {name} shared with you. From now on nothing more is sent or received.\n\n"
            "To pair again, one of you makes a new invite code. If the key on the other side is"
            " different then, TrustVault will warn you so you can compare numbers again."
        )
        unpair = box.addButton("Unpair", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep syncing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)  # Enter keeps things as they are
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            self.unpair_box = None
            if box.clickedButton() is unpair:
                self.unpair()

        box.finished.connect(lambda _result: answered())
        self.unpair_box = box
        box.open()

    def unpair(self, anyway: bool = False) -> None:
        """Forget the pairing on the worker (entries stay), then show the not-paired view.

        It may wait, saying why (a withdrawal on its way); then "Unpair anyway" is offered.
        """
        self.message.hide()
        self.unpair_anyway_button.hide()
        self.unpair_button.setEnabled(False)
        self.cancel_join_button.setEnabled(False)

        def done(_none: None) -> None:
            self.unpair_button.setEnabled(True)
            self.cancel_join_button.setEnabled(True)
            self.pairing.clear()
            self.bridge.paired_changed()
            self.refresh()

        self.bridge.write(lambda actions: actions.unpair(anyway=anyway), done, self._fail)

    def cancel_join(self) -> None:
        """A pending join is cancelled the same way, without asking."""
        self.unpair()

    def _fail(self, message: str) -> None:
        self.unpair_button.setEnabled(True)
        self.cancel_join_button.setEnabled(True)
        self.message.setText(message)
        self.message.show()
        self.unpair_anyway_button.setVisible(message.startswith("Unpairing waits"))

    def _sync_via(self) -> str:
        """Which folder or relay carries the sealed files (one small read of the pairing row)."""
        q = self.bridge.queries
        spec = (q.pairing_spec() if q is not None else None) or {}
        if spec.get("type") == "folder":
            return f"Through the folder {spec.get('path', '')}."
        if spec.get("type") == "relay":
            url = relay_url_of(spec)
            words = f"Through the relay at {urlsplit(url).netloc or url}."
            warning = plain_http_warning(url)
            return f"{words} {warning}" if warning else words
        return ""

    def _on_sync(self, result: object) -> None:
        if isinstance(result, SyncFailure) and self.stack.currentIndex() != 2:
            # A pairing that ended before it began (a wrong short code, an expired one): say
            # why where the person pairs, since the connected view is not on screen.
            self.refresh()
            self.pairing.show_problem(result.message)
            return
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
        self._show_heard(reached=isinstance(result, SyncResult))

    def _show_heard(self, *, reached: bool) -> None:
        """When the partner's device last synced (one small read); the calm note only after a
        sync that reached the medium, since otherwise the silence may be this device's."""
        q = self.bridge.queries
        heard = q.last_heard() if q is not None else None
        self.last_heard.setText(heard.line if heard is not None else "")
        self.last_heard.setVisible(heard is not None)
        quiet = heard is not None and reached and heard.quiet
        self.quiet_note.setText(heard.warning if heard is not None and quiet else "")
        self.quiet_note.setVisible(quiet)


def _grouped(number: str) -> str:
    groups = number.split()
    return "\n".join(" ".join(groups[i : i + 4]) for i in range(0, len(groups), 4))
