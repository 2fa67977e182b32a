"""``close`` and ``keep``: closing the shared space, and agreeing that both keep everything.

``close`` is final, so it says what it will do and does it only with ``--yes``.
"""

import argparse

from trustvault.cli.context import Context
from trustvault.cli.output import print_json
from trustvault.cli.parser import Subparsers
from trustvault.results import Closing

__all__ = ["print_closing", "register"]

_WHAT_CLOSING_DOES = (
    "Closing is final. Nothing new goes to your partner from then on (withdrawals still do);"
    " in 7 days both devices stop syncing and keep what they have. With --ask-delete your"
    " partner's device deletes what you wrote on that day, unless you both agree to keep it"
    " ('keep'); a changed app could keep it, and what was read stays read."
)


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "close",
        parents=[common],
        help="close your shared space (final): nothing new is exchanged; syncing stops in 7 days",
        description=_WHAT_CLOSING_DOES,
    )
    p.add_argument(
        "--ask-delete",
        action="store_true",
        help="ask your partner's device to delete what you wrote, after 7 days",
    )
    p.add_argument("--yes", action="store_true", help="close now (without it, nothing happens)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_close)

    p = sub.add_parser(
        "keep",
        parents=[common],
        help="agree that you both keep everything after a closing (both must agree)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_keep)


def _close(ctx: Context, args: argparse.Namespace) -> int:
    if not args.yes:
        ctx.say(_WHAT_CLOSING_DOES)
        ctx.say("Nothing was closed. Run again with --yes to close.")
        return 1
    closing = ctx.actions().close_shared_space(ask_delete=args.ask_delete)
    _report(ctx, closing, args.json)
    if not args.json:
        ctx.say("Run 'sync' so your partner's device learns it.")
    return 0


def _keep(ctx: Context, args: argparse.Namespace) -> int:
    _report(ctx, ctx.actions().agree_to_keep(), args.json)
    return 0


def _report(ctx: Context, closing: Closing, as_json: bool) -> None:
    if as_json:
        print_json(ctx.out, closing.to_json())
        ctx.say()
    else:
        print_closing(ctx, closing)


def print_closing(ctx: Context, closing: Closing | None) -> None:
    if closing is not None:
        ctx.say(closing.sentence(ctx.today()))
