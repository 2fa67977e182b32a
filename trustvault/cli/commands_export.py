"""``export FILE``: my own data, readable, for leaving or for keeping a record of my own."""

import argparse
from pathlib import Path

from trustvault.cli.context import Context
from trustvault.cli.parser import Subparsers
from trustvault.results import EXPORT_WARNING

__all__ = ["register"]


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "export",
        parents=[common],
        help="write what you wrote (and your copies of what your partner shared) to a file",
        description="Write your own entries, and, marked apart, your copies of what your"
        f" partner shared with you, with their comments. {EXPORT_WARNING}",
    )
    p.add_argument("file", metavar="FILE", help="where to write (never the sync folder)")
    p.add_argument(
        "--html", action="store_true", help="a page that prints, instead of JSON for programs"
    )
    p.set_defaults(handler=_export)


def _export(ctx: Context, args: argparse.Namespace) -> int:
    path = Path(args.file).expanduser()
    done = ctx.actions().export_data(path, fmt="html" if args.html else "json")
    mine, theirs = done.mine, done.shared_with_me
    ctx.say(
        f"Exported {mine} {'entry' if mine == 1 else 'entries'} you wrote and {theirs}"
        f" {'entry' if theirs == 1 else 'entries'} shared with you to {path}."
    )
    ctx.say(EXPORT_WARNING)
    return 0
