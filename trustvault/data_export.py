"""Export my own data: what I wrote, and, marked apart, my copies of what my partner shared.

For a person leaving, or keeping a record of their own: JSON for programs, and an HTML page that
prints. Both are plaintext by nature; the faces say so before and after, and the file is written
owner-only and atomically. An export into the sync folder is refused: the folder is uploaded to
a cloud or carried on a stick, and the one place this app promises holds only sealed files.
"""

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trustvault.atomic import atomic_write
from trustvault.clock import iso_now
from trustvault.errors import InvalidField
from trustvault.queries import Queries
from trustvault.results import EXPORT_WARNING, DataExport

__all__ = ["FORMATS", "UNENCRYPTED", "write_export"]

FORMATS = ("json", "html")
UNENCRYPTED = EXPORT_WARNING


@dataclass(frozen=True)
class _Item:
    entry: dict[str, Any]
    comments: list[dict[str, str]]


def write_export(q: Queries, to: Path, fmt: str) -> DataExport:
    """Write the export to ``to`` in ``fmt`` (``json`` or ``html``)."""
    if fmt not in FORMATS:
        raise InvalidField("format", f"{fmt!r} is not one of {', '.join(FORMATS)}")
    _refuse_the_sync_folder(q, to)
    mine, theirs = _collect(q)
    doc = {
        "exported_at": iso_now(q.clock),
        "owner": q.name,
        "warning": UNENCRYPTED,
        "written_by_me": [_as_json(i) for i in mine],
        "shared_with_me": [_as_json(i) for i in theirs],
    }
    data = _html(doc) if fmt == "html" else json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    try:
        atomic_write(to, data.encode("utf-8"), mode=0o600)
    except OSError as exc:
        raise InvalidField("file", f"cannot write {to}: {exc.strerror}") from None
    return DataExport(to, len(mine), len(theirs))


def _collect(q: Queries) -> tuple[list[_Item], list[_Item]]:
    mine: list[_Item] = []
    theirs: list[_Item] = []
    for entry in q.all():
        if not entry.fields:  # a withdrawal's tombstone: nothing of it is kept to export
            continue
        comments = [
            {"by": q.name_of(c.person), "at": c.at, "text": c.text} for c in q.comments(entry.id)
        ]
        item = _Item(entry.to_json(q.name_of(entry.author)), comments)
        (mine if q.is_mine(entry) else theirs).append(item)
    return mine, theirs


def _as_json(item: _Item) -> dict[str, Any]:
    return {**item.entry, "comments": item.comments}


def _refuse_the_sync_folder(q: Queries, to: Path) -> None:
    spec = q.pairing_spec() or {}
    if spec.get("type") != "folder" or not spec.get("path"):
        return
    folder = Path(str(spec["path"])).expanduser().resolve()
    target = to.expanduser().resolve()
    if target == folder or folder in target.parents:
        raise InvalidField(
            "file",
            f"{to} is inside the sync folder, which is uploaded or carried as it is: an export"
            " there would travel unencrypted. Choose a folder only you can reach",
        )


def _html(doc: dict[str, Any]) -> str:
    """A plain page that prints: each entry's fields, then its comments; everything escaped."""

    def section(title: str, items: list[dict[str, Any]]) -> str:
        parts = [f"<h2>{html.escape(title)}</h2>"]
        if not items:
            parts.append("<p>None.</p>")
        for item in items:
            rows = "".join(
                f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(_text(v))}</td></tr>"
                for k, v in item.items()
                if k not in ("comments", "title") and v not in ("", None, [], False)
            )
            notes = "".join(
                f"<li><b>{html.escape(c['by'])}</b>, {html.escape(c['at'])}: "
                f"{html.escape(c['text'])}</li>"
                for c in item["comments"]
            )
            parts.append(
                f"<article><h3>{html.escape(str(item.get('title', '')))}</h3>"
                f"<table>{rows}</table>{f'<ul>{notes}</ul>' if notes else ''}</article>"
            )
        return "".join(parts)

    owner = html.escape(str(doc["owner"]))
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{owner}'s TrustVault export</title><style>"
        "body{font:11pt sans-serif;max-width:48em;margin:2em auto}"
        "th{text-align:left;color:#666;padding-right:1em;vertical-align:top;font-weight:normal}"
        "td{white-space:pre-wrap}article{break-inside:avoid;margin-bottom:1.5em}"
        ".warning{border:1px solid #b33;padding:.5em 1em}</style></head><body>"
        f"<h1>{owner}'s TrustVault export</h1><p>Exported {html.escape(doc['exported_at'])}.</p>"
        f"<p class='warning'>{html.escape(UNENCRYPTED)}</p>"
        + section("Written by me", doc["written_by_me"])
        + section("Shared with me by my partner (my copies)", doc["shared_with_me"])
        + "</body></html>\n"
    )


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else str(v)
                         for v in value)  # fmt: skip
    return str(value)
