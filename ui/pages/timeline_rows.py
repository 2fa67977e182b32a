"""How one timeline row looks: a soft card with the kind's badge, two lines and state chips.

Rows have one fixed height so the list can use ``uniformItemSizes`` (fast with long histories).
Clicking the 'Edited' chip asks for the version history; the comments chip for the sharing dialog.
"""

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from trustvault.entries.model import Entry
from ui import theme
from ui.models.timeline_model import (
    KIND_LABELS,
    AuthorRole,
    EntryRole,
    RowState,
    StateRole,
    UnreadRole,
    WhenRole,
)

__all__ = ["ROW_HEIGHT", "TimelineDelegate", "row_chips"]

ROW_HEIGHT = 74
_STATE_TIPS = {
    "Shared": "Shared: your partner sees it once you are paired.",
    "Private": "Private: it never leaves this device.",
    "Delivered": "Your partner's device has received it.",
    "Sending…": "Waiting for your partner's device to pick it up.",
    "Withdrawn": "Withdrawn: its content was removed from your partner's device.",
    "Deleted": "Deleted by its author: nothing of it is left on this device but this line.",
}


def row_chips(
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
        if index.data(UnreadRole):  # new from the partner since last opened: a dot on the badge
            painter.setPen(QPen(QColor(c.surface), 2))
            painter.setBrush(QColor(c.accent))
            painter.drawEllipse(QRect(badge.right() - 10, badge.top() - 1, 12, 12))

        font = QFont(option.font)
        chips = row_chips(card, entry, index.data(StateRole), font)
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
                for name, _text, _icon, box in row_chips(card, entry, state, option.font):
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
            for name, text, _icon, box in row_chips(
                card, entry, index.data(StateRole), option.font
            ):
                if box.contains(pos):
                    tip = {
                        "edited": f"Edited: {entry.revision} versions. Click to see every version.",
                        "comments": f"{text} comment(s). Click to read and answer.",
                    }.get(name, _STATE_TIPS.get(text, text))
                    QToolTip.showText(event.globalPos(), tip, view)
                    return True
        return False
