"""``pause LENGTH``, ``pause --more``, ``pause`` and ``back``: a pause with a promised return.

No reason is asked. The partner's device shows the pause at its next sync (``sync`` here, or the
app's own within seconds); either of you may ask for 30 more minutes or say you are back.
"""

import argparse
import re
from datetime import datetime, timedelta

from trustvault.cli.context import Context
from trustvault.cli.parser import Subparsers
from trustvault.errors import InvalidField
from trustvault.results import Pause

__all__ = ["register"]

_LENGTH = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m?)?\s*$")


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "pause",
        parents=[common],
        help="I need a pause: back in LENGTH (20m to 24h); alone, say whether one is on",
    )
    p.add_argument("length", nargs="?", metavar="LENGTH", help="e.g. 45m, 2h, 1h30m")
    p.add_argument("--more", action="store_true", help="30 more minutes on the pause that is on")
    p.set_defaults(handler=_pause)
    b = sub.add_parser("back", parents=[common], help="I'm back: end the pause that is on")
    b.set_defaults(handler=_back)


def length_of(text: str) -> timedelta:
    """``45m``, ``2h``, ``1h30m`` or minutes alone (``90``), as a time span."""
    match = _LENGTH.match(text)
    if match is None or not any(match.groups()):
        raise InvalidField("length", f"{text!r} is not a length (use e.g. 45m, 2h or 1h30m)")
    hours, minutes = (int(g) if g else 0 for g in match.groups())
    return timedelta(hours=hours, minutes=minutes)


def _local(iso: str) -> str:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    return moment.strftime("%H:%M on %a %d %b")


def _describe(ctx: Context, pause: Pause, mine: bool) -> None:
    who = "You asked" if mine else "Your partner asked"
    ctx.say(f"{who} for a pause, back at {_local(pause.until)}.")


def _pause(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    q = actions.queries
    if args.more:
        pause = actions.extend_pause()
        ctx.say(f"30 more minutes: back at {_local(pause.until)}.")
    elif args.length is not None:
        pause = actions.pause(length_of(args.length))
        ctx.say(f"Pause on. You said you would be back at {_local(pause.until)}.")
        ctx.say("Your partner's device shows it at its next sync; take the time you need.")
    else:
        current = q.pause()
        if current is None:
            ctx.say("No pause is on.")
        else:
            _describe(ctx, current, current.asked_by == q.device_id)
    kept = q.returns_kept()
    if kept:
        ctx.say(f"You have come back to each other after {kept} pause{'s' if kept > 1 else ''}.")
    return 0


def _back(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    actions.end_pause()
    ctx.say("Welcome back. The pause is over on both devices at the next sync.")
    return 0
