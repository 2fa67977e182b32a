"""Pairing and sync commands: ``invite``, ``join``, ``sync``, ``partner``, ``verify``, ``unpair``,
``share``, ``revoke``, ``grant``, ``receipts``, ``hold``, ``ack``, ``comment``.

``invite`` prints the code alone on its last line, so scripts can take it with ``tail -n 1``.
"""

import argparse
import getpass
import math
import sys
import time
from datetime import timedelta
from pathlib import Path

from trustvault.actions import Actions
from trustvault.cli.commands_closing import print_closing
from trustvault.cli.context import Context
from trustvault.cli.output import print_json, short_ids
from trustvault.cli.parser import Subparsers
from trustvault.cli.sharing_view import behind_a_hold, leaves, minutes_words
from trustvault.cli.text_input import SOURCES_HELP, edit_text, resolve_text
from trustvault.errors import InvalidField, PairingError
from trustvault.medium import (
    check_short_code,
    folder_spec,
    is_private_url,
    is_short_code,
    relay_spec,
    watch_medium,
)
from trustvault.results import LastHeard, PairStatus, PartnerInfo, SyncResult

__all__ = ["MAX_INVITE_HOURS", "register"]

# A week: a relay drops a mailbox nobody joined after 7 days (its --unjoined-days default), and a
# secret as strong as a password should not lie around longer.
MAX_INVITE_HOURS = 168.0


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "invite",
        parents=[common],
        help="make a pairing code for your partner (pairs the two devices once)",
        description="Make a short pairing code such as 7-tiger-vagabond (valid one hour) to say"
        " aloud to your partner; they run 'join' with the same --folder or --relay and type"
        " it. Then both run 'sync' (you twice). A wrong code, or a guess by anyone else, burns"
        " it. --long makes the long tv1- code instead (offline use: it works for a day).",
    )
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--folder", metavar="PATH", help="a folder both devices reach (Syncthing…)")
    where.add_argument(
        "--relay", metavar="URL", help="a TrustVault relay, e.g. https://relay.example"
    )
    p.add_argument(
        "--relay-token",
        metavar="TOKEN",
        help="the creation token of a private relay, if any; '-' reads it from standard input"
        " and '@FILE' from a file, so it is not in the process list or the shell's history",
    )
    p.add_argument(
        "--hours",
        type=float,
        default=None,
        help="how long the code stays valid (default 1, or 24 for --long; at most"
        f" {MAX_INVITE_HOURS:g})",
    )
    p.add_argument(
        "--long",
        action="store_true",
        help="the long tv1- code to paste or scan (offline fallback) instead of the short one",
    )
    p.set_defaults(handler=_invite)

    p = sub.add_parser(
        "join",
        parents=[common],
        help="pair with your partner's invite code",
        description="Pair with your partner's invite code. Leave CODE out (or give '-') to"
        " type it at a prompt or pipe it in: a code on the command line is visible to other"
        " programs on this computer and stays in the shell's history. The code is read before"
        " the passphrase.",
    )
    p.add_argument("code", metavar="CODE", nargs="?", default="-")
    p.add_argument("--folder", metavar="PATH", help="the shared sync folder (not for relay codes)")
    p.add_argument(
        "--relay", metavar="URL", help="the relay your partner invited through (short codes)"
    )
    p.set_defaults(handler=_join)

    p = sub.add_parser("sync", parents=[common], help="exchange sealed changes with your partner")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.add_argument("--watch", action="store_true", help="keep syncing as changes arrive (Ctrl+C)")
    p.set_defaults(handler=_sync)

    p = sub.add_parser("partner", parents=[common], help="show your partner and the safety number")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_partner)

    p = sub.add_parser(
        "verify",
        parents=[common],
        help="mark your partner as verified after comparing safety numbers aloud",
    )
    p.set_defaults(handler=_verify)

    p = sub.add_parser(
        "unpair",
        parents=[common],
        help="stop syncing with your partner, or cancel a pending invite or join",
        description="Your entries stay on this device. Unpairing waits while a withdrawal has"
        " not reached your partner's device (it would keep the content); nothing more is"
        " delivered after it. If you pair again and your partner's key differs from the one"
        " you verified, TrustVault says so loudly.",
    )
    p.add_argument(
        "--anyway",
        action="store_true",
        help="unpair even while a withdrawal is on its way (your partner keeps what it has)",
    )
    p.set_defaults(handler=_unpair)

    for name, text in (
        ("share", "share an entry with your partner"),
        ("grant", "let your partner see a withdrawn entry again"),
        ("revoke", "withdraw an entry from your partner's device (it cannot undo what they read)"),
    ):
        p = sub.add_parser(name, parents=[common], help=text)
        p.add_argument("id", metavar="ID")
        if name == "share":
            p.add_argument(
                "--with-history",
                action="store_true",
                help="also send the earlier versions of a private entry (drafts stay otherwise)",
            )
        p.set_defaults(handler=_visibility, action=name)

    p = sub.add_parser(
        "receipts",
        parents=[common],
        help="when your device tells your partner's what arrived: at once, or once a day",
        description="A receipt sent at once (and the day's 'last heard' note, which goes with"
        " it) also shows when you opened TrustVault. Once a day, at a random moment, they no"
        " longer do (what you write still shows when you wrote it, and a relay sees when your"
        " device connects); your partner then sees 'delivered' and 'last heard' up to a day"
        " later. Delivered never means read.",
    )
    timing = p.add_mutually_exclusive_group()
    timing.add_argument("--daily", dest="daily", action="store_const", const=True)
    timing.add_argument("--at-once", dest="daily", action="store_const", const=False)
    p.set_defaults(handler=_receipts, daily=None)

    p = sub.add_parser(
        "hold",
        parents=[common],
        help="how long a newly shared entry waits here before it leaves (time to undo)",
        description="A newly shared entry waits on this device for a few minutes (5 unless you"
        " change it) before any sync sends it. Withdrawing it meanwhile ('revoke ID') means it"
        " was never sent: nothing of it reaches the sync folder, the relay or your partner."
        " 0 sends it at the next sync. Shares already waiting keep their moment.",
    )
    p.add_argument(
        "minutes", metavar="MINUTES", nargs="?", type=float, help="0 to 60; leave out to show"
    )
    p.set_defaults(handler=_hold)

    p = sub.add_parser("ack", parents=[common], help="acknowledge your partner's entry")
    p.add_argument("id", metavar="ID")
    p.add_argument("--need-time", action="store_true", help='say "I need time" instead of "read"')
    p.set_defaults(handler=_ack)

    p = sub.add_parser(
        "comment", parents=[common], help="comment on a shared entry", description=SOURCES_HELP
    )
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "text", metavar="TEXT", nargs="?", help="the comment (or -, @FILE); leave out with --edit"
    )
    p.add_argument("--edit", action="store_true", help="write the comment in $EDITOR")
    p.set_defaults(handler=_comment)


