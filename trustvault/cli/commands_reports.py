"""Reports and calendar files: ``stats``, ``export-ics FILE``, ``import-ics FILE``."""

import argparse
import sys
from pathlib import Path
from typing import Any

from trustvault.cli.context import Context
from trustvault.cli.output import print_json
from trustvault.cli.parser import Subparsers
from trustvault.errors import InvalidField

__all__ = ["register"]

_MAX_ICS = 50 * 1024 * 1024


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "stats", parents=[common], help="disclosure latency, check-in streaks, milestones"
    )
    p.add_argument("--json", action="store_true", help="print every figure as one JSON object")
    p.set_defaults(handler=_stats)

    p = sub.add_parser("export-ics", parents=[common], help="write the events to an .ics file")
    p.add_argument("file", metavar="FILE", help="where to write ('-' for standard output)")
    p.add_argument(
        "--neutral-titles",
        action="store_true",
        help="every title 'Appointment', no notes, location or kind: the file leaks nothing",
    )
    p.set_defaults(handler=_export)

    p = sub.add_parser(
        "import-ics",
        parents=[common],
        help="add the events of an .ics file (events already imported are skipped)",
    )
    p.add_argument("file", metavar="FILE", help="the .ics file ('-' for standard input)")
    who = p.add_mutually_exclusive_group()
    who.add_argument(
        "--share", action="store_true", help="share the events with your partner at the next sync"
    )
    who.add_argument("--private", action="store_true", help="keep the events to yourself")
    p.set_defaults(handler=_import)


def _stats(ctx: Context, args: argparse.Namespace) -> int:
    data = ctx.queries().summary(ctx.today())
    if args.json:
        print_json(ctx.out, data)
        return 0
    for line in _render_stats(data):
        ctx.say(line)
    return 0


def _render_stats(data: dict[str, Any]) -> list[str]:
    counts = data["counts"]
    lat = data["disclosure_latency"]
    checkins = data["checkins"]
    milestones = data["milestones"]
    lines = ["Entries: " + ", ".join(f"{n} {_plural(kind, n)}" for kind, n in counts.items())]
    if counts.get("headsup"):
        n = counts["headsup"]
        lines.append(f"Heads-ups: {n} small {_plural('thing', n)} told as {_they(n)} happened")
    if lat["median_days"] is None:
        lines.append("Disclosure latency: no disclosures yet")
    else:
        n = len(lat["per_disclosure"])
        over = f"{n} {_plural('disclosure', n)}"
        lines.append(f"Disclosure latency: median {lat['median_days']} days over {over}")
        verified = lat["verified_count"]
        lines.append(
            f"  {verified} of {n} counted to the day they reached the partner's device;"
            " the rest as their author dated them"
            if verified < n
            else "  every one counted to the day it reached the partner's device"
        )
        lines += [
            f"  {t['month']}  median {t['median_days']} days ({t['count']})" for t in lat["trend"]
        ]
        if lat["amendments"] or lat["account_amendments"]:
            added, amends = lat["amendments"], lat["account_amendments"]
            lines.append(
                f"  Added later: {added} {_plural('change', added)} after a first telling,"
                f" {amends} {_plural('disclosure', amends)} amending a full account"
            )
    days, weeks = checkins["streak_days"], checkins["streak_weeks"]
    lines.append(
        f"Check-in streak: {days} {_plural('day', days)}, {weeks} {_plural('week', weeks)}"
    )
    recent = checkins["series"][-7:]
    if recent:
        lines.append("  last mood:   " + " ".join(str(p["mood"]) for p in recent))
        lines.append("  last safety: " + " ".join(str(p["safety"]) for p in recent))
    lines.append(f"Milestones reached: {milestones['reached']} of {milestones['total']}")
    if data["agreements"]:
        lines.append(
            "Agreements: " + ", ".join(f"{n} {status}" for status, n in data["agreements"].items())
        )
    return lines


def _they(n: int) -> str:
    return "it" if n == 1 else "they"


def _plural(word: str, n: int) -> str:
    word = {"checkin": "check-in", "headsup": "heads-up"}.get(word, word)
    return word if n == 1 else word + "s"


def _export(ctx: Context, args: argparse.Namespace) -> int:
    path = None if args.file == "-" else Path(args.file).expanduser()
    export = ctx.actions().export_calendar(neutral_titles=args.neutral_titles, to=path)
    if path is None:
        ctx.out.flush()
        sys.stdout.buffer.write(export.data)
        sys.stdout.buffer.flush()
        return 0
    neutral = " with neutral titles" if args.neutral_titles else ""
    n = export.events
    ctx.say(f"Exported {n} {_plural('event', n)}{neutral} to {path}.")
    return 0


def _import(ctx: Context, args: argparse.Namespace) -> int:
    source = "standard input" if args.file == "-" else str(Path(args.file).expanduser())
    data = _read_input(args.file, source)
    share: bool | None = None
    if args.share or args.private:
        share = bool(args.share)
    else:
        share = _ask_share(ctx, data, source, stdin_free=args.file != "-")
        if share is None:
            ctx.say("Nothing was imported.")
            return 1
    result = ctx.actions().import_calendar(data, source=source, share=share)
    known = f"; {result.skipped} already imported, skipped" if result.skipped else ""
    n = len(result.added)
    whom = "shared with your partner" if share else "private"
    what = f" ({whom})" if n else ""
    ctx.say(f"Imported {n} {_plural('event', n)}{what} from {source}{known}.")
    for note in result.notes:
        ctx.say(f"  {note}")
    return 0


def _ask_share(ctx: Context, data: bytes, source: str, *, stdin_free: bool) -> bool | None:
    """Whether to share, asked at the terminal; None when the person declines. Without a
    terminal to ask at, the choice must be on the command line."""
    if not stdin_free or sys.stdin is None or not sys.stdin.isatty():
        raise InvalidField(
            "import-ics", "say whether to share the events: add --share or --private"
        )
    preview = ctx.queries().preview_calendar(data, source)
    n = preview.new
    ctx.say(f"{source} has {n} new {_plural('event', n)}.")
    ctx.out.flush()
    answer = input("Share them with your partner? [s]hare, [p]rivate, [c]ancel: ")
    choice = answer.strip().lower()[:1]
    return {"s": True, "p": False}.get(choice)


def _read_input(file: str, source: str) -> bytes:
    try:
        if file == "-":
            data = sys.stdin.buffer.read(_MAX_ICS + 1)
        else:
            with open(Path(file).expanduser(), "rb") as handle:
                data = handle.read(_MAX_ICS + 1)
    except OSError as exc:
        raise InvalidField("FILE", f"cannot read {source}: {exc.strerror}") from None
    if len(data) > _MAX_ICS:
        raise InvalidField("FILE", f"{source} is larger than {_MAX_ICS // 2**20} MB")
    return data
