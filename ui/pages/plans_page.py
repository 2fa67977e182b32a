"""Plans: transparency plans that wind down, step by step, with both voices.

A plan groups agreements between a start and an end with a step-down schedule. It holds once
both accept it (Accept), as does any change either proposes (Change…). Stepping down is a
recorded act both devices show (Step down…), taken from the day the schedule plans it. Each of
you writes what you need from the plan (What I need…). The gentle prompts come from the core
(:mod:`trustvault.plans`), the same words the CLI prints.
"""

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from trustvault.plan_results import Plan
from trustvault.queries import Queries
from trustvault.results import AgreementStatus, Entry
from ui.bridge import VaultBridge
from ui.dialogs.plan_dialogs import NeedsDialog, PlanDialog, StepDownDialog
from ui.entry_windows import windows_of
from ui.pages.agreements_page import STATUS_WORDS
from ui.pages.page import Page
from ui.widgets.basics import Banner, Card, friendly_day, label
from ui.widgets.step_timeline import StepTimeline
from ui.widgets.wrapping_rows import wrapping_list

__all__ = ["PlansPage", "PlansView"]


@dataclass(frozen=True)
class PlansView:
    """Everything the page shows, read in one go off the UI thread."""

    plans: list[Plan]
    agreements: list[Entry]
    me: str


def load_plans(q: Queries) -> PlansView:
    agreements = [a for a in q.all("agreement") if a.fields]
    return PlansView(q.plans(), agreements, q.device_id)


