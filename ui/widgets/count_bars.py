"""Counts as soft horizontal bars with their number: a pattern, never a score.

Each row is a label, a bar as long as its count against the largest, and the count itself;
the accessible description says the same in words for screen readers.
"""

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

__all__ = ["CountBars"]

_ROW = 22


class CountBars(QWidget):
    """One titled group of counts (by week, by place, …)."""

    def __init__(self, name: str, color: QColor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._color = color
        self._rows: list[tuple[str, int]] = []
        self.setAccessibleName(name)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_counts(self, rows: list[tuple[str, int]]) -> None:
        self._rows = rows
        self.setAccessibleDescription("; ".join(f"{text}: {n}" for text, n in rows))
        self.updateGeometry()
        self.update()

    def counts(self) -> list[tuple[str, int]]:
        return list(self._rows)

    def set_color(self, color: QColor) -> None:
        self._color = color
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(260, _ROW * max(1, len(self._rows)) + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(180, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(t) for t, _ in self._rows), default=0)
        label_width = min(self.width() // 2, widest + 8)
        count_width = metrics.horizontalAdvance("000")
        top = max((n for _, n in self._rows), default=0) or 1
        room = max(0, self.width() - label_width - count_width - 24)
        for row, (text, count) in enumerate(self._rows):
            y = row * _ROW + 2
            painter.setPen(text_color)
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, label_width)
            painter.drawText(QRectF(0, y, label_width, _ROW), Qt.AlignmentFlag.AlignVCenter, shown)
            width = room * count / top
            painter.setPen(Qt.PenStyle.NoPen)
            soft = QColor(self._color)
            soft.setAlphaF(0.75)
            painter.setBrush(soft)
            if width:
                painter.drawRoundedRect(QRectF(label_width + 10, y + 5, width, _ROW - 10), 4, 4)
            painter.setPen(text_color)
            number = QRectF(label_width + 16 + width, y, count_width, _ROW)
            painter.drawText(number, Qt.AlignmentFlag.AlignVCenter, str(count))
        painter.end()
