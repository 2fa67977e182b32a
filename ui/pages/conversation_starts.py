"""Where a structured conversation opens: "Talk it through" on the Check-ins page (the
conversations so far, and a new one of each template) and beside a calendar occurrence."""

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QWidget,
)

from trustvault.conversation_templates import TEMPLATES
from trustvault.conversation_view import Conversation
from trustvault.entries.model import Entry
from ui.bridge import VaultBridge
from ui.conversation_window import open_conversation, start_and_open, waiting_words
from ui.widgets.basics import Card, button, label

__all__ = ["ConversationsCard", "OccurrenceTalk"]


def _line(talk: Conversation, partner: str) -> str:
    state = waiting_words(talk, partner).split(".")[0]
    return f"{talk.template.name}, {talk.started[:10]}: {state}."


class ConversationsCard(Card):
    """The conversations so far (open one with Enter or a double-click) and a new one."""

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.starts: dict[str, QPushButton] = {}
        self.message = label("", "error", selectable=True)
        self.message.setVisible(False)
        self.list = QListWidget()
        self.list.setAccessibleName("Conversations so far")
        self.list.setMaximumHeight(140)
        self.list.itemActivated.connect(self._open_item)
        self.box.addWidget(label("Talk it through", "subtitle", selectable=True))
        self.box.addWidget(
            label(
                "A conversation in parts: each of you writes alone, and both parts are shown"
                " together once you are both done.",
                "muted",
                selectable=True,
            )
        )
        row = QHBoxLayout()
        for key, tpl in TEMPLATES.items():
            start = button(f"{tpl.name}…", name=f"Start a {tpl.name}")
            start.clicked.connect(lambda _c=False, k=key: self.start(k))
            self.starts[key] = start
            row.addWidget(start)
        row.addStretch(1)
        self.box.addLayout(row)
        self.box.addWidget(self.list)
        self.box.addWidget(self.message)

    def start(self, template: str) -> None:
        start_and_open(self.bridge, template, self, on_error=self._failed)

    def fill(self, talks: list[Conversation]) -> None:
        """Show ``talks``, read off the UI thread with the page's own load."""
        self.list.clear()
        partner = self.bridge.partner.name if self.bridge.partner else "Your partner"
        for talk in talks:
            item = QListWidgetItem(_line(talk, partner))
            item.setData(Qt.ItemDataRole.UserRole, talk.id)
            self.list.addItem(item)
        self.list.setVisible(self.list.count() > 0)

    def clear(self) -> None:
        self.list.clear()
        self.message.setVisible(False)

    def _open_item(self, item: QListWidgetItem) -> None:
        open_conversation(self.bridge, str(item.data(Qt.ItemDataRole.UserRole)), self)

    def _failed(self, message: str) -> None:
        self.message.setText(message)
        self.message.setVisible(True)


class OccurrenceTalk(QWidget):
    """ "Talk it through…" beside the calendar's agenda: a menu with the conversations opened
    from the chosen occurrence and a new one of each template."""

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.menu = QMenu(self)
        self.menu.aboutToShow.connect(self.fill_menu)
        self.button = button("Talk it through…", name="Open a conversation for this occurrence")
        self.button.setMenu(self.menu)
        self.button.setEnabled(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.button)
        self.occurrence: tuple[Entry, str] | None = None
        self._fills = 0

    def choose(self, entry: Entry | None, start: datetime | None) -> None:
        """The occurrence chosen in the agenda (None: none, or one nobody talks from: a private
        event's id never leaves the device)."""
        self.occurrence = None
        if entry is not None and start is not None and entry.visibility == "shared":
            self.occurrence = (entry, start.isoformat())
        self.button.setEnabled(self.occurrence is not None)

    def fill_menu(self) -> None:
        """The menu as it opens: a new conversation of each template at once, and above them
        the occurrence's own conversations once the worker has read them (never on the UI
        thread: the menu opens without waiting on the disk)."""
        self.menu.clear()
        self._fills += 1
        if self.occurrence is None or self.bridge.queries is None:
            return
        entry, when = self.occurrence
        news = []
        for key, tpl in TEMPLATES.items():
            new = self.menu.addAction(f"New {tpl.name}")
            new.triggered.connect(lambda _c=False, k=key: self.start(k))
            news.append(new)
        fill = self._fills
        self.bridge.read(
            lambda q: q.conversations_of(entry.id, when),
            lambda talks: self._add_opened(talks, fill, news[0]),
        )

    def _add_opened(self, talks: list[Conversation], fill: int, before: QAction) -> None:
        """The conversations read for fill number ``fill``, unless the menu was filled again."""
        if fill != self._fills:
            return
        partner = self.bridge.partner.name if self.bridge.partner else "Your partner"
        for talk in talks:
            opened = QAction(f"Open: {_line(talk, partner)}", self.menu)
            opened.triggered.connect(
                lambda _c=False, cid=talk.id: open_conversation(self.bridge, cid, self)
            )
            self.menu.insertAction(before, opened)

    def start(self, template: str) -> None:
        if self.occurrence is None:
            return
        entry, when = self.occurrence
        start_and_open(self.bridge, template, self, event_id=entry.id, original_start=when)
