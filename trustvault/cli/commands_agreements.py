"""``accept ID`` and ``review ID``: this person's voice on an agreement, theirs or the partner's.

``accept`` accepts the agreement's newest terms; the partner's device learns of it on the next
sync, and those terms are in force once both accepted them (until then the version both accepted
before stays in force). ``review`` records a review's outcome as a proposal of the same kind.
New wording is ``edit ID --text …`` on either partner's agreement.
"""

import argparse

from trustvault.cli.context import Context
from trustvault.cli.output import short_ids
from trustvault.cli.parser import Subparsers
from trustvault.entries.kinds import REVIEW_OUTCOMES
from trustvault.results import AgreementStatus

__all__ = ["register"]


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "accept", parents=[common], help="accept the current version of an agreement"
    )
    p.add_argument("id", metavar="ID", help="agreement id or a unique prefix of it (6+ digits)")
    p.set_defaults(handler=_accept)
    r = sub.add_parser(
        "review",
        parents=[common],
        help="record a review of an agreement (kept, stepped down, revised or retired)",
    )
    r.add_argument("id", metavar="ID", help="agreement id or a unique prefix of it (6+ digits)")
    r.add_argument("outcome", choices=[o.replace(" ", "-") for o in REVIEW_OUTCOMES])
    r.add_argument("--title", help="new title (stepped down or revised)")
    r.add_argument("--text", help="new wording (stepped down or revised)")
    r.add_argument("--review-on", metavar="DATE", help="the next review day (YYYY-MM-DD)")
    r.add_argument("--ends-on", metavar="DATE", help="the last day it holds (YYYY-MM-DD)")
    r.set_defaults(handler=_review)


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


def _review(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    entry = actions.queries.find(args.id)
    given = {"title": args.title, "text": args.text, "review_on": args.review_on}
    changes = {k: v for k, v in given.items() if v is not None}
    if args.ends_on is not None:
        changes["ends_on"] = args.ends_on
    outcome = args.outcome.replace("-", " ")
    reviewed = actions.review_agreement(entry.id, outcome, changes)
    short = short_ids(actions.queries, [reviewed])[reviewed.id]
    status = actions.queries.agreement_status(reviewed)
    ctx.say(f"Recorded the review of agreement {short}: {outcome}.")
    ctx.say(
        f"It takes effect once you both accept it ('accept {short}'); until then it stays {status}."
    )
    return 0
