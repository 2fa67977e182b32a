"""Questions between the partners: ``ask TEXT``, ``questions``, ``answer QID ...``; and the
small share told as it happens: ``heads-up WHAT [--response TEXT]``.

``ask`` is ``add question`` in fewer words; ``answer QID`` is ``add disclosure --answers QID``
(the same options). ``questions`` lists both partners' questions, waiting ones first, with how
long each waited for its answer: both devices print the same list.
"""

import argparse

from trustvault.cli.commands_entries import add_entry, add_field_options
from trustvault.cli.context import Context
from trustvault.cli.output import SETTING_WORDS, print_json, question_json, short_ids
from trustvault.cli.parser import Subparsers
from trustvault.cli.text_input import SOURCES_HELP, resolve_text

__all__ = ["register"]


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "ask", parents=[common], help="ask your partner a question", description=SOURCES_HELP
    )
    p.add_argument("text", nargs="+", metavar="TEXT", help="the question (or -, @FILE)")
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--for-session",
        dest="setting",
        action="store_const",
        const="for_session",
        help="to talk through together at your next session",
    )
    where.add_argument(
        "--at-home",
        dest="setting",
        action="store_const",
        const="at_home",
        help="to be answered in writing (the default)",
    )
    p.add_argument("--json", action="store_true", help="print the new question as JSON")
    p.set_defaults(handler=_ask, edit=False, visibility=None)

    p = sub.add_parser("questions", parents=[common], help="both partners' questions")
    p.add_argument("--waiting", action="store_true", help="only questions not answered yet")
    p.add_argument("--json", action="store_true", help="print a JSON array of questions")
    p.set_defaults(handler=_questions)

    p = sub.add_parser(
        "answer",
        parents=[common],
        help="answer your partner's question with a disclosure",
        description=SOURCES_HELP,
    )
    p.add_argument("question", metavar="QID", help="the question's id or a unique prefix")
    add_field_options(p, "disclosure", skip="answers")
    p.set_defaults(handler=_answer)

    p = sub.add_parser(
        "heads-up",
        parents=[common],
        help="a heads-up: a small thing told as it happens (add headsup in fewer words)",
        description=SOURCES_HELP,
    )
    p.add_argument("what", metavar="WHAT", help="what happened, e.g. 'Jordan messaged me'")
    add_field_options(p, "headsup", skip="what")
    p.set_defaults(handler=_heads_up)


def _ask(ctx: Context, args: argparse.Namespace) -> int:
    text = " ".join(resolve_text(ctx, word, "text") for word in args.text)
    return add_entry(ctx, args, "question", {"text": text, "setting": args.setting or "at_home"})


def _answer(ctx: Context, args: argparse.Namespace) -> int:
    return add_entry(ctx, args, "disclosure", {"answers": args.question})


def _heads_up(ctx: Context, args: argparse.Namespace) -> int:
    return add_entry(ctx, args, "headsup", {"what": resolve_text(ctx, args.what, "what")})


def _questions(ctx: Context, args: argparse.Namespace) -> int:
    q = ctx.queries()
    found = [x for x in q.questions(ctx.today()) if not (args.waiting and x.answered)]
    ids = short_ids(q, [x.entry for x in found] + [a for x in found for a in x.answers])
    if args.json:
        print_json(
            ctx.out,
            [
                {
                    "id": x.entry.id,
                    "text": x.entry.title,
                    "asked_by": q.name_of(x.entry.author),
                    "setting": x.entry.fields["setting"],
                    "asked": x.entry.created,
                    "visibility": x.entry.visibility,
                    **question_json(x),
                }
                for x in found
            ],
        )
        return 0
    if not found:
        ctx.say("No questions waiting." if args.waiting else "No questions yet.")
        return 0
    for x in found:
        who = "You" if q.is_mine(x.entry) else q.name_of(x.entry.author)
        where = SETTING_WORDS[x.entry.fields["setting"]]
        ctx.say(f"{ids[x.entry.id]}  {who} asked ({where}), {x.status}:")
        ctx.say(f"    {x.entry.title}")
        for answer in x.answers:
            ctx.say(f"    answer {ids[answer.id]}: {answer.title}")
    return 0
