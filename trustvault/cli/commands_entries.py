"""Entry commands: ``add KIND``, ``edit ID``, ``list``, ``show ID``, ``search TEXT``.

Each option writes one field; the same table drives ``add`` (per kind) and ``edit`` (any field of
the entry's kind), so a flag means the same thing everywhere. Values go to the core's validation
untouched: an invalid one is reported naming its field, and nothing is stored. A text option
may name where its text is instead of holding it (``-``, ``@FILE``), and ``--edit`` opens the
person's editor on the entry's long text (:mod:`trustvault.cli.text_input`).
"""

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from trustvault.cli.commands_routines import RULE_HELP, rule_of
from trustvault.cli.context import Context
from trustvault.cli.output import (
    detail_of,
    entry_json,
    history_json,
    print_json,
    print_table,
    render_entry,
    render_history,
    short_ids,
)
from trustvault.cli.parser import Subparsers
from trustvault.cli.sharing_view import leaves
from trustvault.cli.text_input import SOURCES_HELP, edit_text, resolve_text
from trustvault.entries.kinds import EVENT_KINDS, KINDS
from trustvault.errors import EntryNotFound, InvalidField, TrustVaultError
from trustvault.queries import Queries
from trustvault.results import DeliveryState, Entry

__all__ = ["LONG_TEXT", "OPTIONS", "add_entry", "add_field_options", "register"]


@dataclass(frozen=True)
class Opt:
    """A command-line option for one entry field."""

    field: str
    flag: str
    help: str
    metavar: str = "TEXT"
    type: str = "text"  # "text" (free text: also -, @FILE), "value", "bool" or "list"

    @property
    def dest(self) -> str:
        return f"field_{self.field}"