def _invite(ctx: Context, args: argparse.Namespace) -> int:
    if args.hours is None:
        args.hours = 24.0 if args.long else 1.0
    if not 0 < args.hours <= MAX_INVITE_HOURS:  # also refuses nan
        raise InvalidField("--hours", f"must be more than 0 and at most {MAX_INVITE_HOURS:g}")
    actions = ctx.actions()
    if args.folder:
        spec = folder_spec(_checked_folder(Path(args.folder)))
    else:
        token = args.relay_token and resolve_text(ctx, args.relay_token, "--relay-token")
        spec = relay_spec(args.relay, token or None)
        if not is_private_url(args.relay):
            print(
                f"warning: {args.relay} is not https: your entries stay sealed, but the relay"
                " credentials travel readable and could let someone delete or flood your"
                " mailbox. Prefer an https address.",
                file=ctx.err,
            )
    if not args.long:
        words = actions.invite_by_words(spec, ttl=timedelta(hours=args.hours))
        ctx.say(f"Say this code to your partner; it works once, for {_hours(args.hours)}.")
        where = " --folder THEIR_PATH" if args.folder else f" --relay {args.relay}"
        ctx.say(f"They run: trustvault-cli join{where} (and type the code when asked)")
        ctx.say("Then they run 'trustvault-cli sync', and you run it twice.")
        ctx.say("A wrong code, or anyone else's guess, burns it: then make a new one.")
        ctx.say(words)
        return 0
    code = actions.invite(spec, ttl=timedelta(hours=args.hours))
    ctx.say(f"Give this code to your partner privately; it works once, for {_hours(args.hours)}.")
    ctx.say(
        "They run: trustvault-cli join"
        + (" --folder THEIR_PATH" if args.folder else "")
        + " (and paste the code when asked)"
    )
    ctx.say("Then both of you run: trustvault-cli sync")
    ctx.say(code)
    return 0


