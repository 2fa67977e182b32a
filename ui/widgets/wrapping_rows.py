"""Rows of a list that wrap their whole text, however long, inside the theme's item padding.

Qt measures a word-wrapped row's text at the full width of the list and only then adds the
style sheet's item padding (``QListWidget::item`` in resources/theme.qss): the row came out
wider than the list by that padding, its text painted in less room than it was measured in, and
a long one lost its last words to "…". This delegate measures the text at the width it gets.
"""

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QListWidget, QStyle, QStyledItemDelegate, QStyleOptionViewItem

__all__ = ["WrappingRows", "wrapping_list"]


def wrapping_list(name: str) -> QListWidget:
    """A list whose rows wrap their whole text: a question, a reply, an agreement, a comment."""
    widget = QListWidget()
    widget.setAccessibleName(name)
    widget.setWordWrap(True)
    widget.setItemDelegate(WrappingRows(widget))
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return widget


class WrappingRows(QStyledItemDelegate):
    """Set on a word-wrapping list (``setItemDelegate``) so each row is as tall as its text."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        if widget is not None and opt.rect.width() > 0:
            text = widget.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
            opt.rect.setWidth(text.width())
        return super().sizeHint(opt, index)
