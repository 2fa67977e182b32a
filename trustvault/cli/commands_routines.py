"""``mark EVENT --on DAY held|skipped|moved`` and ``progress``: routines that count.

Either of you may mark an occurrence of an event; a later mark by either replaces the earlier,
and the partner's device shows it at its next sync (a private event's marks stay here). A
milestone counts held occurrences when it is added with ``--counts N:WHAT`` and ``--due``.
"""

import argparse
from datetime import datetime
from typing import Any

from trustvault.cli.context import Context
from trustvault.cli.output import print_json
from trustvault.cli.parser import Subparsers
from trustvault.entries.kinds import EVENT_KINDS
from trustvault.errors import InvalidField
from trustvault.queries import Queries
from trustvault.results import MarkState, OccurrenceMark

__all__ = ["RULE_HELP", "register", "rule_of"]

RULE_HELP = (
    "count held occurrences by the --due day: N:KIND (every event of that kind, e.g."
    " 12:check-in) or N:EVENT (one event's id or prefix); 'none' removes it"
)


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "mark",
        parents=[common],
        help="mark an occurrence of an event held, skipped or moved; alone, list its marks",
    )
    p.add_argument("event", metavar="EVENT", help="the event's id (or a unique prefix)")
    p.add_argument(
        "state", nargs="?", choices=[str(s) for s in MarkState], help="what became of it"
    )
    p.add_argument(
        "--on",
        metavar="DAY",
        help="the occurrence: its day (YYYY-MM-DD), or its original start (YYYY-MM-DDTHH:MM)",
    )
    p.add_argument("--json", action="store_true", help="print the marks as JSON")
    p.set_defaults(handler=_mark)
    g = sub.add_parser(
        "progress", parents=[common], help="milestones that count held occurrences, and how far"
    )
    g.add_argument("--json", action="store_true", help="print the progress as JSON")
    g.set_defaults(handler=_progress)


def rule_of(q: Queries, text: str) -> dict[str, Any]:
    """``N:KIND`` or ``N:EVENT`` as a milestone's rule ({} for 'none')."""
    if text.strip().lower() in ("", "none"):
        return {}
    count, sep, what = text.partition(":")
    if not sep or not what.strip():
        raise InvalidField("counts", f"{text!r} is not N:KIND or N:EVENT (e.g. 12:check-in)")
    kind = what.strip().lower().replace("-", "_").replace(" ", "_")
    if kind in EVENT_KINDS:
        return {"count": count.strip(), "event_kind": kind}
    event = q.find(what.strip())
    if event.kind != "event":
        raise InvalidField("counts", f"{what.strip()!r} is not an event")
    return {"count": count.strip(), "event": event.id}


def _moment(original: str) -> str:
    if len(original) == 10:
        return datetime.fromisoformat(original).strftime("%a %d %b %Y")
    return datetime.fromisoformat(original.replace("Z", "+00:00")).strftime("%a %d %b %Y %H:%M")


def _line(q: Queries, mark: OccurrenceMark) -> str:
    who = "you" if mark.marked_by == q.device_id else q.name_of(mark.marked_by)
    return f"{_moment(mark.ref.original)}  {mark.state}  (marked by {who})"


def _mark(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    q = actions.queries
    event = q.find(args.event)
    if args.state is None:
        if args.on is not None:
            raise InvalidField("state", "say held, skipped or moved for the occurrence --on")
        marks = [m for r, m in sorted(q.marks().items()) if r.event_id == event.id]
        if args.json:
            print_json(ctx.out, [m.to_json() for m in marks])
        for m in [] if args.json else marks:
            ctx.say(_line(q, m))
        if not marks and not args.json:
            ctx.say("No occurrence of it is marked yet.")
        return 0
    if args.on is None:
        raise InvalidField("on", "name the occurrence with --on DAY")
    made = actions.mark_occurrence(event.id, args.on, args.state)
    if args.json:
        print_json(ctx.out, [made.to_json()])
        return 0
    ctx.say(f"{event.title}, {_moment(made.ref.original)}: {made.state}.")
    if event.visibility == "shared":
        ctx.say("Your partner's device shows it at its next sync.")
    return 0


def _progress(ctx: Context, args: argparse.Namespace) -> int:
    q = ctx.queries()
    found = q.routine_progress(ctx.today())
    if args.json:
        print_json(ctx.out, [p.to_json() for p in found])
        return 0
    if not found:
        ctx.say("No milestone counts held occurrences yet (add one with --counts and --due).")
    for p in found:
        ctx.say(f"{p.milestone.fields['title']}: {p.sentence()}")
    return 0
