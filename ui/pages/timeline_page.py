"""The timeline: everything written, newest first, with who, when, sharing and an 'edited' mark.

Rows are painted by :class:`TimelineDelegate` at a fixed height (``uniformItemSizes``), and the
model pages in 200 rows at a time, so long histories scroll smoothly. Clicking the 'Edited' chip
opens the version history; double-click (or Enter) edits one's own entry.
"""

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QListView,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from trustvault.actions import Actions
from trustvault.entries.kinds import KINDS
from trustvault.results import Entry, Visibility
from ui import theme
from ui.bridge import VaultBridge
from ui.dialogs.delete_entry import ask_to_delete
from ui.dialogs.entry_dialogs import DIALOGS, answer_question, dialog_for
from ui.dialogs.history_dialog import HistoryDialog
from ui.dialogs.sharing import SharingDialog
from ui.entry_windows import windows_of
from ui.models.timeline_model import KIND_LABELS, TimelineModel
from ui.pages.page import Page
from ui.pages.timeline_rows import TimelineDelegate
from ui.widgets.basics import button, label

__all__ = ["TimelineDelegate", "TimelinePage"]


D = TypeVar("D", bound=QDialog)


class TimelinePage(Page):
    """Every entry, newest first; plus search() for the main window's search box. It reloads
    while hidden: its model reads one page of rows, and searches land here."""

    title = "Timeline"
    reload_when_hidden = True
    search_finished = Signal(int)

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.model = TimelineModel(bridge, self)
        self._search_seq = 0
        self._search_text = ""
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        bar = QHBoxLayout()
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName("Show kind")
        self.kind_filter.addItem("All kinds", None)
        for kind in KINDS:
            plural = "Anniversaries" if kind == "anniversary" else KIND_LABELS[kind] + "s"
            self.kind_filter.addItem(plural, kind)
        theme.follow(self, self._tint_icons)
        self.author_filter = QComboBox()
        self.author_filter.setAccessibleName("Show author")
        self.author_filter.addItem("Everyone", None)
        self.kind_filter.currentIndexChanged.connect(self._apply_filter)
        self.author_filter.currentIndexChanged.connect(self._apply_filter)
        self.put_away_button = button("Put away")
        self.put_away_button.setCheckable(True)
        self.put_away_button.setToolTip(
            "The entries you put away on this device (your partner is not told)."
        )
        self.put_away_button.toggled.connect(self._show_put_away)
        bar.addWidget(self.kind_filter)
        bar.addWidget(self.author_filter)
        bar.addWidget(self.put_away_button)
        bar.addStretch(1)
        self.search_label = label("", "muted", wrap=False)
        self.clear_search_button = button("Clear search")
        self.clear_search_button.clicked.connect(lambda: self.search(""))
        bar.addWidget(self.search_label)
        bar.addWidget(self.clear_search_button)
        box.addLayout(bar)

        self.view = QListView()
        self.view.setAccessibleName("Timeline entries")
        self.view.setUniformItemSizes(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setMouseTracking(True)
        self.view.setFrameShape(QListView.Shape.NoFrame)
        self.view.setObjectName("TimelineList")  # the rows draw their own cards
        self.delegate = TimelineDelegate(self.view)
        self.delegate.history_requested.connect(self.show_history)
        self.delegate.sharing_requested.connect(self.show_sharing)
        self.view.setItemDelegate(self.delegate)
        self.view.setModel(self.model)
        # activated alone: it is the platform's "open" (double-click, or one click where that is
        # the style, and Enter); doubleClicked as well opened every dialog twice.
        self.view.activated.connect(self._open)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)

        self.empty = label("", "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        box.addWidget(self.stack, 1)
        self._update_search_bar()

    # -- page hooks ------------------------------------------------------------------------

    def _tint_icons(self) -> None:
        for i in range(1, self.kind_filter.count()):
            kind = str(self.kind_filter.itemData(i))
            self.kind_filter.setItemIcon(i, theme.icon(kind, theme.kind_color(kind).name()))

    def refresh(self) -> None:
        self._update_people()
        if self._search_text:
            self._run_search(self._search_text)
        else:
            current = self.current_entry()
            scroll = self.view.verticalScrollBar().value()
            self.model.refresh()
            row = self.model.row_of(current.id) if current is not None else -1
            if row >= 0:
                self.view.setCurrentIndex(self.model.index(row))
            self.view.verticalScrollBar().setValue(scroll)
        self._update_empty()

    def clear(self) -> None:
        self._search_seq += 1
        self._search_text = ""
        self.model.clear()
        self.author_filter.blockSignals(True)
        while self.author_filter.count() > 1:
            self.author_filter.removeItem(1)
        self.author_filter.setCurrentIndex(0)
        self.author_filter.blockSignals(False)
        self._update_search_bar()
        self.empty.clear()

    def new_entry(self) -> None:
        self._open_dialog("disclosure", None)

    # -- search ------------------------------------------------------------------------------

    def search(self, text: str) -> None:
        """Show the best full-text matches for ``text``; empty text returns to the timeline."""
        self._search_text = text.strip()
        self._search_seq += 1
        if not self._search_text:
            self._update_search_bar()
            self.model.reload()
            self._update_empty()
            return
        self._run_search(self._search_text)

    def _run_search(self, text: str) -> None:
        seq = self._search_seq

        def done(entries: list[Entry]) -> None:
            if seq != self._search_seq:
                return
            self.model.show_results(entries)
            self._update_search_bar()
            self._update_empty()
            self.search_finished.emit(len(entries))

        def failed(message: str) -> None:
            if seq == self._search_seq:
                self.model.show_results([])
                self.search_label.setText(message)
                self.search_finished.emit(0)

        self.bridge.read(lambda q: q.search(text), done, failed)

    def _update_search_bar(self) -> None:
        on = bool(self._search_text)
        self.clear_search_button.setVisible(on)
        self.search_label.setVisible(on)
        self.kind_filter.setEnabled(not on)
        self.author_filter.setEnabled(not on)
        if on:
            count = self.model.rowCount()
            self.search_label.setText(
                f"{count} match{'es' if count != 1 else ''} for “{self._search_text}”"
            )
        else:
            self.search_label.clear()

    # -- behaviour -----------------------------------------------------------------------

    def on_unlocked(self) -> None:
        self._update_people()
        self._apply_filter()

    def _update_people(self) -> None:
        """Fill the author filter with everyone known (the partner appears once paired)."""
        q = self.bridge.queries
        people = [
            (f"{name} (you)" if q is not None and device == q.device_id else name, device)
            for device, name in self.bridge.people().items()
        ]
        shown = [
            (self.author_filter.itemText(i), self.author_filter.itemData(i))
            for i in range(1, self.author_filter.count())
        ]
        if people == shown:
            return
        chosen = self.author_filter.currentData()
        self.author_filter.blockSignals(True)
        while self.author_filter.count() > 1:
            self.author_filter.removeItem(1)
        for name, device in people:
            self.author_filter.addItem(name, device)
        self.author_filter.setCurrentIndex(max(0, self.author_filter.findData(chosen)))
        self.author_filter.blockSignals(False)

    def _apply_filter(self) -> None:
        self.model.set_filter(self.kind_filter.currentData(), self.author_filter.currentData())
        self._update_empty()

    def _show_put_away(self, on: bool) -> None:
        self.model.show_put_away(on)
        self._update_empty()

    def _update_empty(self) -> None:
        if self.model.rowCount() > 0:
            self.stack.setCurrentWidget(self.view)
            return
        if self._search_text:
            text = "Nothing matches that search. Try fewer or different words."
        elif self.model.put_away_view:
            text = "Nothing is put away. An entry you put away waits here until you bring it back."
        elif self.model.kind or self.model.author:
            text = "Nothing of this kind yet."
        else:
            text = (
                "Your timeline is empty.\n\nWhen you share something honestly, agree on something"
                " together or check in, it appears here. Press Ctrl+N to begin."
            )
        self.empty.setText(text)
        self.stack.setCurrentWidget(self.empty)

    def current_entry(self) -> Entry | None:
        return self.model.entry_at(self.view.currentIndex().row())

    def show_history(self, entry_id: str) -> HistoryDialog:
        return self._single(
            ("history", entry_id), lambda: HistoryDialog(self.bridge, entry_id, self)
        )

    def show_sharing(self, entry_id: str) -> SharingDialog:
        self.bridge.unread.discard(entry_id)  # opened: no longer new
        return self._single(
            ("sharing", entry_id), lambda: SharingDialog(self.bridge, entry_id, self)
        )

    def _single(self, key: tuple[str, str], make: Callable[[], D]) -> D:
        """One dialog per entry and purpose, across the window (:mod:`ui.entry_windows`)."""
        return windows_of(self.bridge).single(key, make)

    def _delete(self, entry: Entry) -> None:
        """Ask, delete, then close this entry's open dialogs: nothing of it is left to show."""

        def close_dialogs(_copy: object) -> None:
            windows_of(self.bridge).close_entry(entry.id)

        ask_to_delete(self, self.bridge, entry, close_dialogs)

    def _open(self, index: QModelIndex) -> None:
        entry = self.model.entry_at(index.row())
        q = self.bridge.queries
        if entry is None or q is None:
            return
        if q.is_mine(entry) and entry.visibility != Visibility.WITHDRAWN and entry.kind in DIALOGS:
            self.bridge.unread.discard(entry.id)
            self._open_dialog(entry.kind, entry)
        else:
            self.show_sharing(entry.id)

    def _open_dialog(self, kind: str, entry: Entry | None) -> None:
        if entry is not None:
            self._single(("edit", entry.id), lambda: dialog_for(kind, self.bridge, entry, self))
            return
        dialog = dialog_for(kind, self.bridge, entry, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _menu(self, pos: QPoint) -> None:
        entry = self.model.entry_at(self.view.indexAt(pos).row())
        q = self.bridge.queries
        if entry is None or q is None:
            return
        menu = QMenu(self)
        if q.is_mine(entry) and entry.kind in DIALOGS:  # a plan's are on the Plans page
            edit = QAction(theme.icon("new"), "Edit…", menu)
            edit.triggered.connect(lambda: self._open_dialog(entry.kind, entry))
            menu.addAction(edit)
        if q.is_mine(entry) and entry.visibility == "shared" and q.undoable(entry.id):
            undo = QAction(theme.icon("revoked"), "Undo sharing", menu)
            undo.setToolTip("Nothing of it has been sent yet: keep it on this device.")
            entry_id = entry.id
            undo.triggered.connect(lambda: self.bridge.write(lambda a: a.withdraw(entry_id)))
            menu.addAction(undo)
        if q.is_mine(entry):
            delete = QAction(theme.icon("revoked"), "Delete…", menu)
            delete.setToolTip("Delete it for good, here and on your partner's device.")
            delete.triggered.connect(lambda: self._delete(entry))
            menu.addAction(delete)
        if entry.kind == "question" and entry.fields and not q.is_mine(entry):
            answer = QAction(theme.icon("disclosure"), "Answer…", menu)
            answer.setToolTip("Answer it with a disclosure linked to the question.")
            answer.triggered.connect(lambda: answer_question(self.bridge, entry, self))
            menu.addAction(answer)
        self._reading_actions(menu, entry, q.is_mine(entry))
        sharing = QAction(theme.icon("shared"), "Sharing and comments…", menu)
        sharing.triggered.connect(lambda: self.show_sharing(entry.id))
        menu.addAction(sharing)
        history = QAction(theme.icon("history"), "Version history…", menu)
        history.triggered.connect(lambda: self.show_history(entry.id))
        menu.addAction(history)
        if not self.model.is_held(entry):
            copy = QAction(theme.icon("copy"), "Copy text", menu)
            copy.triggered.connect(lambda: self.bridge.copy_to_clipboard(entry.title))
            menu.addAction(copy)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def _reading_actions(self, menu: QMenu, entry: Entry, mine: bool) -> None:
        """Hold for our session / Open it now, Put away / Bring back: this device's alone."""
        entry_id = entry.id
        items: list[tuple[str, str, Callable[[Actions], object]]] = []
        if not mine and entry.fields:
            if self.model.is_held(entry):
                items.append(("Open it now", "eye", lambda a: a.open_held(entry_id)))
            else:
                items.append(("Hold for our session", "eye-off",
                              lambda a: a.hold_for_session(entry_id)))  # fmt: skip
        if self.model.put_away_view:
            items.append(("Bring back", "timeline", lambda a: a.bring_back(entry_id)))
        else:
            items.append(("Put away", "private", lambda a: a.put_away(entry_id)))
        for text, icon_name, door in items:
            item = QAction(theme.icon(icon_name), text, menu)
            item.setToolTip("Only on this device: your partner is not told.")
            item.triggered.connect(lambda _c=False, d=door: self.bridge.write(d))
            menu.addAction(item)
