"""The timeline: everything written, newest first, with who, when, sharing and an 'edited' mark.

Rows are painted by :class:`TimelineDelegate` at a fixed height (``uniformItemSizes``), and the
model pages in 200 rows at a time, so long histories scroll smoothly. Clicking the 'Edited' chip
opens the version history; double-click (or Enter) edits one's own entry.
"""

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from trustvault.entries.kinds import KINDS
from trustvault.entries.model import Entry
from ui import theme
from ui.bridge import VaultBridge
from ui.dialogs.entry_dialogs import dialog_for
from ui.dialogs.history_dialog import HistoryDialog
from ui.dialogs.sharing import SharingDialog
from ui.models.timeline_model import (
    KIND_LABELS,
    AuthorRole,
    EntryRole,
    RowState,
    StateRole,
    TimelineModel,
    WhenRole,
)

__all__ = ["TimelineDelegate", "TimelinePage"]

ROW_HEIGHT = 74
_STATE_TIPS = {
    "Shared": "Shared: your partner sees it once you are paired.",
    "Private": "Private: it never leaves this device.",
    "Delivered": "Your partner's device has received it.",
    "Sending…": "Waiting for your partner's device to pick it up.",
    "Withdrawn": "Withdrawn: its content was removed from your partner's device.",
}


def _chips(
    rect: QRect, entry: Entry, state: RowState, font: QFont
) -> list[tuple[str, str, str, QRect]]:
    """(name, text, icon, rect) of the chips at the right of a row, right to left."""
    metrics = QFontMetrics(font)
    words, state_icon, comments = state
    chips = [("state", words, state_icon)]
    if entry.edited and entry.fields:
        chips.append(("edited", "Edited", "history"))
    if comments:
        chips.append(("comments", str(comments), "comment"))
    out, right = [], rect.right() - 16
    for name, text, icon_name in chips:
        width = metrics.horizontalAdvance(text) + 34
        box = QRect(right - width, rect.center().y() - 12, width, 24)
        out.append((name, text, icon_name, box))
        right = box.left() - 8
    return out


