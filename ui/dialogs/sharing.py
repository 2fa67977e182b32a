"""Sharing and responses for one entry: share, undo, withdraw, share again, delete; read,
need time; comments.

Withdrawing is explained honestly before it happens (:data:`Actions.REVOCATION_NOTE`): it
removes the entry from the partner's device and the sync folder, but cannot undo a reading.
While a share waits its hold ("Sending in 4:12"), Undo takes it back without that warning:
nothing of it has left this device.
"""

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trustvault.actions import Actions
from trustvault.errors import TrustVaultError
from trustvault.queries import Queries
from trustvault.results import (
    Delivery,
    DeliveryState,
    Entry,
    ResponseState,
    SyncResult,
    Visibility,
    spoken_day,
)
from ui.bridge import VaultBridge
from ui.dialogs.delete_entry import ask_to_delete
from ui.dialogs.entry_dialogs import answer_question
from ui.models.timeline_model import (
    HELD_TITLE,
    KIND_LABELS,
    display_title,
    held_summary,
    readable_when,
    row_summary,
    seconds_until,
)
from ui.widgets.basics import button, label
from ui.widgets.entry_content import ContentView
from ui.widgets.wrapping_rows import wrapping_list

_WITHDRAWN = (DeliveryState.WITHDRAWN, DeliveryState.WITHDRAWING)

__all__ = ["SharingDialog"]


