"""How the CLI prints entries: aligned tables for people, JSON for scripts.

``--json`` shape (``list``, ``search`` and ``show`` all print a JSON array of entry objects)::

    [{"id": "<32 hex>", "kind": "disclosure|event|agreement|checkin|milestone",
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
  milestone   due_on, done_at, note
Derived values: disclosure ``latency_days`` (int or null); agreement ``in_force_version``
(int or null), ``proposal`` (null, or version, by and text of new terms not yet accepted by both)
and ``status`` ("proposed", "ended", "retired",
"in force", "due for review") and ``accepted_by`` (display names, for the current wording).
``show --history`` adds ``history``, oldest first: ``[{"revision", "editor", "updated",
"fields"}]``.
"""

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, TextIO

from trustvault.cli.sharing_view import sharing_json, sharing_lines, withdrawn_note
from trustvault.queries import Queries
from trustvault.results import DeliveryState, Entry, Revision
from trustvault.stats import day_of, latency_days

__all__ = [
    "author_name",
    "entry_json",
    "print_json",
    "print_table",
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


def entry_json(q: Queries, entry: Entry, today: date) -> dict[str, Any]:
    """One entry in the documented ``--json`` shape."""
    out = entry.to_json(author_name(q, entry.author))
    out.update(sharing_json(q, entry))
    if not entry.fields:
        return out
    if entry.kind == "disclosure":
        out["latency_days"] = latency_days(entry.fields)
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
    return out


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
        days = latency_days(f)
        approx = "~" if f.get("approximate") else ""
        return f"disclosed after {approx}{days} days" if days is not None else ""
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
    return ""


def print_table(out: TextIO, q: Queries, entries: Sequence[Entry], today: date) -> None:
    """One aligned line per entry: short id, date, kind, visibility, title, detail."""
    if not entries:
        print("No entries.", file=out)
        return
    ids = short_ids(q, entries)
    rows = [
        (
            ids[e.id],
            when_of(e),
            e.kind,
            _visibility(q, e),
            _clip(e.title, _TITLE_WIDTH),
            detail_of(q, e, today),
        )
        for e in entries
    ]
    header = ("ID", "DATE", "KIND", "VISIBILITY", "TITLE", "")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip(), file=out)


def _visibility(q: Queries, entry: Entry) -> str:
    """``shared``, or ``shared, sending in 4:12`` while a share of one's own waits its hold."""
    if entry.visibility == "shared" and q.is_mine(entry):
        delivery = q.delivery(entry.id)
        if delivery.state is DeliveryState.SENDING:
            return f"shared, {delivery}"
    return str(entry.visibility)


def render_entry(q: Queries, entry: Entry, today: date) -> list[str]:
    """The ``show`` view: every field, labelled and aligned."""
    pairs: list[tuple[str, str]] = [
        ("id", entry.id),
        ("kind", entry.kind),
        ("title", entry.title),
    ]
    pairs += [(_label(k), _value(v)) for k, v in entry.fields.items() if k != "title"]
    if entry.kind == "disclosure":
        pairs.append(("latency", detail_of(q, entry, today) or "-"))
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


def render_history(q: Queries, revisions: Iterable[Revision]) -> list[str]:
    """Each revision with what it changed from the one before."""
    lines: list[str] = []
    previous: dict[str, Any] = {}
    for rev in revisions:
        who = author_name(q, rev.editor)
        lines.append(f"revision {rev.revision}  {rev.updated}  by {who}")
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
