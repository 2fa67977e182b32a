"""A month of days (six weeks, Monday first) with each day's events, as a model and a view.

The model holds only the occurrences of the visible six weeks; the delegate paints the day number
and up to a few event chips per cell, and every cell also carries plain text (Display and
accessible roles) so screen readers and tests read the same thing people see.
"""

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from trustvault.calendar import Occurrence
from trustvault.occurrence_ref import OccurrenceRef
from trustvault.results import MarkState, OccurrenceMark
from ui.theme import colors

__all__ = ["DAY_ROLE", "OCCURRENCES_ROLE", "MonthGrid", "MonthModel", "event_color", "time_span"]

DAY_ROLE = Qt.ItemDataRole.UserRole + 1
OCCURRENCES_ROLE = Qt.ItemDataRole.UserRole + 2
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_Index = QModelIndex | QPersistentModelIndex


def event_color(event_kind: str) -> QColor:
    """A calm colour per kind of event, from the theme's categorical colours."""
    c = colors()
    return QColor(
        {
            "date_night": c.disclosure,
            "therapy": c.agreement,
            "check_in": c.checkin,
            "ritual": c.milestone,
            "anniversary": c.anniversary,  # a day marked, and its flag ahead
        }.get(event_kind, c.event)
    )


def time_span(occ: Occurrence) -> str:
    """``19:00-21:30`` (or ``All day``) for an occurrence."""
    if occ.all_day:
        return "All day"
    return f"{occ.start:%H:%M}\u2013{occ.end:%H:%M}"


def _days_touched(occ: Occurrence) -> list[date]:
    first = occ.start.date()
    last_moment = occ.end - timedelta(microseconds=1) if occ.end > occ.start else occ.start
    last = max(first, last_moment.date())
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