def _join(ctx: Context, args: argparse.Namespace) -> int:
    code = _read_code() if args.code == "-" else args.code
    if is_short_code(code):
        check_short_code(code)  # a mistyped word is named before the passphrase is asked
    actions = ctx.actions()
    spec = folder_spec(_checked_folder(Path(args.folder))) if args.folder else None
    if is_short_code(code):
        if args.relay:
            spec = relay_spec(args.relay)
        if spec is None:
            raise PairingError("Give the folder (--folder) or relay (--relay) your partner used.")
        actions.join_by_words(code, spec)
        ctx.say("Code sent. Run 'trustvault-cli sync' once your partner's device has synced:")
        ctx.say("both devices pair only if they typed the same code.")
        return 0
    info = actions.join(code, spec)
    ctx.say("Join request sent. Your partner's device confirms on its next sync.")
    ctx.say(f"Safety number: {info.safety_number}")
    ctx.say("Compare it aloud with your partner's; if it matches, run 'trustvault-cli verify'.")
    return 0


def _read_code() -> str:
    """The invite code from a hidden prompt, or one line of a pipe; never echoed or logged."""
    if sys.stdin is None:
        raise PairingError("No invite code given: type it at the prompt or pipe it in.")
    try:
        code = getpass.getpass("Pairing code: ") if sys.stdin.isatty() else sys.stdin.readline()
    except EOFError:
        code = ""
    code = code.strip()
    if not code:
        raise PairingError("No invite code given: type it at the prompt or pipe it in.")
    return code


