"""``accept ID``: accept the current wording of an agreement, as this device's person.

Recorded through the sync service, so a paired partner's device learns of it on the next sync;
an agreement is in force once both have accepted its current wording.
"""

import argparse

from trustvault.agreements import accepted_by, status_of
from trustvault.cli.context import Context
from trustvault.cli.output import short_ids
from trustvault.cli.parser import Subparsers
from trustvault.entries.model import Entry
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

__all__ = ["accept_locally", "register"]


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "accept", parents=[common], help="accept the current version of an agreement"
    )
    p.add_argument("id", metavar="ID", help="agreement id or a unique prefix of it (6+ digits)")
    p.set_defaults(handler=accept_locally)


def accept_locally(ctx: Context, args: argparse.Namespace) -> int:
    vault = ctx.open_vault()
    entry = vault.entries.find(args.id)
    new = not accept_was_recorded(vault, entry)
    SyncService(vault).accept(entry.id)
    state = status_of(vault, entry, ctx.today())
    short = short_ids(vault, [entry])[entry.id]
    already = "" if new else " (you had already accepted it)"
    ctx.say(f"Accepted version {entry.fields['version']} of agreement {short}{already}.")
    waiting = " (waiting for your partner)" if state == "proposed" else ""
    ctx.say(f"Status: {state}{waiting}.")
    return 0


def accept_was_recorded(vault: Vault, entry: Entry) -> bool:
    return vault.device_id in accepted_by(vault, entry)
