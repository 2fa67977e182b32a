"""Session: homework for the next therapy session, and the way into the session view.

Either partner adds homework (Add homework…); each marks their own part done. Open the session
view shows the agenda full-screen and read-only (:mod:`ui.session_view`), from the same read as
the CLI's ``session``.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QListWidgetItem, QVBoxLayout, QWidget

from trustvault.results import Homework, SessionAgenda
from ui.bridge import VaultBridge
from ui.dialogs.homework_dialog import HomeworkDialog
from ui.pages.page import Page
from ui.session_view import SessionView, homework_words, session_words
from ui.widgets.basics import button, friendly_day, label
from ui.widgets.wrapping_rows import wrapping_list

__all__ = ["SessionPage"]

HomeworkRole = Qt.ItemDataRole.UserRole + 1


class SessionPage(Page):
    """Homework, each item under the session it is for, newest session first."""

    title = "Session"

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.view: SessionView | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.addWidget(label(
            "Homework from your therapy sessions goes to the next one on the calendar. The"
            " session view gathers what to talk about, full-screen, and copies nothing.",
            "muted", selectable=True))  # fmt: skip
        self.next_session = label("", "subtitle", selectable=True)
        box.addWidget(self.next_session)
        self.list = wrapping_list("Homework")
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        box.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.view_button = button(
            "Session view", name="Open the session view", icon="session", primary=True
        )
        self.view_button.clicked.connect(self.open_view)
        self.add_button = button("Add homework…", icon="new")
        self.add_button.clicked.connect(self.new_entry)
        self.done_button = button("Mark my part done")
        self.done_button.clicked.connect(self.toggle_done)
        for widget in (self.view_button, self.add_button, self.done_button):
            row.addWidget(widget)
        row.addStretch(1)
        box.addLayout(row)
        self._update_buttons()

    # -- page hooks ------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.bridge.queries is not None:
            self.bridge.read(lambda q: (q.session_agenda(), q.homework()), self._show)

    def clear(self) -> None:
        if self.view is not None:  # it closes itself on ``locked`` too; this drops our hold
            self.view.close_for_lock()
            self.view = None
        self.list.clear()
        self.next_session.clear()
        self._update_buttons()

    def new_entry(self) -> None:
        dialog = HomeworkDialog(self.bridge, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- behaviour -------------------------------------------------------------------------

    def chosen(self) -> Homework | None:
        item = self.list.currentItem()
        found = item.data(HomeworkRole) if item is not None else None
        return found if isinstance(found, Homework) else None

    def toggle_done(self) -> None:
        item, q = self.chosen(), self.bridge.queries
        if item is None or q is None or q.device_id not in item.people:
            return
        done = q.device_id not in item.done
        self.bridge.write(lambda a: a.mark_homework_done(item.entry.id, done=done))

    def open_view(self) -> None:
        """Read the agenda off the UI thread, then show it full-screen."""
        if self.bridge.queries is not None:
            self.bridge.read(lambda q: q.session_agenda(), self._show_view)

    def _show_view(self, agenda: SessionAgenda) -> None:
        if not self.bridge.is_unlocked:
            return
        self.view = SessionView(self.bridge, agenda, self.window())
        self.view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.view.destroyed.connect(self._view_gone)
        self.view.showFullScreen()

    def _view_gone(self) -> None:
        self.view = None

    def _show(self, found: tuple[SessionAgenda, list[Homework]]) -> None:
        agenda, items = found
        q = self.bridge.queries
        if q is None:
            return
        chosen = self.chosen()
        self.next_session.setText(f"Next: {session_words(agenda.session, q.today())}")
        self.list.clear()
        for item in sorted(items, key=lambda h: h.original_start, reverse=True):
            by = "You" if q.is_mine(item.entry) else self.bridge.name_of(item.entry.author)
            words = (f"For the session of {friendly_day(item.original_start)} · {by} added\n"
                     f"{homework_words(item, self.bridge)}")  # fmt: skip
            row = QListWidgetItem(words)
            row.setData(HomeworkRole, item)
            row.setData(Qt.ItemDataRole.AccessibleTextRole, words)
            self.list.addItem(row)
            if chosen is not None and chosen.entry.id == item.entry.id:
                self.list.setCurrentItem(row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        item, q = self.chosen(), self.bridge.queries
        mine = item is not None and q is not None and q.device_id in item.people
        self.done_button.setEnabled(mine)
        done = mine and item is not None and q is not None and q.device_id in item.done
        self.done_button.setText("Not done after all" if done else "Mark my part done")
