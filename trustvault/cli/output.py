"""How the CLI prints entries: aligned tables for people, JSON for scripts.

``--json`` shape (``list``, ``search`` and ``show`` all print a JSON array of entry objects)::

    [{"id": "<32 hex>", "kind": "disclosure|event|agreement|checkin|milestone|question|headsup|…",
      "title": "<text; check-ins get 'Check-in: mood N, safety N'>",
      "author": "<display name of the author>", "visibility": "private|shared",
      "created": "<ISO UTC>", "updated": "<ISO UTC>", "revision": <int>,
      ...the kind's own fields...,
      ...derived values...}]

The kind's own fields:
  disclosure  body, occurred_on (date or date-time), approximate, category, disclosed_at
  event       start, end, all_day, location, notes, event_kind, rrule; when set: tz, exdates,
              rdates, overrides, alarms
  agreement   text, review_on, version [ends_on, outcome, reviewed_on: once set]
  checkin     mood, safety, feelings (list), note
  milestone   due_on, done_at, note [rule: {count, event_kind or event}, held occurrences
              to count by due_on (``progress``), once set]
  question    text (also its title), setting ("at_home" or "for_session")
  headsup     what (also its title), response
  plan        text, starts_on, ends_on, steps (list of label with until or days), agreements
              (ids); plan_need: plan (id), text; plan_step: plan (id), step, note. Their
              schedule, step-downs and prompts: ``plan list --json``
  homework    text (also its title), for ("author", "partner" or "both"), event_id,
              original_start (the therapy occurrence it is for; see ``homework list --json``)
A disclosure that answers a question has ``answers``: the question's id.
Derived values: disclosure ``latency_days`` (int or null: the verified days from the event to
when it reached the partner's device, else the author's own dating) and ``telling`` (the figures
behind it: see ``stats --json``); agreement ``status`` ("proposed",
"in force", "due for review") and ``accepted_by`` (display names, for the current wording);
question ``answered`` (bool), ``waited_days`` (int: until its first shared answer, else until
today), ``status`` (words: "answered after 3 days", "waiting 2 days") and ``answered_by`` (the
ids of the shared disclosures that answer it, oldest first).
A disclosure may carry ``content_note`` (a few words) and ``detail`` ("outline", "some",
"full"). Every entry has ``held`` and ``put_away``: how this device's person keeps it (never
told to its author). A held entry prints closed until ``open ID``: title "Held for your
session", and of its fields only ``content_note`` and ``detail``.
An agreement also has ``in_force_version`` (int or null) and ``proposal`` (null, or version, by
and text of new terms not yet accepted by both); its ``status`` may also be "ended" or "retired".
``show --history`` adds ``history``, oldest first: ``[{"revision", "editor", "updated",
"fields"}]``.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, TextIO

from trustvault.cli.sharing_view import sharing_json, sharing_lines, withdrawn_note
from trustvault.cli.telling_view import amendment_marks, telling_detail, telling_lines
from trustvault.queries import Queries
from trustvault.results import DETAIL_WORDS, DeliveryState, Entry, Question, Revision
from trustvault.stats import day_of

__all__ = [
    "HELD_TITLE",
    "SETTING_WORDS",
    "author_name",
    "entry_json",
    "held_fields",
    "held_words",
    "match_lines",
    "print_json",
    "print_table",
    "question_json",
    "render_entry",
    "render_history",
    "short_ids",
]

MIN_SHORT = 10
_TITLE_WIDTH = 60


def author_name(q: Queries, device_id: str) -> str:
    """The display name of whoever wrote with ``device_id``: your vault's name for your own,
    the partner's for any other device ("Partner" before pairing)."""
    return q.name_of(device_id)


HELD_TITLE = "Held for your session"


def held_fields(entry: Entry) -> dict[str, Any]:
    """What a held entry shows until it is opened: its content note and level of detail."""
    return {k: entry.fields[k] for k in ("content_note", "detail") if k in entry.fields}


