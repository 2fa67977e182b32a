"""What a face shows of a transparency plan (:meth:`trustvault.queries.Queries.plans` computes
it in :mod:`trustvault.plans`): its standing, its schedule step by step, who wrote their needs,
each step-down, and any gentle prompt."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from trustvault.entries.model import Entry
from trustvault.results import AgreementStanding

__all__ = ["Plan", "PlanNeeds", "PlanStep", "Prompt", "PromptKind", "StepDown", "StepState"]


class StepState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    AHEAD = "ahead"


@dataclass(frozen=True)
class PlanStep:
    """One step of the schedule in force: ``began`` is when it really began (None ahead of it),
    ``planned_end`` when the schedule means to step down from it (None for an open last step)."""

    index: int
    label: str
    state: StepState
    began: date | None
    planned_start: date | None
    planned_end: date | None


@dataclass(frozen=True)
class StepDown:
    """A recorded step-down: who (device id) moved the plan to ``step`` (0 is the first), when."""

    entry: Entry
    step: int
    by: str
    on: date
    note: str


@dataclass(frozen=True)
class PlanNeeds:
    """One partner's "what I need from this plan" (``by`` is their device id)."""

    entry: Entry
    by: str
    text: str


class PromptKind(StrEnum):
    STEP_OVERDUE = "step overdue"
    NEEDS_ONE_SIDED = "needs one-sided"


@dataclass(frozen=True)
class Prompt:
    """A gentle word about a plan, the same on both faces (warm, never accusing)."""

    kind: PromptKind
    words: str


@dataclass(frozen=True)
class Plan:
    """A plan as this device sees it today. ``steps`` are the schedule in force (the proposal's
    while none is); ``current`` indexes them; ``next_due`` is the day the next step-down is
    planned for (None at the last step, or unless the plan is in force); ``can_step_down`` says
    whether :meth:`~trustvault.actions.Actions.step_down` would take it now."""

    entry: Entry
    standing: AgreementStanding
    steps: tuple[PlanStep, ...]
    current: int
    next_due: date | None
    can_step_down: bool
    step_downs: tuple[StepDown, ...]
    needs: tuple[PlanNeeds, ...]
    prompts: tuple[Prompt, ...]

    @property
    def title(self) -> str:
        return str(self.entry.fields.get("title", ""))
