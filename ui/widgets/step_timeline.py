"""A plan's step-down schedule drawn as a vertical timeline: each step with its mark (done,
now, ahead), what it is, and its days (when it began, or when it is planned from)."""

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from trustvault.plan_results import Plan, PlanStep, StepState
from ui.widgets.basics import friendly_day, label

__all__ = ["StepTimeline", "step_days"]

_MARKS = {StepState.DONE: "✓", StepState.CURRENT: "●", StepState.AHEAD: "○"}
_SAID = {StepState.DONE: "done", StepState.CURRENT: "now", StepState.AHEAD: "ahead"}


def step_days(step: PlanStep) -> str:
    """ "Began Mon 1 Dec 2026 · until Sun 31 Jan 2027", or its planned days ahead of it."""
    parts = []
    if step.began is not None:
        parts.append(f"began {friendly_day(step.began)}")
    elif step.planned_start is not None:
        parts.append(f"planned from {friendly_day(step.planned_start)}")
    if step.planned_end is not None and step.state is not StepState.DONE:
        parts.append(f"until {friendly_day(step.planned_end)}")
    said = " · ".join(parts)
    return said[:1].upper() + said[1:]


class StepTimeline(QFrame):
    """One row per step; :meth:`show_plan` redraws it, :meth:`clear` empties it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Step-down timeline")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 4, 0, 4)
        self.grid.setHorizontalSpacing(10)
        self.grid.setColumnStretch(1, 1)
        self.rows: list[tuple[QLabel, QLabel, QLabel]] = []

    def clear(self) -> None:
        for row in self.rows:
            for widget in row:
                self.grid.removeWidget(widget)
                widget.deleteLater()
        self.rows = []

    def show_plan(self, plan: Plan) -> None:
        self.clear()
        for step in plan.steps:
            mark = label(_MARKS[step.state])
            mark.setAccessibleName(_SAID[step.state])
            title = label(f"{step.index + 1}. {step.label}", selectable=True)
            if step.state is StepState.CURRENT:  # where the two of you are now
                for widget in (mark, title):
                    font = widget.font()
                    font.setBold(True)
                    widget.setFont(font)
            days = label(step_days(step), "muted", selectable=True)
            row = len(self.rows) * 2
            self.grid.addWidget(mark, row, 0)
            self.grid.addWidget(title, row, 1)
            self.grid.addWidget(days, row + 1, 1)
            self.rows.append((mark, title, days))

    def text(self) -> str:
        """What the timeline says, a line per step (for reading aloud and tests)."""
        return "\n".join(
            f"{_SAID_BY_MARK.get(m.text(), '')}: {t.text()} ({d.text()})" for m, t, d in self.rows
        )


_SAID_BY_MARK = {v: _SAID[k] for k, v in _MARKS.items()}
