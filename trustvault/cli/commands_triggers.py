"""Triggers, anniversaries and grounding: ``trigger add WHAT``, ``trigger reply ID TEXT``,
``triggers``, ``anniversary add DATE TITLE``, ``anniversary list``, ``breathe``.

``trigger add`` is ``add trigger`` in fewer words, private unless ``--shared``; ``trigger
reply`` answers the partner's shared trigger with reassurance (a comment on it, which syncs
back). ``triggers`` prints the calm pattern summary of one's own log, then the partner's shared
triggers with the question this device asks. ``breathe`` needs no vault: it prints the steps.
"""

import argparse

from trustvault.anniversaries import ahead_words
from trustvault.cli.commands_entries import add_entry, add_field_options
from trustvault.cli.context import Context
from trustvault.cli.output import print_json, short_ids
from trustvault.cli.parser import Subparsers
from trustvault.cli.text_input import SOURCES_HELP, resolve_text
from trustvault.errors import InvalidField
from trustvault.grounding import EXERCISES

__all__ = ["register"]


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    trigger = sub.add_parser("trigger", parents=[common], help="log or answer a trigger")
    steps = trigger.add_subparsers(dest="step", metavar="STEP", required=True)
    p = steps.add_parser(
        "add", parents=[common], help="log a trigger (private by default)", description=SOURCES_HELP
    )
    p.add_argument("what", metavar="WHAT", help="what set it off, e.g. 'a song from that summer'")
    add_field_options(p, "trigger", skip="what")
    p.set_defaults(handler=_add_trigger)
    p = steps.add_parser(
        "reply",
        parents=[common],
        help="answer your partner's shared trigger with reassurance",
        description=SOURCES_HELP,
    )
    p.add_argument("id", metavar="ID", help="the trigger's id (or a unique prefix, 6+ digits)")
    p.add_argument("text", metavar="TEXT", help="what you would say to help (or -, @FILE)")
    p.set_defaults(handler=_reply)

    p = sub.add_parser("triggers", parents=[common], help="the patterns in your trigger log")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.set_defaults(handler=_triggers)

    days = sub.add_parser("anniversary", parents=[common], help="days that come back each year")
    steps = days.add_subparsers(dest="step", metavar="STEP", required=True)
    p = steps.add_parser(
        "add", parents=[common], help="mark a day (private by default)", description=SOURCES_HELP
    )
    p.add_argument("on", metavar="DATE", help="the day, YYYY-MM-DD (it comes back each year)")
    p.add_argument("title", metavar="TITLE", help="e.g. 'The day of discovery'")
    add_field_options(p, "anniversary", skip="on")
    p.set_defaults(handler=_add_anniversary)
    p = steps.add_parser("list", parents=[common], help="the days you marked, soonest first")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(handler=_anniversaries)

    p = sub.add_parser("breathe", parents=[common], help="a one-minute grounding exercise")
    p.add_argument(
        "--senses", action="store_true", help="5-4-3-2-1 senses instead of box breathing"
    )
    p.set_defaults(handler=_breathe)


def _add_trigger(ctx: Context, args: argparse.Namespace) -> int:
    status = add_entry(ctx, args, "trigger", {"what": resolve_text(ctx, args.what, "what")})
    if not args.json:
        ctx.say("If it helps, take a minute to breathe: trustvault-cli breathe")
    return status


def _reply(ctx: Context, args: argparse.Namespace) -> int:
    text = resolve_text(ctx, args.text, "reply")
    actions = ctx.actions()
    q = actions.queries
    entry = q.find(args.id)
    if q.reassurance_prompt(entry) is None:
        raise InvalidField("id", "that is not a trigger your partner shared with you")
    actions.comment(entry.id, text)
    ctx.say(f"Reply sent to {q.name_of(entry.author)} with the next sync.")
    return 0


def _triggers(ctx: Context, args: argparse.Namespace) -> int:
    q = ctx.queries()
    found = q.trigger_patterns(ctx.today())
    theirs = [e for e in q.all("trigger") if q.reassurance_prompt(e) is not None]
    mine_shared = [e for e in q.all("trigger") if q.is_mine(e) and e.visibility == "shared"]
    if args.json:
        print_json(ctx.out, {
            "total": found.total,
            "by_week": {monday.isoformat(): n for monday, n in found.by_week},
            "by_place": dict(found.by_place),
            "by_strength": dict(found.by_strength),
            "by_time_of_day": dict(found.by_time),
            "shared_with_you": [{"id": e.id, "what": e.fields["what"]} for e in theirs],
        })  # fmt: skip
        return 0
    for line in found.lines():
        ctx.say(line)
    short = short_ids(q, [*theirs, *mine_shared])
    for entry in mine_shared:
        for reply in q.comments(entry.id):
            if reply.person != q.device_id:
                ctx.say(f"{q.name_of(reply.person)} replied to “{entry.title}”: {reply.text}")
    for entry in theirs:
        ctx.say(
            f"{q.name_of(entry.author)} shared a trigger {short[entry.id]}: {entry.title}"
            f" (strength {entry.fields['strength']}). {q.reassurance_prompt(entry)}"
        )
        ctx.say(f"  Reply: trustvault-cli trigger reply {short[entry.id]} TEXT")
    return 0


def _add_anniversary(ctx: Context, args: argparse.Namespace) -> int:
    given = {"on": args.on, "title": resolve_text(ctx, args.title, "title")}
    return add_entry(ctx, args, "anniversary", given)


def _anniversaries(ctx: Context, args: argparse.Namespace) -> int:
    q = ctx.queries()
    found = q.anniversaries(ctx.today())
    if args.json:
        print_json(ctx.out, [{
            "id": c.entry.id, "title": c.entry.title, "on": c.entry.fields["on"],
            "next": c.day.isoformat(), "in_days": c.in_days, "flagged": c.flagged,
            "author": q.name_of(c.entry.author), "visibility": c.entry.visibility,
        } for c in found])  # fmt: skip
        return 0
    if not found:
        ctx.say("No days marked yet.")
    for c in found:
        flag = " (coming up)" if c.flagged else ""
        when = ahead_words(c.in_days)
        ctx.say(f"{c.day.isoformat()}  {c.entry.title}: {when}{flag}, {c.entry.visibility}")
    return 0


def _breathe(ctx: Context, args: argparse.Namespace) -> int:
    for line in EXERCISES["senses" if args.senses else "box"].lines():
        ctx.say(line)
    return 0
