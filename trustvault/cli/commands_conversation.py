"""``talk``: a structured conversation (FANOS, State of the Union), written apart, shown together.

    talk start TEMPLATE [--event ID --start ISO]   open one (from a calendar occurrence)
    talk write ID [--from FILE]                    write your part: FILE, else a prompt per part
    talk done ID                                   I'm done: your part is fixed
    talk show ID                                   "waiting for Sam", then both parts
    talk list                                      every conversation
    talk set-aside ID                              once unpaired: stop one that cannot finish

A part file holds each part under a line naming it in brackets (``[feelings]``, then the text);
at the prompts, a blank line ends a part (and a part left blank keeps what was written).
Nothing of your part leaves this device until you are both done.
"""

import argparse
import sys
import textwrap

from trustvault.cli.context import Context
from trustvault.cli.output import print_json
from trustvault.cli.parser import Subparsers
from trustvault.cli.text_input import resolve_text
from trustvault.conversation_templates import TEMPLATES, Template
from trustvault.conversation_view import PROMISE, SET_ASIDE, Conversation, PartState
from trustvault.errors import InvalidField
from trustvault.queries import Queries

__all__ = ["parse_part_file", "register"]


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    talk = sub.add_parser(
        "talk", parents=[common], help="a structured conversation: written apart, shown together"
    )
    verbs = talk.add_subparsers(dest="verb", metavar="VERB", required=True)
    p = verbs.add_parser("start", parents=[common], help="open a conversation from a template")
    p.add_argument("template", choices=sorted(TEMPLATES), metavar="TEMPLATE",
                   help=f"one of {', '.join(TEMPLATES)}")  # fmt: skip
    p.add_argument("--event", default="", metavar="ID", help="the event it belongs to")
    p.add_argument("--start", default="", metavar="ISO", help="that occurrence's original start")
    p.set_defaults(handler=_start)
    p = verbs.add_parser("write", parents=[common], help="write your part (private until done)")
    p.add_argument("id", metavar="ID")
    p.add_argument("--from", dest="source", metavar="FILE", help="parts under [key] lines")
    p.set_defaults(handler=_write)
    p = verbs.add_parser("done", parents=[common], help="I'm done: fix my part")
    p.add_argument("id", metavar="ID")
    p.set_defaults(handler=_done)
    p = verbs.add_parser("show", parents=[common], help="show a conversation")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true", help="print it as JSON")
    p.set_defaults(handler=_show)
    p = verbs.add_parser("list", parents=[common], help="every conversation")
    p.set_defaults(handler=_list)
    p = verbs.add_parser("set-aside", parents=[common],
                         help="once unpaired: set aside one that can no longer finish")  # fmt: skip
    p.add_argument("id", metavar="ID")
    p.set_defaults(handler=_set_aside)


def parse_part_file(tpl: Template, text: str) -> dict[str, str]:
    """The parts of ``text``: each under a ``[key]`` line; text before the first is refused."""
    answers: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            key = stripped[1:-1].strip()
            if key not in tpl.keys:
                raise InvalidField("part", f"[{key}] is not a part of {tpl.name}"
                                   f" (its parts: {', '.join(tpl.keys)})")  # fmt: skip
            current = answers.setdefault(key, [])
        elif current is not None:
            current.append(line)
        elif stripped:
            raise InvalidField("part", "put each part under a line naming it, like [feelings]")
    return {key: "\n".join(lines).strip() for key, lines in answers.items()}


def _find(q: Queries, prefix: str) -> Conversation:
    found = [c for c in q.conversations() if c.id.startswith(prefix.strip().lower())]
    if len(found) != 1 or not prefix.strip():
        many = "more than one conversation" if len(found) > 1 else "no conversation"
        raise InvalidField("conversation", f"{many} starts with {prefix!r} (see 'talk list')")
    return found[0]


def _partner(q: Queries) -> str:
    info = q.partner()
    return info.name if info is not None and info.name else "your partner"