class MonthModel(QAbstractTableModel):
    """6 x 7 cells from the Monday on or before the 1st; each knows its day and occurrences."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year, self.month = date.today().year, date.today().month
        self.today = date.today()
        self._by_day: dict[date, list[Occurrence]] = {}
        self._marks: dict[OccurrenceRef, OccurrenceMark] = {}

    @property
    def first_day(self) -> date:
        first = date(self.year, self.month, 1)
        return first - timedelta(days=first.weekday())

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=41)

    def set_month(self, year: int, month: int) -> None:
        self.beginResetModel()
        self.year, self.month = year, month
        self._by_day = {}
        self.endResetModel()

    def set_occurrences(
        self,
        occurrences: list[Occurrence],
        marks: Mapping[OccurrenceRef, OccurrenceMark] | None = None,
    ) -> None:
        """The visible weeks' occurrences, and the marks on them (held ones get a tick)."""
        self._marks = dict(marks or {})
        by_day: dict[date, list[Occurrence]] = defaultdict(list)
        for occ in occurrences:
            for day in _days_touched(occ):
                if self.first_day <= day <= self.last_day:
                    by_day[day].append(occ)
        self._by_day = dict(by_day)
        self.dataChanged.emit(self.index(0, 0), self.index(5, 6))

    def clear(self) -> None:
        self.beginResetModel()
        self._by_day, self._marks = {}, {}
        self.endResetModel()

    def day_at(self, index: _Index) -> date:
        return self.first_day + timedelta(days=index.row() * 7 + index.column())

    def index_of(self, day: date) -> QModelIndex:
        offset = (day - self.first_day).days
        if not 0 <= offset < 42:
            return QModelIndex()
        return self.index(offset // 7, offset % 7)

    def mark_of(self, occ: Occurrence) -> OccurrenceMark | None:
        return None if occ.virtual else self._marks.get(occ.ref)

    def held(self, occ: Occurrence) -> bool:
        mark = self.mark_of(occ)
        return mark is not None and mark.state is MarkState.HELD

    def occurrences_on(self, day: date) -> list[Occurrence]:
        return list(self._by_day.get(day, []))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return WEEKDAYS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        day = self.day_at(index)
        if role == DAY_ROLE:
            return day
        if role == OCCURRENCES_ROLE:
            return self._by_day.get(day, [])
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            events = self._by_day.get(day, [])
            head = f"{day:%A} {day.day} {day:%B}"
            if not events:
                return head if role != Qt.ItemDataRole.DisplayRole else str(day.day)
            lines = [f"{time_span(o)} {o.title}{' (held)' if self.held(o) else ''}" for o in events]
            return "\n".join(
                [head if role != Qt.ItemDataRole.DisplayRole else str(day.day), *lines]
            )
        return None


class _DayDelegate(QStyledItemDelegate):
    """Paints the day number (circled for today) and event chips; extra events as "+2 more"."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        model = index.model()
        assert isinstance(model, MonthModel)
        day: date = index.data(DAY_ROLE)
        events: list[Occurrence] = index.data(OCCURRENCES_ROLE)
        pal = option.palette
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        in_month = day.month == model.month
        base = pal.color(QPalette.ColorRole.Base if in_month else QPalette.ColorRole.AlternateBase)
        painter.fillRect(rect, base)
        if selected:
            tint = QColor(pal.color(QPalette.ColorRole.Highlight))
            tint.setAlpha(50)
            painter.fillRect(rect, tint)
        line = QColor(pal.color(QPalette.ColorRole.Mid))
        line.setAlpha(90)
        painter.setPen(line)
        painter.drawLine(rect.topRight(), rect.bottomRight())
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        fm = painter.fontMetrics()
        number_box = QRectF(rect.left() + 4, rect.top() + 3, fm.height() + 6, fm.height() + 4)
        text_color = pal.color(
            QPalette.ColorRole.Text if in_month else QPalette.ColorRole.PlaceholderText
        )
        if day == model.today:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pal.color(QPalette.ColorRole.Highlight))
            painter.drawEllipse(number_box)
            text_color = pal.color(QPalette.ColorRole.HighlightedText)
        painter.setPen(text_color)
        painter.drawText(number_box, Qt.AlignmentFlag.AlignCenter, str(day.day))
        line_h = fm.height() + 3
        top = int(number_box.bottom()) + 3
        room = max(0, (rect.bottom() - top - 2) // line_h)
        shown = events if len(events) <= room else events[: max(0, room - 1)]
        for n, occ in enumerate(shown):
            chip = QRect(rect.left() + 3, top + n * line_h, rect.width() - 6, line_h - 2)
            color = event_color(occ.entry.fields.get("event_kind", "other"))
            fill = QColor(color)
            fill.setAlpha(60)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(chip, 4, 4)
            painter.setBrush(color)
            painter.drawRoundedRect(QRect(chip.left(), chip.top(), 3, chip.height()), 1, 1)
            text_rect = chip.adjusted(7, 0, -2, 0)
            model = index.model()
            tick = "\u2713 " if isinstance(model, MonthModel) and model.held(occ) else ""
            label = occ.title if occ.all_day else f"{occ.start:%H:%M} {occ.title}"
            if fm.horizontalAdvance(tick + label) > text_rect.width():
                label = occ.title  # a narrow day keeps the name; the agenda has the time
            label = tick + label
            painter.setPen(pal.color(QPalette.ColorRole.Text))
            elided = fm.elidedText(label, Qt.TextElideMode.ElideRight, text_rect.width())
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, elided)
        if len(shown) < len(events):
            painter.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            more = QRect(rect.left() + 8, top + len(shown) * line_h, rect.width() - 10, line_h)
            painter.drawText(
                more, Qt.AlignmentFlag.AlignVCenter, f"+{len(events) - len(shown)} more"
            )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(110, 96)


class MonthGrid(QTableView):
    """The month view: arrow keys move between days, Enter or a double click opens the day."""

    day_chosen = Signal(object)  # date, on a click or keyboard move
    day_activated = Signal(object)  # date, on double click or Enter

    def __init__(self, model: MonthModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(_DayDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setTabKeyNavigation(False)  # Tab leaves the grid (to the day's list); arrows move
        self.setCornerButtonEnabled(False)
        self.verticalHeader().setVisible(False)
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setMinimumSectionSize(48)
        self.setAccessibleName("Month")
        self.setMinimumHeight(6 * 60 + 30)
        self.clicked.connect(lambda index: self.day_chosen.emit(model.day_at(index)))
        self.activated.connect(lambda index: self.day_activated.emit(model.day_at(index)))

    def currentChanged(self, current: _Index, previous: _Index) -> None:
        super().currentChanged(current, previous)
        model = self.model()
        if current.isValid() and isinstance(model, MonthModel):
            self.day_chosen.emit(model.day_at(current))

    def select_day(self, day: date) -> None:
        model = self.model()
        assert isinstance(model, MonthModel)
        index = model.index_of(day)
        if index.isValid():
            self.setCurrentIndex(index)
