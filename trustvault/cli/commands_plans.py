"""``plan …``: transparency plans that wind down, with both voices.

``plan propose`` and ``plan change`` write terms that hold once you both ``plan accept`` them;
``plan step-down`` moves a plan in force to its next step from the day the schedule plans it;
``plan needs`` writes (or rewrites) what you need from it; ``plan list`` shows each plan's
schedule, where it is, and any gentle prompt. A step is written ``LABEL @ WHEN``, WHEN a date
(it lasts until then) or a span (``30d``, ``4w``: it lasts that long from when it began); the
last step may leave it out (it runs to the plan's end).
"""

import argparse
from typing import Any

from trustvault.cli.context import Context
from trustvault.cli.output import author_name, print_json, short_ids
from trustvault.cli.parser import Subparsers
from trustvault.cli.text_input import SOURCES_HELP, resolve_text
from trustvault.entries.kinds import parse_step_text
from trustvault.errors import InvalidField
from trustvault.plan_results import Plan, StepState
from trustvault.queries import Queries
from trustvault.results import AgreementStatus

__all__ = ["register"]

_STEP_HELP = "a step, in order: 'Phones open daily @ 4w', 'Weekly @ 2027-03-01', 'On request'"
_MARKS = {StepState.DONE: "done", StepState.CURRENT: "now ", StepState.AHEAD: "    "}


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    plan = sub.add_parser("plan", parents=[common], help="transparency plans that wind down")
    verbs = plan.add_subparsers(dest="verb", metavar="VERB", required=True)
    p = verbs.add_parser("propose", parents=[common], help="propose a plan to your partner")
    p.add_argument("--title", required=True, help="what the plan is about")
    p.add_argument("--starts", required=True, metavar="DATE", help="first day (YYYY-MM-DD)")
    p.add_argument("--ends", required=True, metavar="DATE", help="last day (YYYY-MM-DD)")
    _terms(p, steps_required=True)
    p.set_defaults(handler=_propose)
    c = verbs.add_parser("change", parents=[common], help="propose a change to a plan")
    c.add_argument("id", metavar="ID", help="plan id or a unique prefix of it (6+ digits)")
    c.add_argument("--title", help="a new title")
    c.add_argument("--starts", metavar="DATE", help="a new first day")
    c.add_argument("--ends", metavar="DATE", help="a new last day")
    _terms(c, steps_required=False)
    c.set_defaults(handler=_change)
    a = verbs.add_parser("accept", parents=[common], help="accept a plan's current terms")
    a.add_argument("id", metavar="ID", help="plan id or a unique prefix of it")
    a.set_defaults(handler=_accept)
    s = verbs.add_parser("step-down", parents=[common], help="step a plan down to its next step")
    s.add_argument("id", metavar="ID", help="plan id or a unique prefix of it")
    s.add_argument("--note", default="", help="a few words your partner sees with it")
    s.set_defaults(handler=_step_down)
    n = verbs.add_parser(
        "needs", parents=[common], help="write what you need from a plan", description=SOURCES_HELP
    )
    n.add_argument("id", metavar="ID", help="plan id or a unique prefix of it")
    n.add_argument("--text", required=True, help="what you need from this plan (also -, @FILE)")
    n.set_defaults(handler=_needs)
    ls = verbs.add_parser("list", parents=[common], help="plans, their steps and any prompts")
    ls.add_argument("--json", action="store_true", help="print a JSON array of plans")
    ls.set_defaults(handler=_list)


def _terms(p: argparse.ArgumentParser, *, steps_required: bool) -> None:
    p.add_argument("--step", action="append", required=steps_required, help=_STEP_HELP)
    p.add_argument("--agreement", action="append", metavar="ID", help="an agreement it groups")
    p.add_argument("--text", help="why this plan, in your words (also -, @FILE)")


def _agreement_ids(q: Queries, given: list[str] | None) -> list[str] | None:
    return None if given is None else [q.find(i).id for i in given]


