"""On unlock, offer back what an editor held when the vault locked: "You were writing…".

The drafts are read on the worker (with the entries they edit); each is offered in turn in a
calm box: Continue reopens its editor with the text (saving or discarding it there deletes the
draft), Discard deletes it, Not now leaves it for the next unlock. The next box waits until the
editor a Continue opened is closed. Locking again drops what is still to be offered; it stays
in the vault.
"""

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from trustvault.entries.model import Entry
from trustvault.errors import EntryNotFound
from trustvault.queries import Queries
from trustvault.results import Draft
from ui.bridge import VaultBridge
from ui.time_words import spoken_moment
from ui.widgets.entry_form import EntryDialog

__all__ = ["DraftOffer", "draft_words"]

OpenEditor = Callable[[str, Entry | None], EntryDialog]
"""Opens (or raises) the editor for a kind and entry (None: a new one); returns it."""

_NOUNS = {
    "disclosure": "a disclosure",
    "event": "an event",
    "agreement": "an agreement",
    "checkin": "a check-in",
    "milestone": "a milestone",
    "trigger": "a trigger",
    "anniversary": "a day to mark",
}


def draft_words(draft: Draft, entry: Entry | None, now: datetime) -> tuple[str, str]:
    """The box's line and detail: what was being written, and when it was kept."""
    noun = _NOUNS.get(draft.kind, "an entry")
    title = str(draft.fields.get("title") or "").strip()
    named = f"{noun} (“{title}”)" if title else noun
    doing = "changing" if entry is not None else "writing"
    kept = datetime.fromisoformat(draft.kept_at.replace("Z", "+00:00")).astimezone()
    when = spoken_moment(kept, now.date())
    return (
        f"You were {doing} {named} when TrustVault locked.",
        f"It was kept inside your vault {when}.",
    )


def _with_entries(q: Queries) -> list[tuple[Draft, Entry | None]]:
    found: list[tuple[Draft, Entry | None]] = []
    for draft in q.drafts():
        entry = None
        if draft.entry_id is not None:
            try:
                entry = q.entry(draft.entry_id)
            except EntryNotFound:
                entry = None  # gone meanwhile: the text comes back as a new entry
            if entry is not None and not entry.fields:
                entry = None
        found.append((draft, entry))
    return found


class DraftOffer(QObject):
    """Offers ``bridge``'s kept drafts in ``window`` after every unlock."""

    checked = Signal(int)  # how many drafts the vault held when it was unlocked

    def __init__(self, window: QWidget, bridge: VaultBridge, open_editor: OpenEditor) -> None:
        super().__init__(window)
        self._window = window
        self._bridge = bridge
        self._open_editor = open_editor
        self._waiting: list[tuple[Draft, Entry | None]] = []
        self.box: QMessageBox | None = None
        bridge.unlocked.connect(self._read)
        bridge.locked.connect(self._waiting.clear)

    def _read(self) -> None:
        self._bridge.read(_with_entries, self._offer)

    def _offer(self, drafts: list[tuple[Draft, Entry | None]]) -> None:
        self._waiting = list(drafts)
        self.checked.emit(len(drafts))
        self._next()

    def _next(self) -> None:
        if not self._waiting or not self._bridge.is_unlocked:
            return
        draft, entry = self._waiting.pop(0)
        line, detail = draft_words(draft, entry, datetime.now().astimezone())
        box = self.box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Unsaved writing")
        box.setText(line)
        box.setInformativeText(detail)
        carry_on = box.addButton("Continue", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(carry_on)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_code: int) -> None:
            self.box = None
            if not self._bridge.is_unlocked:
                return  # closed by a lock: the draft stays in the vault
            clicked = box.clickedButton()
            if clicked is carry_on:
                self._continue(draft, entry)
                return
            if clicked is discard:
                draft_id = draft.id
                self._bridge.write(lambda actions: actions.discard_draft(draft_id))
            self._next()

        box.finished.connect(answered)
        box.open()

    def _continue(self, draft: Draft, entry: Entry | None) -> None:
        dialog = self._open_editor(draft.kind, entry)
        dialog.resume(draft)
        dialog.finished.connect(lambda _code: self._next())