class PlansPage(Page):
    """Plans on the left; the chosen plan's timeline, step-downs, needs and prompts on the
    right, with Accept, Step down…, What I need… and Change…"""

    title = "Plans"

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.view = PlansView([], [], "")
        self.list = wrapping_list("Plans")
        self.list.setSpacing(2)
        self.list.currentRowChanged.connect(self._show_current)
        self.new_button = QPushButton("New plan…")
        self.new_button.clicked.connect(self.new_entry)
        self.heading = label("", "title", selectable=True)
        self.status_line = label("", selectable=True)
        self.prompts = Banner()
        self.why = label("", "muted", selectable=True)
        self.timeline = StepTimeline()
        self.step_downs = label("", selectable=True)
        self.needs = label("", selectable=True)
        self.grouped = label("", "muted", selectable=True)
        self.acceptance = label("", "muted", selectable=True)
        self.accept_button = QPushButton("Accept this plan")
        self.accept_button.setProperty("primary", True)
        self.accept_button.clicked.connect(self.accept_current)
        self.step_button = QPushButton("Step down…")
        self.step_button.clicked.connect(self.step_down_current)
        self.needs_button = QPushButton("What I need…")
        self.needs_button.setAccessibleName("Write what I need from this plan")
        self.needs_button.clicked.connect(self.write_needs)
        self.change_button = QPushButton("Change…")
        self.change_button.setAccessibleName("Propose a change to the plan")
        self.change_button.clicked.connect(self.change_current)
        self.empty = label(
            "No plans yet. A plan is how the two of you wind transparency down together, step "
            "by step: phones open daily, then weekly, then on request. Either of you can "
            "propose one; it holds once you both accept it.",
            "muted",
            selectable=True,
        )
        self._build()
        self._show_current(-1)

    def _build(self) -> None:
        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        lbox.addWidget(self.list, 1)
        lbox.addWidget(self.new_button)
        self.detail = Card()
        box = self.detail.box
        for widget in (self.heading, self.status_line, self.prompts, self.why):
            box.addWidget(widget)
        box.addWidget(label("Step-down timeline", "subtitle"))
        box.addWidget(self.timeline)
        for widget in (self.step_downs, self.needs, self.grouped, self.acceptance):
            box.addWidget(widget)
        box.addStretch(1)
        buttons = QHBoxLayout()
        for b in (self.accept_button, self.step_button, self.needs_button, self.change_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        box.addLayout(buttons)
        right = QWidget()
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(0, 0, 0, 0)
        rbox.addWidget(self.empty)
        rbox.addWidget(self.detail, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)

    # -- page hooks ------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.bridge.queries is not None:
            self.bridge.read(load_plans, self._fill)

    def clear(self) -> None:
        """Drop every plan's terms, needs and step-downs from the widgets."""
        self.view = PlansView([], [], "")
        self.list.clear()
        self._show_current(-1)

    def new_entry(self) -> None:
        dialog = PlanDialog(self.bridge, self.view.agreements, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- actions ---------------------------------------------------------------------------

    def current(self) -> Plan | None:
        row = self.list.currentRow()
        return self.view.plans[row] if 0 <= row < len(self.view.plans) else None

    def accept_current(self) -> None:
        plan = self.current()
        if plan is None:
            return
        plan_id, wording = plan.entry.id, Queries.wording_of(plan.entry)
        self.accept_button.setEnabled(False)
        self.bridge.write(
            lambda actions: actions.accept(plan_id, wording=wording), on_error=self._failed
        )

    def step_down_current(self) -> None:
        plan = self.current()
        if plan is not None and plan.can_step_down:
            windows_of(self.bridge).single(
                ("step down", plan.entry.id), lambda: StepDownDialog(self.bridge, plan, self)
            )

    def write_needs(self) -> None:
        plan = self.current()
        if plan is not None:
            mine = next((n.text for n in plan.needs if n.by == self.view.me), "")
            windows_of(self.bridge).single(
                ("needs", plan.entry.id), lambda: NeedsDialog(self.bridge, plan, mine, self)
            )

    def change_current(self) -> None:
        plan = self.current()
        if plan is not None:
            agreements = self.view.agreements
            windows_of(self.bridge).single(
                ("change plan", plan.entry.id),
                lambda: PlanDialog(self.bridge, agreements, plan, self),
            )

    def _failed(self, message: str) -> None:
        self.acceptance.setText(message)
        self.accept_button.setEnabled(True)

    # -- display ---------------------------------------------------------------------------

    def _fill(self, view: PlansView) -> None:
        chosen = self.current()
        chosen_id = chosen.entry.id if chosen else None
        self.view = view
        self.list.blockSignals(True)
        self.list.clear()
        for plan in view.plans:
            step = plan.steps[plan.current].label
            nudge = " · a gentle word" if plan.prompts else ""
            item = QListWidgetItem(f"{plan.title}\n{STATUS_WORDS[plan.standing.status]}"
                                   f" · now: {step}{nudge}")  # fmt: skip
            self.list.addItem(item)
        self.list.blockSignals(False)
        rows = [i for i, p in enumerate(view.plans) if p.entry.id == chosen_id]
        self.list.setCurrentRow(rows[0] if rows else (0 if view.plans else -1))
        self._show_current(self.list.currentRow())

    def _show_current(self, row: int) -> None:
        plan = self.view.plans[row] if 0 <= row < len(self.view.plans) else None
        self.detail.setVisible(plan is not None)
        self.empty.setVisible(plan is None and not self.view.plans)
        if plan is None:
            for widget in (self.heading, self.status_line, self.why, self.step_downs,
                           self.needs, self.grouped, self.acceptance):  # fmt: skip
                widget.clear()
            self.prompts.show_text("")
            self.timeline.clear()
            return
        terms = plan.standing.in_force.fields if plan.standing.in_force else plan.entry.fields
        self.heading.setText(str(terms["title"]))
        days = f"{friendly_day(str(terms['starts_on']))} to {friendly_day(str(terms['ends_on']))}"
        self.status_line.setText(f"{STATUS_WORDS[plan.standing.status]} · {days}")
        self.prompts.show_text("\n\n".join(p.words for p in plan.prompts))
        self.why.setText(str(terms.get("text") or ""))
        self.why.setVisible(bool(terms.get("text")))
        self.timeline.show_plan(plan)
        self.step_downs.setText(self._step_down_words(plan))
        self.needs.setText(self._needs_words(plan))
        titles = {a.id: a.title for a in self.view.agreements}
        grouped = [f"“{titles[i]}”" for i in terms.get("agreements", []) if i in titles]
        self.grouped.setText(f"Groups {', '.join(grouped)}." if grouped else "")
        self.acceptance.setText(self._acceptance_words(plan))
        pending = plan.standing.proposal is not None
        accepted = self.view.me in plan.standing.proposal_accepted
        self.accept_button.setVisible(pending)
        self.accept_button.setEnabled(pending and not accepted)
        noun = "the change" if plan.standing.in_force is not None else "this plan"
        self.accept_button.setText(f"You accepted {noun}" if accepted else f"Accept {noun}")
        self.step_button.setEnabled(plan.can_step_down)
        nxt = plan.steps[plan.current + 1].label if plan.current + 1 < len(plan.steps) else ""
        self.step_button.setToolTip(f"To “{nxt}”" if nxt else "This is the last step")
        self.change_button.setEnabled(plan.standing.status is not AgreementStatus.ENDED)

    def _who(self, device: str) -> str:
        return "You" if device == self.view.me else self.bridge.name_of(device)

    def _step_down_words(self, plan: Plan) -> str:
        lines = []
        for down in plan.step_downs:
            note = f": “{down.note}”" if down.note else ""
            to = plan.steps[down.step].label if down.step < len(plan.steps) else f"{down.step + 1}"
            lines.append(
                f"{self._who(down.by)} stepped down to “{to}” on {friendly_day(down.on)}{note}"
            )
        return "\n".join(lines)

    def _needs_words(self, plan: Plan) -> str:
        lines = [f"{self._who(n.by)} need{'' if n.by == self.view.me else 's'}: {n.text}"
                 for n in plan.needs]  # fmt: skip
        return "\n".join(lines) or "Neither of you has written what you need from it yet."

    def _acceptance_words(self, plan: Plan) -> str:
        standing = plan.standing
        if standing.proposal is None:
            return "You both accepted this plan as it stands."
        who = self._who(standing.proposal.editor)
        what = "proposed a change" if standing.in_force is not None else "proposed this plan"
        accepted = [self._who(p) for p in standing.proposal_accepted]
        said = f" {' and '.join(accepted)} accepted it." if accepted else ""
        rest = " It holds once you both accept it." + (
            " Until then the plan stays as it was." if standing.in_force is not None else ""
        )
        steps = " → ".join(str(s["label"]) for s in standing.proposal.fields["steps"])
        return f"{who} {what}: {steps}.{said}{rest}"