def _propose(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    entry = actions.propose_plan(
        args.title,
        args.starts,
        args.ends,
        [parse_step_text(s) for s in args.step],
        agreements=_agreement_ids(actions.queries, args.agreement) or [],
        text=resolve_text(ctx, args.text, "text") if args.text is not None else "",
    )
    short = short_ids(actions.queries, [entry])[entry.id]
    ctx.say(f"Proposed plan {short}: {entry.fields['title']}.")
    ctx.say(f"It holds once you both accept it ('plan accept {short}').")
    return 0


def _change(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    plan = actions.queries.find(args.id)
    changes: dict[str, Any] = {}
    given = {"title": args.title, "starts_on": args.starts, "ends_on": args.ends}
    changes.update((k, v) for k, v in given.items() if v is not None)
    if args.step is not None:
        changes["steps"] = [parse_step_text(s) for s in args.step]
    agreements = _agreement_ids(actions.queries, args.agreement)
    if agreements is not None:
        changes["agreements"] = agreements
    if args.text is not None:
        changes["text"] = resolve_text(ctx, args.text, "text")
    actions.change_plan(plan.id, changes)
    short = short_ids(actions.queries, [plan])[plan.id]
    ctx.say(f"Proposed a change to plan {short}.")
    ctx.say("It takes effect once you both accept it; until then the plan stays as it was.")
    return 0


def _accept(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    plan = actions.queries.find(args.id)
    if plan.kind != "plan":
        raise InvalidField("plan", "that is not a plan; accept an agreement with 'accept ID'")
    result = actions.accept(plan.id)
    already = "" if result.new else " (you had already accepted them)"
    waiting = " (waiting for your partner)" if result.status is AgreementStatus.PROPOSED else ""
    ctx.say(f"Accepted the plan's terms{already}. Status: {result.status}{waiting}.")
    return 0


def _step_down(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    plan = actions.queries.find(args.id)
    actions.step_down(plan.id, args.note)
    shown = actions.queries.plan(actions.queries.entry(plan.id), ctx.today())
    ctx.say(f"Stepped down to “{shown.steps[shown.current].label}”.")
    ctx.say("Your partner's device shows it, with who stepped down and when, at its next sync.")
    return 0


def _needs(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    plan = actions.queries.find(args.id)
    actions.write_plan_needs(plan.id, resolve_text(ctx, args.text, "text"))
    ctx.say("Your needs are written; your partner sees them at the next sync.")
    return 0


def _list(ctx: Context, args: argparse.Namespace) -> int:
    q = ctx.queries()
    found = q.plans(ctx.today())
    if args.json:
        print_json(ctx.out, [_plan_json(q, p) for p in found])
        return 0
    if not found:
        ctx.say("No plans yet. Either of you can propose one: 'plan propose'.")
    ids = short_ids(q, [p.entry for p in found])
    for plan in found:
        ctx.say(f"{ids[plan.entry.id]}  {plan.title}  ({plan.standing.status})")
        for step in plan.steps:
            when = f"from {step.planned_start}" if step.planned_start else ""
            began = f", began {step.began}" if step.began else ""
            ctx.say(f"  {_MARKS[step.state]}  {step.index + 1}. {step.label}  {when}{began}")
        for down in plan.step_downs:
            note = f": {down.note}" if down.note else ""
            ctx.say(f"  {author_name(q, down.by)} stepped down to step {down.step + 1}"
                    f" on {down.on}{note}")  # fmt: skip
        for need in plan.needs:
            ctx.say(f"  {author_name(q, need.by)} needs: {need.text}")
        for prompt in plan.prompts:
            ctx.say(f"  · {prompt.words}")
    return 0


def _plan_json(q: Queries, plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.entry.id,
        "title": plan.title,
        "status": str(plan.standing.status),
        "current_step": plan.current,
        "next_due": plan.next_due.isoformat() if plan.next_due else None,
        "can_step_down": plan.can_step_down,
        "proposal_pending": plan.standing.proposal is not None,
        "steps": [
            {
                "label": s.label,
                "state": str(s.state),
                "began": s.began.isoformat() if s.began else None,
                "planned_start": s.planned_start.isoformat() if s.planned_start else None,
                "planned_end": s.planned_end.isoformat() if s.planned_end else None,
            }
            for s in plan.steps
        ],
        "step_downs": [
            {"by": author_name(q, d.by), "step": d.step, "on": d.on.isoformat(), "note": d.note}
            for d in plan.step_downs
        ],
        "needs": {author_name(q, n.by): n.text for n in plan.needs},
        "prompts": [{"kind": str(p.kind), "words": p.words} for p in plan.prompts],
    }
