"""The session view: the therapy session's agenda, read-only and full-screen, for the room.

It shows what :meth:`Queries.session_agenda` gathers (the CLI's ``session`` prints the same):
agreements due for review, questions kept for the session, check-in trends and disclosures
since the last session, and the session's homework. Nothing in it can be changed, selected,
copied, printed or saved: its labels take no text interaction and no context menu, and the
keys that would copy, print or save are swallowed here. It is a dialog of the main window, so
locking (the idle lock, Lock, Hide now) closes it with every other dialog; it also closes
itself on ``locked``. Escape leaves it.
"""

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from trustvault.results import CheckinTrend, Homework, SessionAgenda, SessionMoment
from ui.bridge import VaultBridge
from ui.time_words import spoken_moment
from ui.widgets.basics import label

__all__ = ["SessionView", "homework_words", "session_words"]

_REFUSED_KEYS = (
    QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.Cut,
    QKeySequence.StandardKey.Print,
    QKeySequence.StandardKey.Save,
    QKeySequence.StandardKey.SaveAs,
    QKeySequence.StandardKey.SelectAll,
)
_CONTENT_WIDTH = 760


def session_words(moment: SessionMoment | None, today: date) -> str:
    if moment is None:
        return "No therapy session is on the calendar."
    return f"{moment.title}, {spoken_moment(moment.start.astimezone(), today)}"


def homework_words(item: Homework, bridge: VaultBridge) -> str:
    me = bridge.queries.device_id if bridge.queries is not None else ""
    marks = [
        f"{'you' if person == me else bridge.name_of(person)}: "
        f"{'done' if person in item.done else 'to do'}"
        for person in item.people
    ]
    return f"{item.text}  ({', '.join(marks)})"


def _trend_words(trend: CheckinTrend, who: str) -> str:
    times = "1 check-in" if trend.count == 1 else f"{trend.count} check-ins"
    return (
        f"{who}: {times}. Mood {trend.mood_first} to {trend.mood_last} (about"
        f" {trend.mood_average:g}), safety {trend.safety_first} to {trend.safety_last} (about"
        f" {trend.safety_average:g})."
    )


class SessionView(QDialog):
    """The agenda, full-screen; only Escape (or Leave) does anything."""

    def __init__(self, bridge: VaultBridge, agenda: SessionAgenda, parent: QWidget) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.agenda = agenda
        self.setWindowTitle("Session")  # never entry content
        self.setObjectName("SessionView")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(48, 40, 48, 40)
        column.setSpacing(10)
        column.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.sections: dict[str, list[str]] = {}
        today = bridge.queries.today() if bridge.queries is not None else date.today()
        self._add(column, "", [session_words(agenda.session, today)], role="title")
        since = "since the last session" if agenda.last_session is not None else "so far"
        self._add(column, "Agreements due for review", [e.title for e in agenda.due_for_review])
        self._add(column, "Questions for the session", [
            f"{self._who(x.entry.author)} asked: {x.entry.title} ({x.status})"
            for x in agenda.questions])  # fmt: skip
        self._add(column, f"Check-ins {since}",
                  [_trend_words(t, self._who(t.person)) for t in agenda.trends])  # fmt: skip
        self._add(column, f"Disclosures {since}",
                  [f"{self._who(e.author)}: {e.title}" for e in agenda.disclosures])  # fmt: skip
        self._add(column, "Homework for this session",
                  [homework_words(h, bridge) for h in agenda.homework])  # fmt: skip
        column.addStretch(1)
        self.leave_button = QPushButton("Leave the session view (Esc)")
        self.leave_button.setAccessibleName("Leave the session view")
        self.leave_button.clicked.connect(self.reject)
        column.addWidget(self.leave_button, 0, Qt.AlignmentFlag.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        for widget in self.findChildren(QWidget):
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
            widget.installEventFilter(self)
        bridge.locked.connect(self.close_for_lock)

    def _who(self, person: str) -> str:
        q = self.bridge.queries
        return "You" if q is not None and person == q.device_id else self.bridge.name_of(person)

    def _add(self, column: QVBoxLayout, heading: str, lines: list[str], role: str = "") -> None:
        if heading:
            title = label(heading, "subtitle")
            title.setMaximumWidth(_CONTENT_WIDTH)
            column.addSpacing(14)
            column.addWidget(title)
        self.sections[heading] = lines
        for line in lines or ["Nothing this time."]:
            item = label(line, role or ("" if lines else "muted"))
            item.setTextFormat(Qt.TextFormat.PlainText)
            item.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            item.setMinimumWidth(_CONTENT_WIDTH)
            item.setMaximumWidth(_CONTENT_WIDTH)
            column.addWidget(item)

    def labels(self) -> list[QLabel]:
        return self.findChildren(QLabel)

    def close_for_lock(self) -> None:
        """The vault locked: nothing of the agenda stays on screen or in memory here."""
        self.reject()
        self.deleteLater()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._refused(event)
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._refused(event):
            super().keyPressEvent(event)

    @staticmethod
    def _refused(event: QKeyEvent) -> bool:
        """Copy, cut, print, save and select all do nothing here (and say nothing)."""
        if any(event.matches(key) for key in _REFUSED_KEYS):
            event.accept()
            return True
        return False
