"""Reading safety, this device's alone: ``hold-for-session ID``, ``open ID``, ``put-away ID``,
``bring-back ID``.

None of these is an op: the partner's device is never told. A held entry prints closed (its
content note and level of detail) until ``open``; a put-away entry leaves ``list`` for
``list --put-away`` until ``bring-back``.
"""

import argparse
from collections.abc import Callable

from trustvault.actions import Actions
from trustvault.cli.context import Context
from trustvault.cli.output import render_entry, short_ids
from trustvault.cli.parser import Subparsers
from trustvault.results import Entry

__all__ = ["register"]

_NOT_TOLD = "Your partner's device is not told."


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    for name, door, help_text in (
        ("hold-for-session", Actions.hold_for_session,
         "keep your partner's entry closed until you open it (for a session together)"),
        ("open", Actions.open_held, "open an entry you held for a session, and show it"),
        ("put-away", Actions.put_away, "take an entry out of your list, on this device"),
        ("bring-back", Actions.bring_back, "put an entry you put away back in your list"),
    ):  # fmt: skip
        p = sub.add_parser(name, parents=[common], help=help_text)
        p.add_argument("id", metavar="ID", help="entry id or a unique prefix of it (6+ digits)")
        p.set_defaults(handler=_runner(name, door))


def _runner(name: str, door: Callable[[Actions, str], Entry]) -> Callable[..., int]:
    def run(ctx: Context, args: argparse.Namespace) -> int:
        actions = ctx.actions()
        q = actions.queries
        entry = door(actions, q.find(args.id).id)
        short = short_ids(q, [entry])[entry.id]
        if name == "open":
            for line in render_entry(q, entry, ctx.today()):
                ctx.say(line)
            return 0
        said = {
            "hold-for-session": f"Held {short} for your session: it stays closed until"
            f" 'open {short}'.",
            "put-away": f"Put {short} away: 'list --put-away' finds it, 'bring-back {short}'"
            " returns it.",
            "bring-back": f"Brought {short} back to your list.",
        }[name]
        ctx.say(f"{said} {_NOT_TOLD}" if name != "bring-back" else said)
        return 0

    return run