class TimelineDelegate(QStyledItemDelegate):
    """Paints one entry as a soft card; reports clicks on its 'Edited' chip."""

    history_requested = Signal(str)
    sharing_requested = Signal(str)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(300, ROW_HEIGHT)  # the width follows the viewport

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        entry = index.data(EntryRole)
        if not isinstance(entry, Entry):
            return
        c = theme.colors()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = option.rect.adjusted(8, 4, -8, -4)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hover = bool(option.state & QStyle.StateFlag.State_MouseOver)
        painter.setPen(QPen(QColor(c.accent if selected else c.border), 1))
        painter.setBrush(QColor(c.accent_soft if selected else (c.window if hover else c.surface)))
        painter.drawRoundedRect(card, 10, 10)

        tint = theme.kind_color(entry.kind)
        badge = QRect(card.left() + 14, card.center().y() - 19, 38, 38)
        soft = QColor(tint)
        soft.setAlpha(45)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(soft)
        painter.drawEllipse(badge)
        painter.drawPixmap(badge.adjusted(9, 9, -9, -9), theme.pixmap(entry.kind, 20, tint.name()))

        font = QFont(option.font)
        chips = _chips(card, entry, index.data(StateRole), font)
        text_left = badge.right() + 14
        text_right = (chips[-1][3].left() if chips else card.right()) - 12
        title_font = QFont(font)
        title_font.setWeight(QFont.Weight.DemiBold)
        title_font.setPointSizeF(font.pointSizeF() * 1.05)
        painter.setFont(title_font)
        painter.setPen(QColor(c.text))
        title_rect = QRect(text_left, card.top() + 12, text_right - text_left, 22)
        title = QFontMetrics(title_font).elidedText(
            index.data(Qt.ItemDataRole.DisplayRole), Qt.TextElideMode.ElideRight, title_rect.width()
        )
        painter.drawText(
            title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title
        )

        painter.setFont(font)
        painter.setPen(QColor(c.muted))
        line = f"{KIND_LABELS[entry.kind]} · {index.data(AuthorRole)} · {index.data(WhenRole)}"
        line_rect = QRect(text_left, card.top() + 36, text_right - text_left, 20)
        line = QFontMetrics(font).elidedText(line, Qt.TextElideMode.ElideRight, line_rect.width())
        painter.drawText(
            line_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line
        )

        for name, text, icon_name, box in chips:
            accent = name != "state"
            painter.setPen(QPen(QColor(c.accent if accent else c.border), 1))
            painter.setBrush(QColor(c.accent_soft if accent else c.window))
            painter.drawRoundedRect(box, 12, 12)
            color = c.accent if accent else c.muted
            painter.drawPixmap(
                QRect(box.left() + 9, box.top() + 5, 14, 14), theme.pixmap(icon_name, 14, color)
            )
            painter.setPen(QColor(color))
            painter.drawText(box.adjusted(26, 0, -8, 0), Qt.AlignmentFlag.AlignVCenter, text)
        painter.restore()

    def editorEvent(
        self,
        event: QEvent,
        model: object,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            entry = index.data(EntryRole)
            if isinstance(entry, Entry):
                card = option.rect.adjusted(8, 4, -8, -4)
                state = index.data(StateRole)
                for name, _text, _icon, box in _chips(card, entry, state, option.font):
                    if box.contains(event.position().toPoint()) and name != "state":
                        if name == "edited":
                            self.history_requested.emit(entry.id)
                        else:
                            self.sharing_requested.emit(entry.id)
                        return True
        return False

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        entry = index.data(EntryRole)
        pos = event.pos()
        if isinstance(entry, Entry):
            card = option.rect.adjusted(8, 4, -8, -4)
            for name, text, _icon, box in _chips(card, entry, index.data(StateRole), option.font):
                if box.contains(pos):
                    tip = {
                        "edited": f"Edited: {entry.revision} versions. Click to see every version.",
                        "comments": f"{text} comment(s). Click to read and answer.",
                    }.get(name, _STATE_TIPS.get(text, text))
                    QToolTip.showText(event.globalPos(), tip, view)
                    return True
        return False


class TimelinePage(QWidget):
    """Page contract: refresh(), clear(), title, new_entry(); plus search() for the main window."""

    title = "Timeline"
    search_finished = Signal(int)

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
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
            self.kind_filter.addItem(
                theme.icon(kind, theme.kind_color(kind).name()), KIND_LABELS[kind] + "s", kind
            )
        self.author_filter = QComboBox()
        self.author_filter.setAccessibleName("Show author")
        self.author_filter.addItem("Everyone", None)
        self.kind_filter.currentIndexChanged.connect(self._apply_filter)
        self.author_filter.currentIndexChanged.connect(self._apply_filter)
        bar.addWidget(self.kind_filter)
        bar.addWidget(self.author_filter)
        bar.addStretch(1)
        self.search_label = QLabel()
        self.search_label.setProperty("role", "muted")
        self.clear_search_button = QPushButton("Clear search")
        self.clear_search_button.setAccessibleName("Clear search")
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
        self.view.setStyleSheet("QListView { background: transparent; border: none; }")
        self.delegate = TimelineDelegate(self.view)
        self.delegate.history_requested.connect(self.show_history)
        self.delegate.sharing_requested.connect(self.show_sharing)
        self.view.setItemDelegate(self.delegate)
        self.view.setModel(self.model)
        self.view.doubleClicked.connect(self._open)
        self.view.activated.connect(self._open)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)

        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setProperty("role", "muted")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        box.addWidget(self.stack, 1)
        self._update_search_bar()

        bridge.unlocked.connect(self._on_unlocked)
        bridge.changed.connect(self.refresh)
        bridge.locked.connect(self.clear)
        if bridge.vault is not None:
            self._on_unlocked()

    # -- page contract ---------------------------------------------------------------------

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

        self.bridge.read(lambda vault: vault.entries.search(text), done, failed)

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

    def _on_unlocked(self) -> None:
        self._update_people()
        self._apply_filter()

    def _update_people(self) -> None:
        """Fill the author filter with everyone known (the partner appears once paired)."""
        vault = self.bridge.vault
        people = [
            (f"{name} (you)" if vault is not None and device == vault.device_id else name, device)
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
        for label, device in people:
            self.author_filter.addItem(label, device)
        self.author_filter.setCurrentIndex(max(0, self.author_filter.findData(chosen)))
        self.author_filter.blockSignals(False)

    def _apply_filter(self) -> None:
        self.model.set_filter(self.kind_filter.currentData(), self.author_filter.currentData())
        self._update_empty()

    def _update_empty(self) -> None:
        if self.model.rowCount() > 0:
            self.stack.setCurrentWidget(self.view)
            return
        if self._search_text:
            text = "Nothing matches that search. Try fewer or different words."
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
        dialog = HistoryDialog(self.bridge, entry_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_sharing(self, entry_id: str) -> SharingDialog:
        dialog = SharingDialog(self.bridge, entry_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _open(self, index: QModelIndex) -> None:
        entry = self.model.entry_at(index.row())
        vault = self.bridge.vault
        if entry is None or vault is None:
            return
        if entry.author == vault.device_id and entry.visibility != "withdrawn":
            self._open_dialog(entry.kind, entry)
        else:
            self.show_sharing(entry.id)

    def _open_dialog(self, kind: str, entry: Entry | None) -> None:
        dialog = dialog_for(kind, self.bridge, entry, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _menu(self, pos: QPoint) -> None:
        entry = self.model.entry_at(self.view.indexAt(pos).row())
        vault = self.bridge.vault
        if entry is None or vault is None:
            return
        menu = QMenu(self)
        if entry.author == vault.device_id:
            edit = QAction(theme.icon("new"), "Edit…", menu)
            edit.triggered.connect(lambda: self._open_dialog(entry.kind, entry))
            menu.addAction(edit)
        sharing = QAction(theme.icon("shared"), "Sharing and comments…", menu)
        sharing.triggered.connect(lambda: self.show_sharing(entry.id))
        menu.addAction(sharing)
        history = QAction(theme.icon("history"), "Version history…", menu)
        history.triggered.connect(lambda: self.show_history(entry.id))
        menu.addAction(history)
        copy = QAction(theme.icon("copy"), "Copy text", menu)
        copy.triggered.connect(lambda: self.bridge.copy_to_clipboard(entry.title))
        menu.addAction(copy)
        menu.exec(self.view.viewport().mapToGlobal(pos))
