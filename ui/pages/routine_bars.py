"""The Progress page's routines that count: one bar per milestone that counts held occurrences
("12 weekly check-ins by 1 March"), from the marks on this device. Encouragement, not a score:
the words say how many are planned, not who missed one."""

from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from trustvault.results import RoutinePace, RoutineProgress
from ui.widgets.basics import label

__all__ = ["RoutineBars"]

_EMPTY = (
    "A milestone can count the times you keep a routine, like twelve weekly check-ins by a day"
    " you choose. Mark each occurrence held on the Calendar, and it fills in here."
)


class RoutineBars(QWidget):
    """A label and a bar for each milestone's rule; ``rows`` for tests and screen readers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.empty = label(_EMPTY, "muted", selectable=True)
        self.box.addWidget(self.empty)
        self.rows: list[tuple[QLabel, QProgressBar]] = []
        self.setAccessibleName("Routines that count")

    def set_progress(self, found: list[RoutineProgress]) -> None:
        self.clear()
        self.empty.setVisible(not found)
        for p in found:
            words = label(f"{p.milestone.fields['title']}: {p.sentence()}", selectable=True)
            bar = QProgressBar()
            bar.setRange(0, p.target)
            bar.setValue(min(p.held, p.target))
            bar.setFormat(f"{p.held} of {p.target}")
            bar.setAccessibleName(f"{p.milestone.fields['title']}: {p.held} of {p.target} held")
            if p.pace is RoutinePace.REACHED:
                bar.setProperty("role", "ok")
            self.box.addWidget(words)
            self.box.addWidget(bar)
            self.rows.append((words, bar))

    def clear(self) -> None:
        for words, bar in self.rows:
            words.deleteLater()
            bar.deleteLater()
        self.rows = []
        self.empty.setVisible(True)

    def texts(self) -> list[str]:
        return [words.text() for words, _ in self.rows]