def _start(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    event = actions.queries.find(args.event).id if args.event else ""
    talk = actions.start_conversation(args.template, event_id=event, original_start=args.start)
    ctx.say(f"{talk.template.name} opened: {talk.id[:8]}.")
    ctx.say(f"Write your part with 'talk write {talk.id[:8]}'. {PROMISE}")
    return 0


def _write(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    talk = _find(actions.queries, args.id)
    if args.source:
        answers = parse_part_file(talk.template, resolve_text(ctx, "@" + args.source, "part"))
    else:
        answers = _prompted(ctx, talk.template)
    actions.write_part(talk.id, answers)
    ctx.say(f"Kept on this device. When you are ready: 'talk done {talk.id[:8]}'.")
    return 0


def _prompted(ctx: Context, tpl: Template) -> dict[str, str]:
    """One prompt per part on standard input; a blank line ends a part, a blank part is kept."""
    answers = {}
    for part in tpl.parts:
        ctx.say(f"{part.title}: {part.prompt} (a blank line ends it)")
        lines = []
        while (line := sys.stdin.readline()) not in ("", "\n", "\r\n"):
            lines.append(line.rstrip("\r\n"))
        if lines:
            answers[part.key] = "\n".join(lines)
    return answers


def _done(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    talk = actions.finish_part(_find(actions.queries, args.id).id)
    partner = _partner(actions.queries)
    if talk.partner.state is PartState.WRITING:
        ctx.say(f"Done. Your part is fixed; it goes to {partner} once they are done too.")
    else:
        ctx.say(f"Done. {partner} is done too: both parts are shown after the next syncs.")
    return 0


def _show(ctx: Context, args: argparse.Namespace) -> int:
    q = ctx.queries()
    talk = _find(q, args.id)
    partner = _partner(q)
    if args.json:
        print_json(ctx.out, _as_json(talk, q))
        return 0
    ctx.say(f"{talk.template.name}, opened {talk.started[:10]}"
            f" by {'you' if talk.started_by == q.device_id else partner}.")  # fmt: skip
    if not talk.both_shown:
        ctx.say(_waiting(talk, partner))
        if talk.mine.state is PartState.WRITING or talk.set_aside:
            for part in talk.template.parts:
                ctx.say(f"  {part.title}: {talk.mine.answers.get(part.key) or '—'}")
        return 0
    width = 38
    ctx.say(f"  {'You':<{width}}  {partner}")
    for part in talk.template.parts:
        ctx.say(f"{part.title}")
        left = textwrap.wrap(talk.mine.answers.get(part.key) or "—", width) or [""]
        right = textwrap.wrap(talk.partner.answers.get(part.key) or "—", width) or [""]
        for i in range(max(len(left), len(right))):
            a = left[i] if i < len(left) else ""
            b = right[i] if i < len(right) else ""
            ctx.say(f"  {a:<{width}}  {b}".rstrip())
    return 0


def _set_aside(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    talk = actions.set_aside_conversation(_find(actions.queries, args.id).id)
    ctx.say(f"{talk.template.name} {talk.id[:8]}: {SET_ASIDE}")
    return 0


def _waiting(talk: Conversation, partner: str) -> str:
    if talk.set_aside:
        return SET_ASIDE
    mine, theirs = talk.mine.state, talk.partner.state
    if mine is PartState.WRITING and theirs is PartState.WRITING:
        return f"You are both writing. Nothing is shown until you are both done. {PROMISE}"
    if mine is PartState.WRITING:
        return f"{partner} is done. Write your part; both are shown when you are done too."
    if theirs is PartState.WRITING:
        return f"Waiting for {partner}: your part is fixed and stays here until they are done."
    return f"You are both done. Waiting for {partner}'s part to arrive (sync)."


def _as_json(talk: Conversation, q: Queries) -> dict[str, object]:
    return {
        "id": talk.id,
        "template": talk.template.key,
        "event_id": talk.event_id,
        "original_start": talk.original_start,
        "started_by": q.name_of(talk.started_by),
        "started": talk.started,
        "mine": {"state": talk.mine.state.value, "answers": talk.mine.answers},
        "partner": {"state": talk.partner.state.value, "answers": talk.partner.answers},
        "both_shown": talk.both_shown,
        "set_aside": talk.set_aside,
    }


def _list(ctx: Context, args: argparse.Namespace) -> int:
    q = ctx.queries()
    found = q.conversations()
    if not found:
        ctx.say("No conversations yet. Open one with 'talk start fanos'.")
    partner = _partner(q)
    for talk in found:
        where = " (from the calendar)" if talk.event_id else ""
        state = "both parts shown" if talk.both_shown else _waiting(talk, partner)
        if talk.set_aside:
            state = f"set aside {talk.set_aside[:10]}"
        ctx.say(f"{talk.id[:8]}  {talk.started[:10]}  {talk.template.name}{where}: {state}")
    return 0
