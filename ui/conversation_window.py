"""A structured conversation's window: one field per part, "I'm done", waiting, then both parts.

Opened from a calendar occurrence ("Talk it through…") or from the Check-ins page. While this
person writes, only their own fields show; "I'm done" fixes them (the core sends a commitment,
never the words). Then the window waits for the partner, in words that say where the promise
stops (:data:`trustvault.conversation_view.PROMISE`), and once both parts are here it shows
them side by side, read-only. Once the two are no longer paired, an unfinished one can be set
aside ("Set aside", shown only then): it stops waiting, and nothing is sent. It opens with the
conversation already read and reads it again through the bridge's worker whenever the vault
changes (the partner's sync included), so the UI thread never waits on the disk. A lock keeps
what was typed, on this device only, and closes the window.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trustvault.conversation_view import PROMISE, SET_ASIDE, Conversation, PartState
from trustvault.results import PairStatus
from ui.bridge import VaultBridge
from ui.widgets.basics import Card, fill_with_scroll, label, set_role

if TYPE_CHECKING:
    from trustvault.actions import Actions

__all__ = [
    "ConversationWindow",
    "open_conversation",
    "show_conversation",
    "start_and_open",
    "waiting_words",
]


def waiting_words(talk: Conversation, partner: str) -> str:
    """What the window says of where the two parts are."""
    mine, theirs = talk.mine.state, talk.partner.state
    if talk.set_aside:
        return SET_ASIDE
    if talk.both_shown:
        return f"You are both done. Here are both parts, yours and {partner}'s, side by side."
    if mine is PartState.WRITING and theirs is PartState.WRITING:
        return f"{partner} has not finished yet either. Nothing is shown until you are both done."
    if mine is PartState.WRITING:
        return f"{partner} is done. Write your part; both are shown when you are done too."
    if theirs is PartState.WRITING:
        return f"Waiting for {partner}. Your part is fixed and stays here until they are done."
    return f"You are both done. {partner}'s part arrives with the next sync."


class ConversationWindow(QDialog):
    """One conversation, for as long as it is open."""

    def __init__(
        self,
        bridge: VaultBridge,
        talk: Conversation,
        parent: QWidget | None = None,
        *,
        paired: bool = True,
    ):
        super().__init__(parent)
        self.bridge = bridge
        self.conversation_id = talk.id
        self.talk: Conversation | None = None
        self.paired = paired
        self._closed = False
        self.heading = label("", "title", selectable=True)
        self.about = label("", "muted", selectable=True)
        self.promise = label(PROMISE, "muted", selectable=True)
        self.state_words = label("", selectable=True)
        self.state_words.setAccessibleName("Where the two parts are")
        self.error = label("", "error", selectable=True)
        self.error.setVisible(False)
        self.fields: dict[str, QPlainTextEdit] = {}
        self.shown: dict[tuple[str, str], object] = {}
        self.writing = QWidget()
        self.revealed = QWidget()
        self.keep_button = QPushButton("Keep for later")
        self.keep_button.setAccessibleName("Keep my part on this device for later")
        self.keep_button.clicked.connect(self.keep)
        self.done_button = QPushButton("I'm done")
        self.done_button.setProperty("primary", True)
        self.done_button.setAccessibleName("I'm done: fix my part")
        self.done_button.clicked.connect(self.finish)
        self.set_aside_button = QPushButton("Set aside")
        self.set_aside_button.setAccessibleName(
            "Set this conversation aside: you are no longer paired, so it cannot be finished"
        )
        self.set_aside_button.clicked.connect(self.set_aside)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.done_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.set_aside_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self._built_for = ""
        body = QWidget()
        self.box = QVBoxLayout(body)
        for widget in (self.heading, self.about, self.promise, self.state_words, self.writing,
                       self.revealed, self.error):  # fmt: skip
            self.box.addWidget(widget)
        self.box.addStretch(1)
        outer = QVBoxLayout(self)
        holder = QWidget()
        fill_with_scroll(holder, body)
        outer.addWidget(holder, 1)
        outer.addWidget(self.buttons)
        self.resize(760, 640)
        bridge.changed.connect(self.refresh)
        bridge.about_to_lock.connect(self._keep_on_lock)
        self.finished.connect(self._forget)
        self.show_talk(talk)

    def _partner(self) -> str:
        partner = self.bridge.partner
        return partner.name if partner is not None and partner.name else "Your partner"

    def refresh(self) -> None:
        """Read the conversation again off the UI thread; :meth:`show_talk` applies it."""
        if self.bridge.queries is None:
            return
        cid = self.conversation_id
        self.bridge.read(
            lambda q: (q.conversation(cid), q.pair_status() is PairStatus.PAIRED),
            lambda read: self.show_talk(*read),
            self._failed,
        )

    def _forget(self) -> None:
        """Closed: a read still on its way finds no window to fill (it is deleted on close)."""
        self._closed = True

    def show_talk(self, talk: Conversation, paired: bool | None = None) -> None:
        """Show the conversation as read (on the UI thread), and whether the two are paired
        (None: as it was)."""
        if self._closed:
            return
        first = self.talk is None
        self.talk = talk
        self.paired = self.paired if paired is None else paired
        self.setWindowTitle(talk.template.name)
        self.heading.setText(talk.template.name)
        self.about.setText(talk.template.about)
        self.state_words.setText(waiting_words(talk, self._partner()))
        writing = talk.mine.state is PartState.WRITING and not talk.set_aside
        if first or (writing and not self.fields):
            self._build_writing(talk)
        for field in self.fields.values():
            field.setReadOnly(not writing)
        self.keep_button.setVisible(writing)
        self.done_button.setVisible(writing)
        self.set_aside_button.setVisible(talk.can_set_aside and not self.paired)
        if talk.both_shown and self._built_for != "revealed":
            self.revealed.setVisible(False)  # shown below with its new children
            self._build_revealed(talk)
        self.writing.setVisible(not talk.both_shown)
        self.revealed.setVisible(talk.both_shown)

    def _build_writing(self, talk: Conversation) -> None:
        grid = QVBoxLayout(self.writing)
        grid.setContentsMargins(0, 0, 0, 0)
        for part in talk.template.parts:
            card = Card()
            card.box.addWidget(label(part.title, "subtitle"))
            card.box.addWidget(label(part.prompt, "muted"))
            field = QPlainTextEdit()
            field.setAccessibleName(part.title)
            field.setTabChangesFocus(True)
            field.setPlainText(talk.mine.answers.get(part.key, ""))
            field.setMinimumHeight(70)
            card.box.addWidget(field)
            self.fields[part.key] = field
            grid.addWidget(card)

    def _build_revealed(self, talk: Conversation) -> None:
        self._built_for = "revealed"
        grid = QGridLayout(self.revealed)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(label("You", "subtitle"), 0, 1)
        grid.addWidget(label(self._partner(), "subtitle"), 0, 2)
        for row, part in enumerate(talk.template.parts, start=1):
            grid.addWidget(label(part.title, "subtitle"), row, 0, Qt.AlignmentFlag.AlignTop)
            for column, (who, answers) in enumerate(
                (("mine", talk.mine.answers), ("partner", talk.partner.answers)), start=1
            ):
                shown = label(answers.get(part.key) or "—", selectable=True)
                shown.setTextFormat(Qt.TextFormat.PlainText)
                shown.setAccessibleName(f"{part.title}, {'you' if who == 'mine' else 'partner'}")
                grid.addWidget(shown, row, column, Qt.AlignmentFlag.AlignTop)
                self.shown[(who, part.key)] = shown
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)

    def answers(self) -> dict[str, str]:
        return {key: field.toPlainText() for key, field in self.fields.items()}

    def keep(self) -> None:
        answers = self.answers()
        self._busy(True)
        self.bridge.write(
            lambda a: a.write_part(self.conversation_id, answers),
            lambda _t: self._said("Kept on this device only."),
            self._failed,
        )

    def finish(self) -> None:
        answers = self.answers()
        self._busy(True)

        self.bridge.write(lambda a: a.finish_part(self.conversation_id, answers),
                          lambda _t: self._said(""), self._failed)  # fmt: skip

    def set_aside(self) -> None:
        """Set it aside (unpaired only): what was typed is kept first, on this device only."""
        answers = self.answers()
        writing = self.talk is not None and self.talk.mine.state is PartState.WRITING
        cid = self.conversation_id

        def set_aside(a: "Actions") -> Conversation:
            if writing:
                a.write_part(cid, answers)
            return a.set_aside_conversation(cid)

        self._busy(True)
        self.bridge.write(set_aside, self._set_aside_done, self._failed)

    def _set_aside_done(self, talk: Conversation) -> None:
        self._said("")
        self.show_talk(talk)

    def _keep_on_lock(self) -> None:
        """Keep what was typed (this device only) before the vault closes."""
        talk = self.talk
        if talk is None or talk.mine.state is not PartState.WRITING or not self.fields:
            return
        if talk.set_aside:
            return
        answers = self.answers()
        if answers != {k: talk.mine.answers.get(k, "") for k in answers}:
            self.bridge.write(lambda a: a.write_part(self.conversation_id, answers))

    def _busy(self, on: bool) -> None:
        for action in (self.keep_button, self.done_button, self.set_aside_button):
            action.setEnabled(not on)

    def _said(self, text: str) -> None:
        self._busy(False)
        set_role(self.error, "ok")
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _failed(self, message: str) -> None:
        self._busy(False)
        set_role(self.error, "error")
        self.error.setText(message)
        self.error.setVisible(True)


def open_conversation(
    bridge: VaultBridge,
    conversation_id: str,
    parent: QWidget,
    on_error: Callable[[str], None] | None = None,
) -> None:
    """The conversation's window, raised if it is open already (one per conversation), opened
    once the worker has read it."""
    bridge.read(
        lambda q: (q.conversation(conversation_id), q.pair_status() is PairStatus.PAIRED),
        lambda read: show_conversation(bridge, read[0], parent, paired=read[1]),
        on_error,
    )


def show_conversation(
    bridge: VaultBridge, talk: Conversation, parent: QWidget, *, paired: bool = True
) -> None:
    """The window of ``talk`` (already read), or the open one raised."""
    from ui.entry_windows import windows_of

    windows_of(bridge).single(
        ("talk", talk.id), lambda: ConversationWindow(bridge, talk, parent, paired=paired)
    )


def start_and_open(
    bridge: VaultBridge,
    template: str,
    parent: QWidget,
    *,
    event_id: str = "",
    original_start: str = "",
    on_error: Callable[[str], None] | None = None,
) -> None:
    """Open a new conversation from ``template`` (and the occurrence, if given) and its window."""
    bridge.write(
        lambda a: a.start_conversation(template, event_id=event_id, original_start=original_start),
        lambda talk: show_conversation(bridge, talk, parent),
        on_error,
    )
