"""Transparency plans that wind down: the schedule, the step-downs, the needs, the prompts.

A plan is accepted and stands as an agreement does (:func:`trustvault.agreements.standing`):
either partner proposes it or a change to it, and a version is in force once both accepted its
terms. A step-down is an entry of its own (``plan_step``), written by whichever partner steps
down, so two step-downs made at once on both devices never overwrite each other; the step the
plan is at is the furthest one recorded. Stepping down follows the schedule both accepted: it is
taken from the day the next step is planned for; earlier is a change to the plan, which both
accept. Each partner's needs are their own ``plan_need`` entry, edited by its author alone.

Step days are computed from what really happened: a step planned for so many days lasts that
long from the day it began, so a late step-down moves the later ones with it.
"""

from dataclasses import replace
from datetime import date, timedelta, tzinfo
from typing import Any, Final

from trustvault import agreements
from trustvault.entries.model import Entry
from trustvault.errors import EntryNotFound, InvalidField
from trustvault.plan_results import (
    Plan,
    PlanNeeds,
    PlanStep,
    Prompt,
    PromptKind,
    StepDown,
    StepState,
)
from trustvault.results import AgreementStatus
from trustvault.stats import day_of
from trustvault.storage import pairing_store
from trustvault.storage.entry_store import EntryStore
from trustvault.vault import Vault

__all__ = ["GRACE_DAYS", "check_agreements", "needs_of", "plan_of", "plans", "view"]

GRACE_DAYS: Final = 14
"""How long past a planned step-down before the app says a gentle word: a couple may well
wait a little, and a prompt the day after would nag."""
_LINK = "plan"
_OPEN = (AgreementStatus.PROPOSED, AgreementStatus.IN_FORCE, AgreementStatus.DUE_FOR_REVIEW)


def plan_of(entries: EntryStore, plan_id: str) -> Entry:
    """The plan ``plan_id`` names, or :class:`InvalidField` naming the plan."""
    try:
        plan = entries.get(plan_id)
    except EntryNotFound:
        raise InvalidField("plan", f"there is no plan {plan_id[:10]} here") from None
    if plan.kind != "plan":
        raise InvalidField("plan", f"{plan_id[:10]} is a {plan.kind}, not a plan")
    if not plan.fields:
        raise InvalidField("plan", "that plan was withdrawn by its author")
    return plan


def check_agreements(entries: EntryStore, ids: list[str]) -> None:
    """Refuse (naming ``agreements``) a plan grouping anything but agreements held here."""
    for entry_id in ids:
        try:
            entry = entries.get(entry_id)
        except EntryNotFound:
            raise InvalidField(
                "agreements", f"there is no agreement {entry_id[:10]} here"
            ) from None
        if entry.kind != "agreement" or not entry.fields:
            raise InvalidField("agreements", f"{entry_id[:10]} is not an agreement here")


def plans(vault: Vault, today: date, tz: tzinfo | None = None) -> list[Plan]:
    """Every plan on this device, newest first (two reads for all their step-downs and needs,
    not two a plan)."""
    found = [p for p in vault.entries.all("plan") if p.fields]
    found.sort(key=lambda p: p.created, reverse=True)
    downs, needs = _linked(vault.entries, "plan_step"), _linked(vault.entries, "plan_need")
    return [view(vault, p, today, tz, (downs.get(p.id, []), needs.get(p.id, []))) for p in found]


def _linked(entries: EntryStore, kind: str, plan_id: str | None = None) -> dict[str, list[Entry]]:
    """The ``kind`` entries (step-downs or needs) of ``plan_id`` or of every plan, by plan."""
    out: dict[str, list[Entry]] = {}
    for entry in entries.linking_to(kind, _LINK, plan_id):
        if entry.fields and entry.visibility != "withdrawn":
            out.setdefault(str(entry.fields[_LINK]), []).append(entry)
    return out


def needs_of(entries: EntryStore, plan_id: str) -> list[PlanNeeds]:
    """Each partner's written needs for the plan."""
    return _needs(_linked(entries, "plan_need", plan_id).get(plan_id, []))


