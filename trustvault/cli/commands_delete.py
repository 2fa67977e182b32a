"""``delete ID``: the author deletes an entry for good, here and on the partner's device.

Nothing can bring a deleted entry back, so the command asks first at a terminal; a script says
``--yes``. The result names what the partner's device will show, so nobody believes more of it
is gone than is (what the partner already read stays read).
"""

import argparse
import sys

from trustvault.cli.context import Context
from trustvault.cli.output import short_ids
from trustvault.cli.parser import Subparsers
from trustvault.errors import InvalidField
from trustvault.queries import Queries
from trustvault.results import Entry, PartnerCopy

__all__ = ["register"]


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "delete",
        parents=[common],
        help="delete your entry for good, here and on your partner's device",
        description="Deletes every version of your entry, its comments (both of yours) and"
        " answers from this device, with nothing of it left in the vault's files. Your"
        " partner's device deletes its copy at its next sync and shows only that you deleted"
        " an entry, and when. What your partner already read, copied or photographed cannot"
        " be taken back, and a changed app on their device could keep it.",
    )
    p.add_argument("id", metavar="ID", help="entry id or a unique prefix of it (6+ digits)")
    p.add_argument("--yes", action="store_true", help="do not ask (deleting cannot be undone)")
    p.set_defaults(handler=_delete)


def _delete(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    q = actions.queries
    entry = q.find(args.id)
    if not q.is_mine(entry):
        raise InvalidField("entry", "only its author can delete an entry")
    short = short_ids(q, [entry])[entry.id]
    if not args.yes and not _confirmed(ctx, q, entry):
        ctx.say("Nothing was deleted.")
        return 1
    copy = actions.delete(entry.id)
    ctx.say(f"Deleted {short} from this device for good. {_partner_words(q, copy)}")
    return 0


def _confirmed(ctx: Context, q: Queries, entry: Entry) -> bool:
    """Asked at the terminal; without one to ask at, the choice must be on the command line."""
    if ctx.stdin_used or sys.stdin is None or not sys.stdin.isatty():
        raise InvalidField(
            "delete", "deleting cannot be undone: confirm at a terminal, or add --yes"
        )
    ctx.say(f"Delete \u201c{entry.title or entry.kind}\u201d for good? This cannot be undone.")
    ctx.out.flush()
    return input("Type 'delete' to delete it: ").strip().lower() == "delete"


def _partner_words(q: Queries, copy: PartnerCopy) -> str:
    partner = q.partner()
    who = partner.name if partner is not None else "Your partner"
    if copy is PartnerCopy.DELETED:
        day = q.today().isoformat()
        return (
            f"{who}'s device deletes its copy at its next sync and shows"
            f" \u201cdeleted by {q.name} on {day}\u201d."
        )
    if copy is PartnerCopy.KEPT and partner is not None:
        return "You shared it under an earlier pairing; that device keeps what it received then."
    if copy is PartnerCopy.KEPT:
        return f"You are not paired now, so {who}'s device keeps what it received."
    return "Nothing of it had left this device."