_TITLE = Opt("title", "--title", "short title")
_NOTE = Opt("note", "--note", "a note")
_DATE = "YYYY-MM-DD or YYYY-MM-DDTHH:MM"
OPTIONS: dict[str, tuple[Opt, ...]] = {
    "disclosure": (
        _TITLE,
        Opt("body", "--body", "what you are disclosing, in full"),
        Opt("occurred_on", "--occurred", f"when it happened ({_DATE})", "DATE", "value"),
        Opt("approximate", "--approximate", "the date is approximate", type="bool"),
        Opt("category", "--category", "a category of your choice"),
        Opt(
            "disclosed_at",
            "--disclosed",
            f"when it was disclosed ({_DATE}; default now)",
            "DATE",
            "value",
        ),
        Opt(
            "complete_as_of",
            "--complete-as-of",
            "a full account, complete as of this day (YYYY-MM-DD): what is told after it"
            " about events before it reads as an amendment to this account",
            "DATE",
            "value",
        ),
        Opt("content_note", "--content-note", "a few words to read before it (e.g. 'names')"),
        Opt("detail", "--detail", "how much it tells: outline, some or full", "LEVEL", "value"),
        Opt(
            "answers",
            "--answers",
            "the id (or a unique prefix) of your partner's question this answers",
            "QID",
            "value",
        ),
    ),
    "event": (
        _TITLE,
        Opt("start", "--start", f"start ({_DATE})", "DT", "value"),
        Opt("end", "--end", "end, same form as the start (default: the start)", "DT", "value"),
        Opt("all_day", "--all-day", "an all-day event (dates only)", type="bool"),
        Opt(
            "tz",
            "--tz",
            "its time zone, e.g. Europe/Paris: it keeps its local time across daylight saving "
            "(default: this computer's, for a repeating event given with its offset)",
            "ZONE",
            "value",
        ),
        Opt("rrule", "--rrule", "RFC 5545 recurrence, e.g. FREQ=WEEKLY;BYDAY=FR", "RULE", "value"),
        Opt("event_kind", "--kind", f"one of {', '.join(EVENT_KINDS)}", "KIND", "value"),
        Opt("location", "--location", "where"),
        Opt("notes", "--notes", "notes"),
    ),
    "agreement": (
        _TITLE,
        Opt("text", "--text", "the wording of the agreement"),
        Opt("review_on", "--review-on", "the day to review it (YYYY-MM-DD)", "DATE", "value"),
        Opt("ends_on", "--ends-on", "the last day it holds (YYYY-MM-DD)", "DATE", "value"),
    ),
    "checkin": (
        Opt("mood", "--mood", "mood from 1 to 10", "N", "value"),
        Opt("safety", "--safety", "how safe you feel, from 1 to 10", "N", "value"),
        Opt("feelings", "--feelings", "feelings (words, or comma-separated)", "WORD", "list"),
        _NOTE,
    ),
    "milestone": (
        _TITLE,
        Opt("due_on", "--due", "the day it is due (YYYY-MM-DD)", "DATE", "value"),
        Opt("done_at", "--done", f"when it was reached ({_DATE})", "DATE", "value"),
        Opt("rule", "--counts", RULE_HELP, "N:WHAT", "value"),
        _NOTE,
    ),
    "question": (
        Opt("text", "--text", "the question, in your own words"),
        Opt(
            "setting",
            "--setting",
            "at-home (answered in writing) or for-session (talked through together);"
            " default at-home",
            "WHERE",
            "value",
        ),
    ),
    "headsup": (
        Opt("what", "--what", "what happened, in a few words (e.g. 'Jordan messaged me')"),
        Opt("response", "--response", "what you did (e.g. 'I did not reply')"),
    ),
    "trigger": (
        Opt("what", "--what", "what set it off, in a few words (e.g. 'a song from that summer')"),
        Opt("where", "--where", "where you were (e.g. 'in the car')"),
        Opt("strength", "--strength", "how strong it felt, from 1 to 10", "N", "value"),
        Opt("felt_at", "--felt-at", f"when (default: now; {_DATE})", "DATE", "value"),
    ),
    "anniversary": (
        _TITLE,
        Opt("on", "--on", "the day it comes back to each year (YYYY-MM-DD)", "DATE", "value"),
        Opt("lead_days", "--lead-days", "how many days ahead to flag it (default 7)", "N", "value"),
    ),
    "homework": (),  # written with 'homework add', which finds its session; edited with --text
}
_REQUIRED = {"title", "occurred_on", "start", "text", "mood", "safety", "what", "strength", "on"}
LONG_TEXT = {
    "disclosure": "body",
    "event": "notes",
    "agreement": "text",
    "checkin": "note",
    "milestone": "note",
    "question": "text",
    "headsup": "response",
    "trigger": "what",
    "anniversary": "title",
}
"""The field ``--edit`` opens in the editor, by kind."""
_ADD_HELP = {
    "disclosure": "record something you disclosed",
    "event": "add a calendar event (date night, therapy, check-in, ritual)",
    "agreement": "propose an agreement",
    "checkin": "record a check-in (private by default)",
    "milestone": "add a milestone",
    "question": "ask your partner a question (or use 'ask')",
    "headsup": "a heads-up: a small thing told as it happens (or use 'heads-up')",
    "trigger": "log a trigger (private by default; or use 'trigger add')",
    "anniversary": "mark a day that comes back each year (private; or 'anniversary add')",
}


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    add = sub.add_parser("add", parents=[common], help="add an entry")
    kinds = add.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind in (k for k in KINDS if k != "homework"):
        p = kinds.add_parser(kind, parents=[common], help=_ADD_HELP[kind], description=SOURCES_HELP)
        add_field_options(p, kind)
        p.set_defaults(handler=_add)

    p = sub.add_parser(
        "edit",
        parents=[common],
        help="change fields of an entry (the earlier version stays in its history)",
        description=SOURCES_HELP,
    )
    p.add_argument("id", metavar="ID", help="entry id or a unique prefix of it (6+ digits)")
    seen: set[str] = set()
    for kind in KINDS:
        for opt in OPTIONS[kind]:
            if opt.flag not in seen:
                seen.add(opt.flag)
                _add_option(p, opt, required=False, editing=True)
    _edit_option(p, "edit the long text (a body, text, notes or note) in $EDITOR")
    _visibility_options(p)
    p.add_argument("--json", action="store_true", help="print the edited entry as JSON")
    p.set_defaults(handler=_edit)

    p = sub.add_parser("list", parents=[common], help="list entries, newest first")
    p.add_argument("--kind", choices=KINDS, help="only entries of this kind")
    p.add_argument(
        "--put-away", action="store_true", help="only the entries you put away on this device"
    )
    p.add_argument("--limit", type=int, default=-1, metavar="N", help="at most N entries")
    p.add_argument("--json", action="store_true", help="print a JSON array of entries")
    p.set_defaults(handler=_list)

    p = sub.add_parser("show", parents=[common], help="show one entry")
    p.add_argument("id", metavar="ID", help="entry id or a unique prefix of it (6+ digits)")
    p.add_argument("--history", action="store_true", help="also show every earlier version")
    p.add_argument("--json", action="store_true", help="print a JSON array holding the entry")
    p.set_defaults(handler=_show)

    p = sub.add_parser("search", parents=[common], help="full-text search, best matches first")
    p.add_argument(
        "text",
        nargs="+",
        metavar="TEXT",
        help="words to find (all must match); '-' reads them from standard input and '@FILE'"
        " from a file, so what you look for is not in the process list or the shell's history",
    )
    p.add_argument("--json", action="store_true", help="print a JSON array of entries")
    p.set_defaults(handler=_search)