class SharingDialog(QDialog):
    """Sharing controls for the author, responses for the partner, comments for both."""

    def __init__(self, bridge: VaultBridge, entry_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.entry_id = entry_id
        self.setWindowTitle("Sharing and comments")
        self.setAccessibleName("Sharing and comments")
        self.resize(560, 680)
        box = QVBoxLayout(self)
        box.setSpacing(10)
        self.heading = label("", "title")
        self.summary = label("", "muted")
        self.state = label("")
        self.state.setAccessibleName("Sharing state")
        self.note = label("", "muted")
        self.message = label("", "error")
        self.message.hide()
        for widget in (self.heading, self.summary):
            box.addWidget(widget)
        self.content = ContentView()  # the whole entry, read where it is answered
        box.addWidget(self.content, 1)
        self.held = label("", "muted")  # instead of the content while it is held
        self.held.setAccessibleName("Held for your session")
        self.open_button = self._button("Open it now", "eye", self.open_held, True)
        self.open_button.setToolTip("Read it now; it stays open from then on.")
        held_row = QHBoxLayout()
        held_row.addWidget(self.held, 1)
        held_row.addWidget(self.open_button)
        box.addLayout(held_row)
        for widget in (self.state, self.note):
            box.addWidget(widget)
        buttons = QHBoxLayout()
        self.share_button = self._button("Share with your partner", "shared", self.share, True)
        self.undo_button = self._button("Undo", "revoked", self.undo, True)
        self.undo_button.setAccessibleName("Undo sharing")
        self.undo_button.setToolTip("Keep it on this device: nothing of it has been sent yet.")
        self.withdraw_button = self._button("Withdraw…", "revoked", self.withdraw)
        self.withdraw_button.setToolTip(Actions.REVOCATION_NOTE)
        self.read_button = self._button("I have read this", "check", self.ack, True)
        self.time_button = self._button("I need some time", "history", self.need_time)
        self.answer_button = self._button("Answer…", "disclosure", self.answer, True)
        self.answer_button.setToolTip("Answer it with a disclosure linked to the question.")
        self.delete_button = self._button("Delete…", "revoked", self.delete)
        self.delete_button.setToolTip("Delete it for good, here and on your partner's device.")
        for action in (
            self.share_button,
            self.undo_button,
            self.withdraw_button,
            self.delete_button,
            self.read_button,
            self.time_button,
            self.answer_button,
        ):
            buttons.addWidget(action)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.with_history = QCheckBox()
        self.with_history.setAccessibleName("Also send the earlier versions")
        self.with_history.hide()
        box.addWidget(self.with_history)
        box.addWidget(self.message)
        self.comments_heading = label("Comments", "subtitle")
        box.addWidget(self.comments_heading)
        # On the partner's shared trigger: the question this device asks of its person, so
        # the reply is reassurance rather than a defence (trustvault.triggers).
        self.prompt = label("", "")
        self.prompt.setAccessibleName("What your partner needs")
        self.prompt.hide()
        box.addWidget(self.prompt)
        self.comments = wrapping_list("Comments")
        box.addWidget(self.comments, 1)
        self.comment_box = QPlainTextEdit()
        self.comment_box.setPlaceholderText("Write a comment your partner will see")
        self.comment_box.setAccessibleName("New comment")
        self.comment_box.setMaximumHeight(80)
        self.comment_box.setTabChangesFocus(True)
        box.addWidget(self.comment_box)
        row = QHBoxLayout()
        self.comment_button = self._button("Add comment", "comment", self.comment)
        row.addWidget(self.comment_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        # Enter closes (a reading view: nothing changes); sharing, answering and withdrawing
        # each take their own button, never the Enter key.
        close_button = close.button(QDialogButtonBox.StandardButton.Close)
        row.addWidget(close)
        box.addLayout(row)
        for action in self.findChildren(QPushButton):  # every button is the dialog's by now
            action.setAutoDefault(False)
        close_button.setDefault(True)
        self._leaves: datetime | None = None
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        bridge.changed.connect(self.load)
        # A sync that changed nothing here may still change what is known of the partner's
        # device (its heartbeat, whether the medium was reached): the state's words follow.
        bridge.sync_status.connect(self._on_sync)
        bridge.locked.connect(self._on_locked)
        self.load()

    def _button(
        self, text: str, icon: str, slot: Callable[[], None], primary: bool = False
    ) -> QPushButton:
        widget = button(text, name=text.rstrip("…"), icon=icon, primary=primary)
        widget.clicked.connect(slot)
        return widget

    # -- showing -------------------------------------------------------------------------

    def load(self) -> None:
        q = self.bridge.queries
        if q is None:
            return
        try:
            entry = q.entry(self.entry_id)
        except TrustVaultError as exc:
            self.heading.setText(exc.message)
            return
        mine = q.is_mine(entry)
        delivery = q.delivery(entry.id)
        partner = self.bridge.partner.name if self.bridge.partner else "your partner"
        gone = q.withdrawal(entry.id)
        word = "deleted" if gone is not None and gone.deleted else "withdrawn"
        held = q.reading(entry.id).held and bool(entry.fields)
        title = HELD_TITLE if held else display_title(entry, word)
        self.heading.setText(f"{KIND_LABELS[entry.kind]}: {title}")
        if held:
            self.content.clear()
            self.held.setText(
                f"{held_summary(entry)}. It stays closed until you open it; "
                f"{self.bridge.name_of(entry.author)} is not told either way."
            )
        else:
            self.content.show_fields(entry.fields)
        self.content.setVisible(not held)
        self.held.setVisible(held)
        self.open_button.setVisible(held)
        by = self.bridge.name_of(entry.author)
        told, author = q.telling(entry), "you" if mine else by
        full = row_summary(entry, word, told, author, full=True)
        summary = f"By {by}" if held else f"By {by} · {full}"
        question = q.question_of(entry) if entry.kind == "disclosure" and not held else None
        if question is not None:
            whose = "your" if q.is_mine(question) else f"{self.bridge.name_of(question.author)}'s"
            summary += f"\nIn answer to {whose} question: “{question.title}”"
        self.summary.setText(summary)
        self.state.setText(self._state_words(entry, q, delivery, partner))
        shared = entry.visibility == Visibility.SHARED
        self.note.setText(
            Actions.REVOCATION_NOTE if shared else (
                f"Sharing sends it to {partner}'s device. You can withdraw it later, but that"
                f" cannot undo what {partner} has already read.")
        )  # fmt: skip
        self.note.setVisible(mine)
        self.share_button.setVisible(mine and not shared)
        self.share_button.setText(
            "Share again" if delivery.state in _WITHDRAWN else
            f"Share with {partner}")  # fmt: skip
        undoable = mine and shared and q.undoable(entry.id)
        self.undo_button.setVisible(undoable)
        self.withdraw_button.setVisible(mine and shared and not undoable)
        self.delete_button.setVisible(mine)
        sending = delivery.state is DeliveryState.SENDING
        self._leaves = datetime.fromisoformat(delivery.at) if sending else None
        if sending:
            self._countdown.start()
        else:
            self._countdown.stop()
        drafts = q.drafts_before_sharing(entry)
        self.with_history.setVisible(bool(drafts))
        self.with_history.setText(
            f"Also send the {'earlier version' if drafts == 1 else f'{drafts} earlier versions'}"
            " (otherwise only what it says now; the drafts stay on this device)"
        )
        self.answer_button.setVisible(not mine and shared and entry.kind == "question")
        self.read_button.setVisible(not mine and shared)
        self.time_button.setVisible(not mine and shared)
        self._word_replies(q, entry, held)
        self.comment_box.setEnabled(shared)
        self.comment_button.setEnabled(shared)
        self.comments.clear()
        for item in q.comments(entry.id):
            who = "You" if item.person == q.device_id else self.bridge.name_of(item.person)
            row = QListWidgetItem(f"{who}, {readable_when(item.at)}\n{item.text}")
            row.setData(Qt.ItemDataRole.AccessibleTextRole, f"{who} wrote: {item.text}")
            self.comments.addItem(row)

    def _word_replies(self, q: Queries, entry: Entry, held: bool) -> None:
        """Comments, or on a trigger the partner shared: its reassurance question and reply."""
        prompt = None if held else q.reassurance_prompt(entry)
        trigger = entry.kind == "trigger"
        self.prompt.setText(prompt or "")
        self.prompt.setVisible(prompt is not None)
        self.comments_heading.setText("Reassurance" if trigger else "Comments")
        self.comment_box.setPlaceholderText(
            "Write what would help; no need to explain or defend"
            if prompt
            else "Write a comment your partner will see"
        )
        self.comment_button.setText("Send reassurance" if prompt else "Add comment")

    def _state_words(self, entry: Entry, q: Queries, delivery: Delivery, partner: str) -> str:
        mine = q.is_mine(entry)
        if entry.visibility == Visibility.WITHDRAWN:
            gone = q.withdrawal(entry.id)
            when = f" on {readable_when(gone.at)}" if gone else ""
            verb = "deleted" if gone and gone.deleted else "withdrew"
            return f"{self.bridge.name_of(entry.author)} {verb} this{when}."
        responses = [r for r in q.responses(entry.id) if r.person != entry.author]
        answer = ""
        if responses:
            last = responses[-1]
            who = "You" if not mine else partner
            verb = "read this" if last.state is ResponseState.READ else "asked for some time"
            answer = f" {who} {verb} on {readable_when(last.at)}."
        if not mine:
            return f"Shared with you by {self.bridge.name_of(entry.author)}.{answer}"
        if entry.visibility != Visibility.SHARED:
            if delivery.state is DeliveryState.WITHDRAWING:
                return (
                    f"Withdrawal pending: it leaves {partner}'s device when that device next"
                    f" syncs{_paren(_last_synced(q))}. Until then {partner} can still read it."
                    + self._quiet(q)
                )
            if delivery.state is DeliveryState.WITHDRAWN:
                return f"Private again: you withdrew it from {partner}'s device."
            return "Private: it never leaves this device."
        if self.bridge.partner is None:
            return "Shared: your partner will see it once you are paired."
        if delivery.state is DeliveryState.DELIVERED:
            when = spoken_day(date.fromisoformat(delivery.day), q.today(), on=True)
            meaning = answer or f" That means it is there, not that {partner} has read it."
            return f"Delivered to {partner}'s device {when}.{meaning}"
        if delivery.state is DeliveryState.HELD:
            return (
                f"Shared, and waiting: you wrote it before pairing with {partner}, so it is sent"
                " once you have compared the safety numbers and marked them verified (Partner)."
            )
        if delivery.state is DeliveryState.SENDING:
            return self._sending_words(delivery.left, partner)
        if q.undoable(entry.id):
            return (
                f"Shared; it goes to {partner}'s device at the next sync. Nothing has left this"
                " device yet: Undo keeps it here."
            )
        synced = _last_synced(q)
        if synced:
            return (
                f"Shared; it waits for {partner}'s device, which {synced}.{answer}" + self._quiet(q)
            )
        return f"Shared; waiting for {partner}'s device to pick it up.{answer}"

    def _quiet(self, q: Queries) -> str:
        """The calm note when that device has been quiet for over a week, once this device's
        last sync reached the medium (before that, the silence may be this device's own)."""
        heard = q.last_heard()
        reached = isinstance(self.bridge.last_sync, SyncResult)
        return f" {heard.warning}" if heard is not None and heard.quiet and reached else ""

    def _on_sync(self, _result: object) -> None:
        q = self.bridge.queries
        if q is None:
            return
        try:
            entry = q.entry(self.entry_id)
        except TrustVaultError:
            return  # load() says so on the next change
        partner = self.bridge.partner.name if self.bridge.partner else "your partner"
        self.state.setText(self._state_words(entry, q, q.delivery(entry.id), partner))

    @staticmethod
    def _sending_words(left: int, partner: str) -> str:
        return (
            f"Sending in {left // 60}:{left % 60:02d} — Undo keeps it on this device. Nothing"
            f" has left yet; {partner}'s device gets it after that."
        )

    def _tick(self) -> None:
        """Once a second while the share waits its hold: count down from the moment it leaves
        (the vault is read again only once that moment has passed)."""
        if self._leaves is None:
            self._countdown.stop()
            return
        left = seconds_until(self._leaves, self.bridge)
        if left <= 0:
            self._countdown.stop()
            self.load()
            return
        partner = self.bridge.partner.name if self.bridge.partner else "your partner"
        self.state.setText(self._sending_words(left, partner))

    # -- actions -------------------------------------------------------------------------

    def _write(self, action: Callable[[Actions], object]) -> None:
        self.message.hide()
        self.bridge.write(action, on_error=self._fail)

    def share(self) -> None:
        """Share, or share again when the entry was withdrawn (the button says which)."""
        entry_id, again = self.entry_id, self.share_button.text() == "Share again"
        history = not self.with_history.isHidden() and self.with_history.isChecked()
        self._write(
            lambda a: a.share_again(entry_id) if again else a.share(entry_id, with_history=history)
        )

    def withdraw(self) -> None:
        answer = QMessageBox.question(
            self,
            "Withdraw this entry?",
            Actions.REVOCATION_NOTE + "\n\nWithdraw it now?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.withdraw_now()

    def delete(self) -> None:
        """Ask, then delete; the dialog closes, as nothing of the entry is left to show."""
        q = self.bridge.queries
        if q is not None:
            ask_to_delete(self, self.bridge, q.entry(self.entry_id), lambda _copy: self.accept())

    def undo(self) -> None:
        """Take back a share that has not left: no warning, since nothing was sent."""
        entry_id = self.entry_id
        self._write(lambda a: a.withdraw(entry_id))

    def withdraw_now(self) -> None:
        entry_id = self.entry_id
        self._write(lambda a: a.withdraw(entry_id))

    def ack(self) -> None:
        entry_id = self.entry_id
        self._write(lambda a: a.acknowledge(entry_id))

    def need_time(self) -> None:
        entry_id = self.entry_id
        self._write(lambda a: a.acknowledge(entry_id, need_time=True))

    def comment(self) -> None:
        text, entry_id = self.comment_box.toPlainText(), self.entry_id

        def add(actions: Actions) -> str:
            return actions.comment(entry_id, text)

        self.message.hide()
        self.bridge.write(add, lambda _cid: self.comment_box.clear(), self._fail)

    def open_held(self) -> None:
        """Open the entry held for a session: the person chose to read it now."""
        entry_id = self.entry_id
        self._write(lambda a: a.open_held(entry_id))

    def answer(self) -> None:
        """Open the disclosure editor linked to this question of the partner's."""
        q = self.bridge.queries
        if q is not None:
            answer_question(self.bridge, q.entry(self.entry_id), self.parentWidget() or self)

    def _fail(self, message: str) -> None:
        self.message.setText(message)
        self.message.show()

    def _on_locked(self) -> None:
        self._countdown.stop()
        self.comments.clear()
        self.comment_box.clear()
        self.content.clear()
        for widget in (self.heading, self.summary, self.state, self.note):
            widget.clear()
        self.reject()


def _last_synced(q: Queries) -> str:
    """Words like "last synced yesterday" (as its heartbeat said), or "" before one came."""
    heard = q.last_heard()
    return f"last synced {heard.when(on=True)}" if heard is not None and heard.day else ""


def _paren(words: str) -> str:
    return f" (it {words})" if words else ""
