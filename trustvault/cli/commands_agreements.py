"""``accept ID``: accept the current wording of an agreement, as this device's person.

The partner's device learns of it on the next sync; an agreement is in force once both have
accepted its current wording.
"""

import argparse

from trustvault.cli.context import Context
from trustvault.cli.output import short_ids
from trustvault.cli.parser import Subparsers
from trustvault.results import AgreementStatus

__all__ = ["register"]


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "accept", parents=[common], help="accept the current version of an agreement"
    )
    p.add_argument("id", metavar="ID", help="agreement id or a unique prefix of it (6+ digits)")
    p.set_defaults(handler=_accept)


def _accept(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    entry = actions.queries.find(args.id)
    result = actions.accept(entry.id)
    short = short_ids(actions.queries, [entry])[entry.id]
    already = "" if result.new else " (you had already accepted it)"
    ctx.say(f"Accepted version {entry.fields['version']} of agreement {short}{already}.")
    waiting = " (waiting for your partner)" if result.status is AgreementStatus.PROPOSED else ""
    ctx.say(f"Status: {result.status}{waiting}.")
    return 0