def entry_json(q: Queries, entry: Entry, today: date) -> dict[str, Any]:
    """One entry in the documented ``--json`` shape (a held one closed: see the docstring)."""
    reading = q.reading(entry.id)
    if reading.held:
        out = replace(entry, fields=held_fields(entry)).to_json(author_name(q, entry.author))
        out.update(title=HELD_TITLE, held=True, put_away=reading.put_away)
        return out
    out = entry.to_json(author_name(q, entry.author))
    out.update(held=False, put_away=reading.put_away)
    out.update(sharing_json(q, entry))
    if not entry.fields:
        return out
    if entry.kind == "disclosure":
        told = q.telling(entry)
        out["latency_days"] = told.days if told is not None else None
        out["telling"] = told.to_json() if told is not None else None
    elif entry.kind == "agreement":
        held = q.agreement_standing(entry, today)
        out["status"] = str(held.status)
        out["accepted_by"] = sorted(author_name(q, p) for p in q.accepted_by(entry))
        out["in_force_version"] = held.in_force.fields["version"] if held.in_force else None
        out["proposal"] = (
            None
            if held.proposal is None
            else {
                "version": held.proposal.fields["version"],
                "by": author_name(q, held.proposal.editor),
                "text": held.proposal.fields["text"],
            }
        )
    elif entry.kind == "question":
        out.update(question_json(q.question(entry, today)))
    return out


def question_json(question: Question) -> dict[str, Any]:
    """The derived values of a question (see the module docstring)."""
    return {
        "answered": question.answered,
        "waited_days": question.waited_days,
        "status": question.status,
        "answered_by": [a.id for a in question.answers],
    }


SETTING_WORDS = {"at_home": "at home", "for_session": "for our session"}


def print_json(out: TextIO, value: Any) -> None:
    json.dump(value, out, ensure_ascii=False, indent=2)
    out.write("\n")


def short_ids(q: Queries, entries: Sequence[Entry]) -> dict[str, str]:
    """The shortest unambiguous prefix (at least 10 digits) of each id, as ``edit``/``show`` take.

    Ids are time-ordered, so entries made in the same second share their first digits; one width
    for the whole table keeps the columns aligned.
    """
    if not entries:
        return {}
    all_ids = q.all_ids()
    position = {entry_id: i for i, entry_id in enumerate(all_ids)}
    width = MIN_SHORT
    for entry in entries:
        i = position.get(entry.id)
        if i is None:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(all_ids):
                width = max(width, _common(all_ids[i], all_ids[j]) + 1)
    return {e.id: e.id[:width] for e in entries}


def _common(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def when_of(entry: Entry) -> str:
    """The date a list shows for an entry: when it happened, else when it was written."""
    f = entry.fields
    value = {
        "disclosure": f.get("occurred_on"),
        "event": f.get("start"),
        "milestone": f.get("done_at") or f.get("due_on"),
        "agreement": f.get("review_on") and f"review {f['review_on']}",
    }.get(entry.kind)
    return str(value or day_of(entry.created).isoformat()).replace("T", " ")


def detail_of(q: Queries, entry: Entry, today: date) -> str:
    f = entry.fields
    if not f:
        return withdrawn_note(q, entry)
    if entry.kind == "disclosure":
        return telling_detail(q, entry)
    if entry.kind == "event":
        parts = [str(f.get("event_kind", "other")).replace("_", " ")]
        if f.get("rrule"):
            parts.append("repeats")
        return ", ".join(parts)
    if entry.kind == "agreement":
        held = q.agreement_standing(entry, today)
        version = held.in_force.fields["version"] if held.in_force else f.get("version", 1)
        proposed = f", v{f['version']} proposed" if held.proposal and held.in_force else ""
        return f"v{version}, {held.status}{proposed}"
    if entry.kind == "milestone":
        return "reached" if f.get("done_at") else "open"
    if entry.kind == "headsup":
        return str(f.get("response") or "")
    if entry.kind == "question":
        words = SETTING_WORDS.get(str(f.get("setting")), "")
        return f"{words}, {q.question(entry, today).status}"
    return ""


def print_table(out: TextIO, q: Queries, entries: Sequence[Entry], today: date) -> None:
    """One aligned line per entry: short id, date, kind, visibility, title, detail."""
    if not entries:
        print("No entries.", file=out)
        return
    ids = short_ids(q, entries)
    held = q.held_ids()
    rows = [
        (
            ids[e.id],
            when_of(e),
            e.kind,
            _visibility(q, e),
            _clip(HELD_TITLE if e.id in held else e.title, _TITLE_WIDTH),
            held_words(e) if e.id in held else detail_of(q, e, today),
        )
        for e in entries
    ]
    header = ("ID", "DATE", "KIND", "VISIBILITY", "TITLE", "")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip(), file=out)


def match_lines(q: Queries, ids: Sequence[str], total: int) -> list[str]:
    """One line per entry an ambiguous short id matches (its unambiguous short id, kind and
    title; a held entry's title stays closed), then how many more there are, if any."""
    entries = [q.entry(i) for i in ids]
    short = short_ids(q, entries)
    held = q.held_ids()
    lines = [
        f"{short[e.id]}  {e.kind}  "
        + _clip(HELD_TITLE if e.id in held else e.title or "(withdrawn)", _TITLE_WIDTH)
        for e in entries
    ]
    if total > len(ids):
        lines.append(f"... and {total - len(ids)} more")
    return lines


