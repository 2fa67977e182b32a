"""The plan's dialogs: propose a plan or a change to it, write what I need, step down.

A plan or a change is a proposal: the plan stays as it was until both accept it (the page's
Accept). A step is typed on its own line as the CLI takes it (``Phones open daily @ 4w``), read
by the core's own parser, so both faces understand the same words.
"""

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from trustvault.entries.kinds import parse_step_text
from trustvault.errors import TrustVaultError
from trustvault.plan_results import Plan
from trustvault.results import Entry
from ui.bridge import VaultBridge
from ui.widgets.basics import error_label, label

__all__ = ["NeedsDialog", "PlanDialog", "StepDownDialog", "step_lines"]

_STEPS_HINT = (
    "One step a line, in order, each with @ and a date (it lasts until then) or a span such as"
    " 4w or 30d (it lasts that long from when it begins). The last may have neither."
)


def step_lines(steps: Sequence[dict[str, Any]]) -> str:
    """The steps as the lines the dialog shows (and :func:`parse_step_text` reads back)."""
    lines = []
    for step in steps:
        when = step.get("until") or (f"{step['days']}d" if step.get("days") else "")
        lines.append(f"{step['label']} @ {when}" if when else str(step["label"]))
    return "\n".join(lines)


class _Form(QDialog):
    """A dialog with a form, a line for the core's refusal, and Save / Cancel."""

    def __init__(self, bridge: VaultBridge, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.box = QVBoxLayout(self)

    def finish(self, intro: str) -> None:
        self.box.addWidget(label(intro, "muted", selectable=True))
        self.box.addLayout(self.form)
        self.box.addWidget(self.error)
        self.box.addWidget(self.buttons)

    def save(self) -> None:
        raise NotImplementedError(type(self).__name__)

    def run(self, fn: Callable[[Any], object]) -> None:
        self.buttons.setEnabled(False)
        self.bridge.write(fn, lambda _done: self.accept(), self.failed)

    def failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)
        self.buttons.setEnabled(True)


class PlanDialog(_Form):
    """A new plan, or (given ``plan``) a change to one: title, days, steps, the agreements it
    groups (of ``agreements``), and why."""

    def __init__(
        self,
        bridge: VaultBridge,
        agreements: Sequence[Entry],
        plan: Plan | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(bridge, "Change the plan" if plan else "Propose a plan", parent)
        self.plan = plan
        fields: dict[str, Any] = dict(plan.entry.fields) if plan else {}
        self.title = QLineEdit(str(fields.get("title", "")))
        self.title.setAccessibleName("Title of the plan")
        self.starts = QLineEdit(str(fields.get("starts_on", "")))
        self.starts.setPlaceholderText("YYYY-MM-DD")
        self.starts.setAccessibleName("First day")
        self.ends = QLineEdit(str(fields.get("ends_on", "")))
        self.ends.setPlaceholderText("YYYY-MM-DD")
        self.ends.setAccessibleName("Last day")
        self.steps = QPlainTextEdit(step_lines(fields.get("steps", [])))
        self.steps.setPlaceholderText("Phones open daily @ 4w\nWeekly @ 2027-03-01\nOn request")
        self.steps.setAccessibleName("Steps, one a line")
        self.steps.setToolTip(_STEPS_HINT)
        self.agreements = QListWidget()
        self.agreements.setAccessibleName("Agreements the plan groups")
        grouped = set(fields.get("agreements", []))
        for entry in agreements:
            item = QListWidgetItem(entry.title)
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = entry.id in grouped
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.agreements.addItem(item)
        self.agreements.setMaximumHeight(110)
        self.why = QPlainTextEdit(str(fields.get("text", "")))
        self.why.setAccessibleName("Why this plan")
        self.why.setMaximumHeight(80)
        self.form.addRow("Title", self.title)
        self.form.addRow("Starts", self.starts)
        self.form.addRow("Ends", self.ends)
        self.form.addRow("Steps", self.steps)
        self.form.addRow("", label(_STEPS_HINT, "muted"))
        self.form.addRow("Agreements", self.agreements)
        self.form.addRow("Why", self.why)
        self.finish(
            "It stays as it was until you both accept the change."
            if plan
            else "A plan holds once you both accept it. Either of you can propose a change later."
        )

    def chosen_agreements(self) -> list[str]:
        items = (self.agreements.item(i) for i in range(self.agreements.count()))
        return [
            str(i.data(Qt.ItemDataRole.UserRole))
            for i in items
            if i is not None and i.checkState() == Qt.CheckState.Checked
        ]

    def save(self) -> None:
        try:
            steps = [parse_step_text(s) for s in self.steps.toPlainText().splitlines() if s.strip()]
        except TrustVaultError as exc:
            self.failed(exc.message)
            return
        terms = {
            "title": self.title.text().strip(),
            "starts_on": self.starts.text().strip(),
            "ends_on": self.ends.text().strip(),
            "steps": steps,
            "agreements": self.chosen_agreements(),
            "text": self.why.toPlainText().strip(),
        }
        if self.plan is None:
            title, starts, ends = terms["title"], terms["starts_on"], terms["ends_on"]
            grouped, why = terms["agreements"], terms["text"]
            self.run(
                lambda a: a.propose_plan(title, starts, ends, steps, agreements=grouped, text=why)
            )
            return
        plan_id, base = self.plan.entry.id, self.plan.entry.revision
        self.run(lambda a: a.change_plan(plan_id, terms, base_revision=base))


class NeedsDialog(_Form):
    """ "What I need from this plan", in this person's words; the partner reads it."""

    def __init__(
        self, bridge: VaultBridge, plan: Plan, mine: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(bridge, "What I need from this plan", parent)
        self.plan_id = plan.entry.id
        self.text = QPlainTextEdit(mine)
        self.text.setAccessibleName("What I need from this plan")
        self.form.addRow(self.text)
        self.finish(f"For “{plan.title}”. Your partner reads it; you can rewrite it any time.")

    def save(self) -> None:
        plan_id, text = self.plan_id, self.text.toPlainText().strip()
        self.run(lambda a: a.write_plan_needs(plan_id, text))


class StepDownDialog(_Form):
    """Step down to the next step, with a few words the partner sees beside it."""

    def __init__(self, bridge: VaultBridge, plan: Plan, parent: QWidget | None = None) -> None:
        super().__init__(bridge, "Step down", parent)
        self.plan_id = plan.entry.id
        self.note = QLineEdit()
        self.note.setPlaceholderText("optional, e.g. It feels right now")
        self.note.setAccessibleName("A few words with the step-down")
        self.form.addRow("Note", self.note)
        nxt = plan.steps[plan.current + 1].label
        self.finish(
            f"From “{plan.steps[plan.current].label}” to “{nxt}”, as you both planned. Your"
            " partner's device shows who stepped down and when."
        )

    def save(self) -> None:
        plan_id, note = self.plan_id, self.note.text().strip()
        self.run(lambda a: a.step_down(plan_id, note))
