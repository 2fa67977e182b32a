"""An entry's fields as a person reads them: labels in words, dates in local time.

The sharing dialog shows the current version this way (so the partner reads a disclosure where
they answer it), and the history dialog each version.
"""

from typing import Any

from PySide6.QtWidgets import QTextBrowser

from ui import theme
from ui.models.timeline_model import readable_when

__all__ = ["FIELD_LABELS", "ContentView", "escape", "fields_html", "value_text"]

FIELD_LABELS = {
    "title": "Title",
    "body": "What happened",
    "occurred_on": "When it happened",
    "approximate": "Date is approximate",
    "category": "About",
    "disclosed_at": "Dated as told",
    "complete_as_of": "Full account, complete as of",
    "start": "Starts",
    "end": "Ends",
    "all_day": "All day",
    "tz": "Time zone",
    "location": "Where",
    "notes": "Notes",
    "event_kind": "Kind of event",
    "rrule": "Repeats",
    "exdates": "Not on",
    "rdates": "Also on",
    "overrides": "Moved",
    "alarms": "Reminders",
    "text": "Wording",
    "review_on": "Review on",
    "version": "Version",
    "mood": "Mood",
    "safety": "Feeling safe",
    "feelings": "Feelings",
    "note": "Note",
    "due_on": "Planned for",
    "done_at": "Reached on",
    "setting": "Where to answer it",
    "content_note": "Content note",
    "what": "What happened",
    "where": "Where",
    "strength": "How strong (1 to 10)",
    "felt_at": "When",
    "on": "The day",
    "lead_days": "Days of notice",
    "response": "What I did",
    "detail": "How much it tells",
}
_CHOICES = {
    "setting": {"at_home": "At home", "for_session": "For our session"},
    "detail": {"outline": "An outline", "some": "Some detail", "full": "Full detail"},
}
_WHEN = (
    "occurred_on",
    "disclosed_at",
    "complete_as_of",
    "start",
    "end",
    "review_on",
    "due_on",
    "done_at",
)


def value_text(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_item_text(key, v) for v in value) or "—"
    if key in _WHEN:
        return readable_when(str(value)) or "—"
    if key in _CHOICES:
        return _CHOICES[key].get(str(value), str(value))
    return str(value) if value not in ("", None) else "—"


def _item_text(key: str, item: Any) -> str:
    if isinstance(item, dict):  # a moved occurrence: from when to when
        was, now = (readable_when(str(item.get(k, ""))) for k in ("of", "start"))
        moved = f"{was} → {now}"
        return f"{moved} ({item['title']})" if item.get("title") else moved
    return readable_when(str(item)) if key in ("exdates", "rdates") else str(item)


def escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def fields_html(fields: dict[str, Any], *, skip: tuple[str, ...] = ()) -> str:
    """A two-column table of the filled-in fields (empty ones and unticked boxes left out),
    label then value, in :data:`FIELD_LABELS` order."""
    muted = theme.colors().muted
    rows = []
    order = list(FIELD_LABELS)
    for key, value in sorted(fields.items(), key=lambda kv: _rank(order, kv[0])):
        if key in skip or value in ("", None, [], False):  # an unticked box says nothing
            continue
        text = escape(value_text(key, value)).replace("\n", "<br>")
        rows.append(
            f"<tr><td valign='top' style='color:{muted}'>{FIELD_LABELS.get(key, key)}</td>"
            f"<td>{text}</td></tr>"
        )
    return "<table cellpadding='4'>" + "".join(rows) + "</table>"


def _rank(order: list[str], key: str) -> int:
    """Fields in the order a person reads them (what happened before when it was told)."""
    return order.index(key) if key in order else len(order)


class ContentView(QTextBrowser):
    """The whole of an entry, read-only and selectable (copies go through the window's guard)."""

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Entry content")
        self.setOpenLinks(False)
        self.setMinimumHeight(120)

    def show_fields(self, fields: dict[str, Any]) -> None:
        self.setHtml(fields_html(fields, skip=("title", "version", "answers")))