def _sync(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    result = actions.sync()
    _print_result(ctx, result, args.json)
    if not args.json:
        _print_heard(ctx, actions.queries.last_heard(), reached=True)
    if args.watch:
        _watch(ctx, actions, args.json)
    return 0


def _watch(ctx: Context, actions: Actions, as_json: bool) -> None:
    """Sync each time the medium changes (or every 30 s), until Ctrl+C."""
    spec = actions.queries.transport_spec()
    if spec is None:
        raise PairingError("This vault is not paired yet.")
    medium = watch_medium(spec)
    try:
        while True:
            medium.wait(30.0)
            result = actions.sync()
            if result.received or result.sent or result.rejected or result.problems:
                _print_result(ctx, result, as_json)
            time.sleep(0.2)
    finally:
        medium.close()


def _print_result(ctx: Context, result: SyncResult, as_json: bool) -> None:
    if as_json:
        print_json(ctx.out, result.to_json())
        ctx.say()
        return
    if result.status in (PairStatus.INVITING, PairStatus.JOINING):
        ctx.say("Waiting for your partner's device to answer the pairing; sync again later.")
        return
    if result.paired_now:
        info = ctx.actions().queries.partner()
        ctx.say(f"Paired with {info.name if info else 'your partner'}.")
        if info is not None:
            ctx.say(f"Safety number: {info.safety_number}")
        ctx.say("Compare it aloud with your partner's; if it matches, run 'trustvault-cli verify'.")
    ctx.say(
        f"Sent {result.sent}, received {result.received}, rejected {result.rejected};"
        f" {result.pending} waiting for your partner's device."
    )
    if result.holding:
        what = "shared entry waits" if result.holding == 1 else "shared entries wait"
        ctx.say(f"{result.holding} {what} to leave (time to undo); the next at {result.next_send}.")
    for problem in dict.fromkeys(result.problems):
        ctx.say(f"  note: {problem}")
    if result.partner_left:
        ended = ctx.queries().pairing_ended()
        if ended is not None:
            ctx.say(ended.sentence(ctx.today()))
    print_closing(ctx, ctx.queries().closing())


def _print_heard(ctx: Context, heard: LastHeard | None, *, reached: bool) -> None:
    """When the partner's device last synced; after a sync that ``reached`` the medium, a calm
    note when it has been quiet for more than a week (never when the silence may be ours)."""
    if heard is None:
        return
    ctx.say(heard.line)
    if reached and heard.quiet:
        ctx.say(heard.warning)


def _partner(ctx: Context, args: argparse.Namespace) -> int:
    q = ctx.queries()
    info = q.partner()
    if info is None:
        closed, ended = q.closing(), q.pairing_ended()
        if closed is not None and closed.ended:
            raise PairingError(closed.sentence(q.today()))
        raise PairingError(ended.sentence(q.today()) if ended else "This vault is not paired yet.")
    heard = q.last_heard()
    if args.json:
        closing = q.closing()
        print_json(
            ctx.out,
            {
                **info.to_json(),
                "last_heard": heard.to_json() if heard else None,
                "closing": closing.to_json() if closing else None,
            },
        )
        ctx.say()
        return 0
    _print_partner(ctx, info)
    _print_heard(ctx, heard, reached=False)
    print_closing(ctx, q.closing())
    held = q.held_for_verification()
    if held:
        ctx.say(
            f"Waiting:        {held} shared {'entry' if held == 1 else 'entries'} written before"
            " pairing, sent once you run 'verify' (nothing earlier goes to an unverified key)."
        )
    return 0


def _print_partner(ctx: Context, info: PartnerInfo) -> None:
    if info.key_changed:
        ctx.say("WARNING: your partner's key has CHANGED since you verified it.")
        ctx.say("Compare the safety number again, in person or by a call, before you trust it.")
    ctx.say(
        f"Partner:        {info.name}"
        + (" (pairing not confirmed yet)" if info.status is not PairStatus.PAIRED else "")
    )
    ctx.say(f"Safety number:  {info.safety_number}")
    ctx.say(f"Verified:       {'yes' if info.verified else 'no'}")


def _unpair(ctx: Context, args: argparse.Namespace) -> int:
    ctx.actions().unpair(anyway=args.anyway)
    ctx.say("Unpaired. Your entries stay here; nothing is sent or received until you pair again.")
    return 0


def _verify(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    held = actions.queries.held_for_verification()
    info = actions.verify()
    ctx.say(f"Marked {info.name} as verified (safety number {info.safety_number}).")
    if held:
        ctx.say(
            f"{held} shared {'entry' if held == 1 else 'entries'} written before pairing"
            f" now {'goes' if held == 1 else 'go'} to your partner on the next sync."
        )
    return 0


def _visibility(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    q = actions.queries
    entry = q.find(args.id)
    short = short_ids(q, [entry])[entry.id]
    if args.action == "revoke":
        undo = q.undoable(entry.id)
        actions.withdraw(entry.id)
        if undo:
            ctx.say(f"Not sent: {short} never left this device, and nothing of it will.")
        else:
            ctx.say(f"Withdrawn {short}. {actions.REVOCATION_NOTE}")
    elif args.action == "grant":
        actions.share_again(entry.id)
        ctx.say(f"Shared {short} again; {leaves(q, entry.id, short)}")
    else:
        drafts = q.drafts_before_sharing(entry)
        actions.share(entry.id, with_history=args.with_history)
        ctx.say(f"Shared {short}; {leaves(q, entry.id, short)}")
        if drafts and not args.with_history:
            ctx.say(
                f"Its {drafts} earlier {'version stays' if drafts == 1 else 'versions stay'}"
                " here ('share --with-history' sends them too)."
            )
    return 0


def _receipts(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    if args.daily is not None:
        actions.set_daily_receipts(args.daily)
    if actions.queries.daily_receipts():
        ctx.say("Receipts go to your partner's device once a day, at a random moment.")
    else:
        ctx.say("Receipts go to your partner's device at once (use --daily to change).")
    return 0


def _hold(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    if args.minutes is not None:
        if not math.isfinite(args.minutes):
            raise InvalidField("hold", "choose 0 to 60 minutes")
        actions.set_send_hold(timedelta(minutes=args.minutes))
    hold = actions.queries.send_hold()
    if not hold:
        ctx.say(
            "Newly shared entries leave at the next sync ('hold 5' gives five minutes to undo)."
        )
    else:
        ctx.say(
            f"Newly shared entries wait {minutes_words(hold)} here before they leave;"
            " 'revoke ID' meanwhile and nothing of it is ever sent."
        )
    return 0


def _ack(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    entry = actions.queries.find(args.id)
    actions.acknowledge(entry.id, need_time=args.need_time)
    ctx.say("Noted: I need time." if args.need_time else "Marked as read.")
    if waits := behind_a_hold(actions.queries):
        ctx.say(waits)
    return 0


def _comment(ctx: Context, args: argparse.Namespace) -> int:
    if args.edit == (args.text is not None):
        raise InvalidField("comment", "give its TEXT (or -, @FILE), or --edit, but not both")
    text = resolve_text(ctx, args.text, "comment") if args.text is not None else None
    actions = ctx.actions()
    entry = actions.queries.find(args.id)
    if text is None:
        text = edit_text("", name="comment")
    actions.comment(entry.id, text)
    if waits := behind_a_hold(actions.queries):
        ctx.say(f"Comment added. {waits}")
    else:
        ctx.say("Comment added; it reaches your partner on the next sync.")
    return 0


def _checked_folder(folder: Path) -> Path:
    """The sync folder must exist (the sync service refuses one that overlaps the vault)."""
    folder = folder.expanduser().resolve()
    if not folder.is_dir():
        raise PairingError(f"The sync folder {folder} does not exist; create it first.")
    return folder


def _hours(hours: float) -> str:
    """A code's lifetime as said to a person: "1 hour", "1.5 hours", "24 hours"."""
    return f"{hours:g} hour" + ("" if hours == 1 else "s")
