"""``homework add|done|list`` and ``session``: homework for the next therapy session, and the
session's agenda (what the app's session view shows, from the same read).
"""

import argparse
from datetime import datetime
from typing import Any

from trustvault.cli.context import Context
from trustvault.cli.output import print_json, short_ids
from trustvault.cli.parser import Subparsers
from trustvault.errors import InvalidField
from trustvault.queries import Queries
from trustvault.results import CheckinTrend, Homework, SessionAgenda, SessionMoment

__all__ = ["register"]

_FOR = {"me": "author", "partner": "partner", "both": "both"}


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    hw = sub.add_parser("homework", parents=[common], help="homework for the next therapy session")
    verbs = hw.add_subparsers(dest="verb", metavar="VERB", required=True)
    p = verbs.add_parser("add", parents=[common], help="homework for the next therapy session")
    p.add_argument("text", metavar="TEXT", help="e.g. 'each write a letter'")
    p.add_argument("--for", dest="for_whom", choices=tuple(_FOR), default="both",
                   help="whom it is for (default both)")  # fmt: skip
    p.set_defaults(handler=_add)
    p = verbs.add_parser("done", parents=[common], help="mark your part of homework done")
    p.add_argument("id", metavar="ID", help="its id or a unique prefix (6+ digits)")
    p.add_argument("--undo", action="store_true", help="not done after all")
    p.set_defaults(handler=_done)
    p = verbs.add_parser("list", parents=[common], help="every homework item and who did it")
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p.set_defaults(handler=_list)
    s = sub.add_parser("session", parents=[common], help="the therapy session's agenda")
    s.add_argument("--at", metavar="WHEN", help="the session going on then (default: now)")
    s.add_argument("--json", action="store_true", help="print the agenda as JSON")
    s.set_defaults(handler=_session)


def _when(moment: SessionMoment) -> str:
    return f"{moment.title}, {moment.start.astimezone().strftime('%a %d %b %H:%M')}"


def _line(q: Queries, item: Homework, short: str) -> str:
    names = [("you" if p == q.device_id else q.name_of(p)) for p in item.people]
    marks = ", ".join(f"{n} {'done' if p in item.done else 'to do'}"
                      for n, p in zip(names, item.people, strict=True))  # fmt: skip
    return f"{short}  {item.text} ({marks})"


def _add(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    item = actions.add_homework(args.text, _FOR[args.for_whom])
    session = next((e for e in actions.queries.all("event") if e.id == item.event_id), None)
    title = session.title if session is not None else "the next session"
    ctx.say(f"Homework for {title} on {item.original_start[:10]}: {item.text}")
    ctx.say("Your partner's device shows it at its next sync.")
    return 0


def _done(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    entry = actions.queries.find(args.id)
    item = actions.mark_homework_done(entry.id, done=not args.undo)
    ctx.say(f"{'Not done after all' if args.undo else 'Done'}: {item.text}")
    return 0


def _json(q: Queries, item: Homework) -> dict[str, Any]:
    return {
        "id": item.entry.id,
        "text": item.text,
        "by": q.name_of(item.entry.author),
        "event_id": item.event_id,
        "original_start": item.original_start,
        "for": [q.name_of(p) for p in item.people],
        "done": {q.name_of(p): at for p, at in item.done.items()},
    }


def _list(ctx: Context, args: argparse.Namespace) -> int:
    q = ctx.queries()
    items = q.homework()
    if args.json:
        print_json(ctx.out, [_json(q, h) for h in items])
        return 0
    if not items:
        ctx.say("No homework yet.")
    ids = short_ids(q, [h.entry for h in items])
    for item in items:
        ctx.say(f"{item.original_start[:10]}  {_line(q, item, ids[item.entry.id])}")
    return 0


def _session(ctx: Context, args: argparse.Namespace) -> int:
    q = ctx.queries()
    at = None
    if args.at:
        try:
            at = datetime.fromisoformat(args.at).astimezone()
        except ValueError:
            raise InvalidField("at", f"{args.at!r} is not a time (use YYYY-MM-DDTHH:MM)") from None
    agenda = q.session_agenda(at)
    if args.json:
        print_json(ctx.out, _agenda_json(q, agenda))
        return 0
    _print_agenda(ctx, q, agenda)
    return 0


def _print_agenda(ctx: Context, q: Queries, agenda: SessionAgenda) -> None:
    if agenda.session is None:
        ctx.say("No therapy session is on the calendar.")
    else:
        ctx.say(f"Session: {_when(agenda.session)}")
    since = "since the last session" if agenda.last_session else "so far"
    ids = short_ids(q, [h.entry for h in agenda.homework])
    sections: list[tuple[str, list[str]]] = [
        ("Agreements due for review", [e.title for e in agenda.due_for_review]),
        ("Questions for the session",
         [f"{q.name_of(x.entry.author)}: {x.entry.title} ({x.status})" for x in agenda.questions]),
        (f"Check-ins {since}", [
            f"{q.name_of(t.person)}: {t.count}, mood {t.mood_first} to {t.mood_last}"
            f" (average {t.mood_average}), safety {t.safety_first} to {t.safety_last}"
            f" (average {t.safety_average})"
            for t in agenda.trends]),
        (f"Disclosures {since}",
         [f"{q.name_of(e.author)}: {e.title}" for e in agenda.disclosures]),
        ("Homework", [_line(q, h, ids[h.entry.id]) for h in agenda.homework]),
    ]  # fmt: skip
    for heading, lines in sections:
        ctx.say()
        ctx.say(f"{heading}:")
        for line in lines or ["nothing"]:
            ctx.say(f"  {line}")


def _moment_json(moment: SessionMoment | None) -> dict[str, str] | None:
    if moment is None:
        return None
    return {"event_id": moment.event_id, "original_start": moment.original_start,
            "title": moment.title}  # fmt: skip


def _trend_json(q: Queries, t: CheckinTrend) -> dict[str, Any]:
    return {
        "person": q.name_of(t.person),
        "count": t.count,
        "mood": [t.mood_first, t.mood_last],
        "mood_average": t.mood_average,
        "safety": [t.safety_first, t.safety_last],
        "safety_average": t.safety_average,
    }


def _agenda_json(q: Queries, agenda: SessionAgenda) -> dict[str, Any]:
    questions = [
        {"id": x.entry.id, "text": x.entry.title, "asked_by": q.name_of(x.entry.author),
         "answered": x.answered}
        for x in agenda.questions
    ]  # fmt: skip
    told = [{"id": e.id, "title": e.title, "by": q.name_of(e.author)} for e in agenda.disclosures]
    return {
        "session": _moment_json(agenda.session),
        "last_session": _moment_json(agenda.last_session),
        "due_for_review": [{"id": e.id, "title": e.title} for e in agenda.due_for_review],
        "questions": questions,
        "checkins": [_trend_json(q, t) for t in agenda.trends],
        "disclosures": told,
        "homework": [_json(q, h) for h in agenda.homework],
    }
