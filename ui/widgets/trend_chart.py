"""A small line chart drawn with QPainter: values over days, one or more series.

Used for mood and safety (Check-ins) and for the disclosure-latency trend (Progress). Axes, grid
and text use palette roles so the chart follows the light and dark themes; only the series carry
their own colours. The accessible description states the figures in words for screen readers.
"""

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

__all__ = ["Series", "TrendChart"]


@dataclass
class Series:
    """One line: ``points`` are (day, value) pairs in time order."""

    name: str
    color: QColor
    points: list[tuple[date, float]] = field(default_factory=list)


class TrendChart(QWidget):
    """Lines over time with dots at each value; ``y_range`` None means from 0 to the largest."""

    def __init__(
        self,
        empty_text: str,
        *,
        y_range: tuple[float, float] | None = None,
        y_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._empty_text = empty_text
        self._y_range = y_range
        self._y_label = y_label
        self._series: list[Series] = []
        self._dots: list[tuple[QPointF, str]] = []
        self.setMinimumSize(320, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    # -- data ------------------------------------------------------------------------------

    def set_series(self, series: list[Series]) -> None:
        self._series = [s for s in series if s.points]
        self.setAccessibleDescription(self._describe())
        self.update()

    def clear(self) -> None:
        """Forget every value (the vault locked)."""
        self._series = []
        self._dots = []
        self.setAccessibleDescription("")
        self.update()

    def point_count(self) -> int:
        return sum(len(s.points) for s in self._series)

    def series(self) -> list[Series]:
        return list(self._series)

    def _describe(self) -> str:
        if not self._series:
            return self._empty_text
        parts = []
        for s in self._series:
            first, last = s.points[0][0], s.points[-1][0]
            parts.append(
                f"{s.name}: {len(s.points)} values from {_day(first)} to {_day(last)}, "
                f"latest {_num(s.points[-1][1])}"
            )
        return ". ".join(parts) + "."

    def sizeHint(self) -> QSize:
        return QSize(560, 240)

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        pal = self.palette()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = pal.color(QPalette.ColorRole.WindowText)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        grid = pal.color(QPalette.ColorRole.Mid)
        grid.setAlpha(90)
        fm = QFontMetrics(self.font())
        if not self._series:
            p.setPen(muted)
            p.drawText(
                self.rect().adjusted(12, 12, -12, -12),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._empty_text,
            )
            return
        low, high = self._bounds()
        legend_h = fm.height() + 8
        left = fm.horizontalAdvance(_num(high)) + 14
        plot = QRectF(left, legend_h + 6, self.width() - left - 14, 0)
        plot.setBottom(self.height() - fm.height() - 10)
        days = [d for s in self._series for d, _ in s.points]
        first, last = min(days), max(days)
        span = max((last - first).days, 1)

        def x_of(day: date) -> float:
            if first == last:
                return plot.center().x()
            return plot.left() + plot.width() * (day - first).days / span

        def y_of(value: float) -> float:
            return plot.bottom() - plot.height() * (value - low) / (high - low)

        # grid and y labels
        for tick in _ticks(low, high):
            y = y_of(tick)
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(muted)
            p.drawText(
                QRectF(0, y - fm.height() / 2, left - 8, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                _num(tick),
            )
        # x labels: first and last day, and the middle when there is room
        p.setPen(muted)
        label_y = plot.bottom() + 4
        marks = [first, last] if first != last else [first]
        if span > 20 and plot.width() > 360:
            marks.insert(1, date.fromordinal(first.toordinal() + span // 2))
        for day in marks:
            label = _day(day)
            w = fm.horizontalAdvance(label)
            x = min(max(x_of(day) - w / 2, plot.left()), plot.right() - w)
            p.drawText(QRectF(x, label_y, w + 2, fm.height()), label)
        # series
        self._dots = []
        for s in self._series:
            pen = QPen(s.color, 2.2)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            path = QPainterPath()
            pts = [QPointF(x_of(d), y_of(v)) for d, v in s.points]
            path.moveTo(pts[0])
            for pt in pts[1:]:
                path.lineTo(pt)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
            p.setBrush(s.color)
            p.setPen(QPen(pal.color(QPalette.ColorRole.Base), 1.5))
            radius = 3.5 if len(pts) < 60 else 2.0
            for pt, (day, value) in zip(pts, s.points, strict=True):
                p.drawEllipse(pt, radius, radius)
                self._dots.append((pt, f"{_day(day)}: {s.name.lower()} {_num(value)}"))
        # legend
        x = plot.left()
        for s in self._series:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(s.color)
            p.drawRoundedRect(QRectF(x, 6 + fm.height() / 2 - 5, 10, 10), 3, 3)
            p.setPen(text)
            p.drawText(QPointF(x + 16, 6 + fm.ascent()), s.name)
            x += 16 + fm.horizontalAdvance(s.name) + 18
        if self._y_label:
            p.setPen(muted)
            w = fm.horizontalAdvance(self._y_label)
            p.drawText(QPointF(plot.right() - w, 6 + fm.ascent()), self._y_label)

    def _bounds(self) -> tuple[float, float]:
        if self._y_range is not None:
            return self._y_range
        values = [v for s in self._series for _, v in s.points]
        low = -_nice_top(-min(values)) if min(values) < 0 else 0.0
        return low, max(_nice_top(max(values)), 1.0)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        near = [(abs(pt.x() - pos.x()) + abs(pt.y() - pos.y()), label) for pt, label in self._dots]
        close = [item for item in near if item[0] < 14]
        if close:
            QToolTip.showText(event.globalPosition().toPoint(), min(close)[1], self)
        else:
            QToolTip.hideText()


def _ticks(low: float, high: float) -> list[float]:
    """Grid values from ``low`` to ``high`` in three to six even, round steps where possible."""
    span = high - low
    for magnitude in (1, 10, 100, 1000, 10_000):
        for factor in (1, 2, 2.5, 3, 5):
            step = factor * magnitude
            if 3 <= span / step <= 6 and float(span / step).is_integer():
                return [low + i * step for i in range(round(span / step) + 1)]
    return [low, high]


def _nice_top(value: float) -> float:
    """The next "round" number at or above ``value`` (1, 2, 5, 10, 20, 50, ...)."""
    if value <= 0:
        return 1.0
    magnitude = 1.0
    while magnitude * 10 <= value:
        magnitude *= 10
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= value:
            return factor * magnitude
    return 10 * magnitude


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _day(day: date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"