def _visibility(q: Queries, entry: Entry) -> str:
    """``shared``, or ``shared, sending in 4:12`` while a share of one's own waits its hold."""
    if entry.visibility == "shared" and q.is_mine(entry):
        delivery = q.delivery(entry.id)
        if delivery.state is DeliveryState.SENDING:
            return f"shared, {delivery}"
    return str(entry.visibility)


def held_words(entry: Entry) -> str:
    """ "note: Physical details; full detail" for a held entry's closed line."""
    f = entry.fields
    parts = [f"note: {f['content_note']}"] if f.get("content_note") else []
    if f.get("detail"):
        parts.append(DETAIL_WORDS[f["detail"]].lower())
    return "; ".join(parts) or "no content note"


def render_entry(q: Queries, entry: Entry, today: date) -> list[str]:
    """The ``show`` view: every field, labelled and aligned (a held entry closed)."""
    if q.reading(entry.id).held:
        closed = [("id", entry.id), ("kind", entry.kind), ("held", "for your session")]
        closed += [(_label(k), _value(v)) for k, v in held_fields(entry).items()]
        closed += [("author", author_name(q, entry.author)), ("open it", f"open {entry.id}")]
        return _aligned(closed)
    pairs: list[tuple[str, str]] = [
        ("id", entry.id),
        ("kind", entry.kind),
        ("title", entry.title),
    ]
    pairs += [(_label(k), _value(v)) for k, v in entry.fields.items() if k != "title"]
    if entry.kind == "disclosure" and entry.fields:
        pairs += telling_lines(q, entry)
        question = q.question_of(entry)
        if question is not None:
            pairs.append(("question", f"{author_name(q, question.author)} asked: {question.title}"))
    if entry.kind == "question":
        status = q.question(entry, today)
        pairs.append(("status", status.status))
        ids = short_ids(q, list(status.answers))
        pairs += [("answer", f"{ids[a.id]}  {a.title}") for a in status.answers]
    if entry.kind == "agreement":
        held = q.agreement_standing(entry, today)
        pairs.append(("status", str(held.status)))
        if held.in_force is not None and held.proposal is not None:
            pairs.append(("in force", f"version {held.in_force.fields['version']}"))
            who = author_name(q, held.proposal.editor)
            pairs.append(("proposed", f"version {entry.fields['version']}, by {who}"))
        names = sorted(author_name(q, p) for p in q.accepted_by(entry))
        pairs.append(("accepted by", ", ".join(names) or "nobody yet"))
    pairs += [
        ("author", author_name(q, entry.author)),
        ("visibility", entry.visibility),
        ("created", entry.created),
        ("updated", f"{entry.updated} (revision {entry.revision})"),
    ]
    pairs += sharing_lines(q, entry)
    return _aligned(pairs)


def render_history(
    q: Queries, revisions: Iterable[Revision], entry: Entry | None = None
) -> list[str]:
    """Each revision with what it changed from the one before; of a disclosure, a change
    that came after its first telling says so."""
    lines: list[str] = []
    previous: dict[str, Any] = {}
    marks = amendment_marks(q, entry) if entry is not None else {}
    for rev in revisions:
        who = author_name(q, rev.editor)
        mark = f"  ({marks[rev.revision]})" if rev.revision in marks else ""
        lines.append(f"revision {rev.revision}  {rev.updated}  by {who}{mark}")
        changed = [(k, v) for k, v in rev.fields.items() if previous.get(k) != v]
        if previous:
            lines += [
                f"    {_label(k)}: {_value(previous.get(k))} -> {_value(v)}" for k, v in changed
            ]
        else:
            lines += [f"    {_label(k)}: {_value(v)}" for k, v in changed if v not in ("", [])]
        previous = rev.fields
    return lines


def history_json(q: Queries, revisions: Iterable[Revision]) -> list[dict[str, Any]]:
    return [
        {
            "revision": r.revision,
            "editor": author_name(q, r.editor),
            "updated": r.updated,
            "fields": r.fields,
        }
        for r in revisions
    ]


def _aligned(pairs: list[tuple[str, str]]) -> list[str]:
    width = max(len(k) for k, _ in pairs)
    lines = []
    for key, value in pairs:
        first, *rest = value.splitlines() or [""]
        lines.append(f"{key.ljust(width)}  {first}")
        lines += [f"{' ' * width}  {line}" for line in rest]
    return lines


def _label(field: str) -> str:
    return field.replace("_", " ")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if value in (None, ""):
        return "-"
    return str(value)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