def add_field_options(p: argparse.ArgumentParser, kind: str, *, skip: str = "") -> None:
    """The options of ``add KIND`` (each of the kind's fields but ``skip``, ``--edit``,
    ``--private``/``--shared``, ``--json``), for the commands that add an entry."""
    for opt in OPTIONS[kind]:
        if opt.field == skip:
            continue
        required = opt.field in _REQUIRED and opt.field != LONG_TEXT[kind]
        _add_option(p, opt, required=required, editing=False)
    _edit_option(p, f"write the {LONG_TEXT[kind].replace('_', ' ')} in $EDITOR")
    _visibility_options(p)
    p.add_argument("--json", action="store_true", help="print the new entry as JSON")


def _add_option(p: argparse.ArgumentParser, opt: Opt, *, required: bool, editing: bool) -> None:
    if opt.type == "bool":
        action: Any = argparse.BooleanOptionalAction if editing else "store_true"
        p.add_argument(opt.flag, dest=opt.dest, action=action, default=None, help=opt.help)
    elif opt.type == "list":
        p.add_argument(
            opt.flag, dest=opt.dest, nargs="+", action="extend", metavar=opt.metavar, help=opt.help
        )
    else:
        text = f"{opt.help} (or -, @FILE)" if opt.type == "text" else opt.help
        p.add_argument(opt.flag, dest=opt.dest, metavar=opt.metavar, required=required, help=text)


def _edit_option(p: argparse.ArgumentParser, help_text: str) -> None:
    p.add_argument("--edit", action="store_true", help=help_text)


def _visibility_options(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--private", dest="visibility", action="store_const", const="private", help="keep private"
    )
    group.add_argument(
        "--shared", dest="visibility", action="store_const", const="shared", help="share it"
    )