def _needs(linked: list[Entry]) -> list[PlanNeeds]:
    """One each (the newest, should a modified client send more)."""
    by_author: dict[str, Entry] = {}
    for need in linked:
        if need.author not in by_author or need.created > by_author[need.author].created:
            by_author[need.author] = need
    return [PlanNeeds(e, e.author, str(e.fields["text"])) for e in by_author.values()]


def view(
    vault: Vault,
    plan: Entry,
    today: date,
    tz: tzinfo | None = None,
    linked: tuple[list[Entry], list[Entry]] | None = None,
) -> Plan:
    """The plan as it stands ``today``: schedule, step-downs, needs and prompts. ``linked``
    gives its step-downs and needs when the caller read them already."""
    if linked is None:
        linked = (
            _linked(vault.entries, "plan_step", plan.id).get(plan.id, []),
            _linked(vault.entries, "plan_need", plan.id).get(plan.id, []),
        )
    standing = agreements.standing(vault, plan, today)
    terms = standing.in_force.fields if standing.in_force is not None else plan.fields
    downs = _step_downs(linked[0], tz)
    last = len(terms["steps"]) - 1
    in_force = standing.in_force is not None
    current = min(max((d.step for d in downs), default=0), last) if in_force else 0
    steps = _schedule(terms, downs, current, in_force)
    live = standing.status is AgreementStatus.IN_FORCE  # not ended, nor only proposed
    next_due = steps[current].planned_end if live and current < last else None
    ready = next_due is not None and today >= next_due
    needs = _needs(linked[1])
    shown = Plan(
        plan, standing, steps, current, next_due, ready, tuple(downs),
        tuple(needs), prompts=(),
    )  # fmt: skip
    return replace(shown, prompts=_prompts(vault, shown, today))


def _step_downs(linked: list[Entry], tz: tzinfo | None) -> list[StepDown]:
    out = [
        StepDown(e, int(e.fields["step"]), e.author, day_of(e.created, tz), str(e.fields["note"]))
        for e in linked
    ]
    out.sort(key=lambda d: (d.on, d.step))
    return out


def _schedule(
    terms: dict[str, Any], downs: list[StepDown], current: int, in_force: bool
) -> tuple[PlanStep, ...]:
    began: dict[int, date] = {0: date.fromisoformat(terms["starts_on"])} if in_force else {}
    for down in downs:
        began.setdefault(down.step, down.on)  # the first to step down to it began it
    ends = date.fromisoformat(terms["ends_on"])
    out: list[PlanStep] = []
    start: date | None = date.fromisoformat(terms["starts_on"])
    last = len(terms["steps"]) - 1
    for i, step in enumerate(terms["steps"]):
        real = began.get(i) if i <= current else None
        start = real or start
        if step.get("until"):
            end: date | None = date.fromisoformat(step["until"])
        elif step.get("days") and start is not None:
            end = start + timedelta(days=int(step["days"]))
        else:
            end = ends if i == last else None
        state = StepState.AHEAD
        if in_force and i <= current:
            state = StepState.DONE if i < current else StepState.CURRENT
        out.append(PlanStep(i, str(step["label"]), state, real, start, end))
        start = end
    return tuple(out)


def _prompts(vault: Vault, plan: Plan, today: date) -> tuple[Prompt, ...]:
    prompts: list[Prompt] = []
    record = pairing_store.partner(vault.conn)
    partner = record.name if record is not None and record.name else "Your partner"
    due = plan.next_due
    if due is not None and today >= due + timedelta(days=GRACE_DAYS):
        nxt = plan.steps[plan.current + 1].label
        prompts.append(
            Prompt(
                PromptKind.STEP_OVERDUE,
                f"“{nxt}” was planned from {due:%d %B %Y}. When it feels right, you might talk "
                "together about stepping down, or change the schedule so it fits where you "
                "both are now.",
            )
        )
    writers = {n.by for n in plan.needs}
    if plan.standing.status in _OPEN and len(writers) == 1:
        if vault.device_id in writers:
            words = (
                f"You have written what you need from this plan. {partner} has not added "
                "theirs yet, and there is no hurry."
            )
        else:
            words = (
                f"{partner} has written what they need from this plan. When you are ready, "
                "you could add yours, so it holds both of you."
            )
        prompts.append(Prompt(PromptKind.NEEDS_ONE_SIDED, words))
    return tuple(prompts)