def _fields_from(ctx: Context, args: argparse.Namespace, options: Sequence[Opt]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for opt in options:
        value = getattr(args, opt.dest, None)
        if value is None:
            continue
        if opt.type == "list":
            value = [word for item in value for word in str(item).split(",")]
        elif opt.type == "text":
            value = resolve_text(ctx, str(value), opt.field)
        elif opt.field == "rule":
            value = rule_of(ctx.queries(), str(value))
        elif opt.field in ("event_kind", "setting"):
            value = str(value).strip().lower().replace("-", "_").replace(" ", "_")
        out[opt.field] = value
    return out


def _flag(field: str) -> str:
    return next(o.flag for opts in OPTIONS.values() for o in opts if o.field == field)


def _refuse_both(fields: dict[str, Any], field: str) -> None:
    if field in fields:
        raise InvalidField(field, f"give {_flag(field)} or --edit, not both; nothing was changed")


def _add(ctx: Context, args: argparse.Namespace) -> int:
    return add_entry(ctx, args, args.kind)


def add_entry(
    ctx: Context, args: argparse.Namespace, kind: str, given: dict[str, Any] | None = None
) -> int:
    """Add an entry of ``kind`` from the options of :func:`add_field_options` (and ``given``
    fields over them) and say what was added."""
    fields = {**_fields_from(ctx, args, OPTIONS[kind]), **(given or {})}
    long_text = LONG_TEXT[kind]
    if args.edit:
        _refuse_both(fields, long_text)
    elif long_text in _REQUIRED and long_text not in fields:
        raise InvalidField(long_text, f"give {_flag(long_text)} TEXT (or -, @FILE, or --edit)")
    actions = ctx.actions()  # unlocked before the editor opens: a wrong passphrase loses nothing
    q = actions.queries
    if fields.get("answers"):
        fields["answers"] = _question_id(q, str(fields["answers"]))
    if args.edit:
        fields[long_text] = edit_text("", name=f"{kind}-{long_text}")
    entry = actions.add(kind, fields, args.visibility)
    if args.json:
        print_json(ctx.out, [entry_json(q, entry, ctx.today())])
        return 0
    detail = detail_of(q, entry, ctx.today())
    short = short_ids(q, [entry])[entry.id]
    extra = f"; {detail}" if kind in ("disclosure", "question", "headsup") and detail else ""
    noun = "heads-up" if kind == "headsup" else kind
    ctx.say(f"Added {noun} {short}: {entry.title} ({entry.visibility}{extra}).")
    question = q.question_of(entry) if kind == "disclosure" else None
    if question is not None:
        asker = q.name_of(question.author)
        ctx.say(f"It answers {asker}'s question {short_ids(q, [question])[question.id]}.")
    if q.undoable(entry.id) and q.delivery(entry.id).state is DeliveryState.SENDING:
        ctx.say(f"Shared; {leaves(q, entry.id, short)}")
    return 0


def _edit(ctx: Context, args: argparse.Namespace) -> int:
    all_options = [opt for kind in KINDS for opt in OPTIONS[kind]]
    changes = _fields_from(ctx, args, all_options)
    if not changes and args.visibility is None and not args.edit:
        raise TrustVaultError("Nothing to change: give at least one option (see 'edit --help').")
    actions = ctx.actions()
    q = actions.queries
    entry = q.find(args.id)
    if args.edit:
        field = LONG_TEXT.get(entry.kind)
        if field is None or not entry.fields:
            raise InvalidField("edit", f"a {entry.kind} like this one has no long text to edit")
        _refuse_both(changes, field)
        current = str(entry.fields.get(field) or "")
        text = edit_text(current, name=f"{entry.kind}-{field}")
        if text != current:
            changes[field] = text
    if changes.get("answers"):
        changes["answers"] = _question_id(q, str(changes["answers"]))
    own_fields = {o.field for o in OPTIONS.get(entry.kind, ())}
    for field in changes:
        if field not in entry.fields and (field not in own_fields or not entry.fields):
            flag = next(o.flag for o in all_options if o.field == field)
            raise InvalidField(
                field, f"{flag} does not apply to a {entry.kind}; nothing was changed"
            )
    door = actions.propose_revision if q.is_revision(entry, changes) else actions.edit
    # $EDITOR may stay open for minutes while another program syncs: never undo what arrived.
    edited = door(entry.id, changes, args.visibility, base_revision=entry.revision)
    if args.json:
        print_json(ctx.out, [entry_json(q, edited, ctx.today())])
        return 0
    short = short_ids(q, [edited])[edited.id]
    if edited == entry:
        ctx.say(f"No change to {short}: the values given are the ones it already has.")
    else:
        ctx.say(f"Edited {entry.kind} {short} (revision {edited.revision}, {edited.visibility}).")
    return 0


def _question_id(q: Queries, given: str) -> str:
    """The full id of the question ``--answers`` names by a prefix (the core checks it is the
    partner's question)."""
    try:
        return q.find(given).id
    except EntryNotFound:
        raise InvalidField("answers", f"no entry here has an id starting {given!r}") from None


def _list(ctx: Context, args: argparse.Namespace) -> int:
    q = ctx.queries()
    entries = q.page(limit=args.limit, kind=args.kind, put_away=bool(args.put_away))
    _print_entries(ctx, entries, as_json=args.json)
    away = len(q.put_away_ids()) if not args.put_away and not args.json else 0
    if away:
        ctx.say(f"({away} put away on this device: list --put-away)")
    return 0


def _show(ctx: Context, args: argparse.Namespace) -> int:
    q = ctx.queries()
    entry = q.find(args.id)
    today = ctx.today()
    if args.json:
        obj = entry_json(q, entry, today)
        if args.history:
            obj["history"] = history_json(q, q.history(entry.id))
        print_json(ctx.out, [obj])
        return 0
    for line in render_entry(q, entry, today):
        ctx.say(line)
    if args.history:
        ctx.say()
        ctx.say("History (oldest first):")
        for line in render_history(q, q.history(entry.id), entry):
            ctx.say(f"  {line}")
    return 0


def _search(ctx: Context, args: argparse.Namespace) -> int:
    words = " ".join(resolve_text(ctx, word, "TEXT") for word in args.text)
    entries = ctx.queries().search(words)
    _print_entries(ctx, entries, as_json=args.json)
    return 0


def _print_entries(ctx: Context, entries: list[Entry], *, as_json: bool) -> None:
    q = ctx.queries()
    today = ctx.today()
    if as_json:
        print_json(ctx.out, [entry_json(q, e, today) for e in entries])
    else:
        print_table(ctx.out, q, entries, today)
