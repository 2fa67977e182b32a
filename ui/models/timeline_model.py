"""The timeline as a lazy list model: 200 rows at a time from ``EntryStore.page(before=cursor)``.

A vault of 100,000 entries opens to its first page in milliseconds because the view only asks for
more (``canFetchMore``/``fetchMore``) as the person scrolls. A search replaces the rows with the
best matches (no paging). :meth:`TimelineModel.clear` drops every decrypted row on lock.
"""

from datetime import date, datetime

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from trustvault.entries.kinds import KINDS, sort_key_of
from trustvault.entries.model import Entry
from ui.bridge import VaultBridge

__all__ = [
    "KIND_LABELS",
    "PAGE_SIZE",
    "TimelineModel",
    "disclosure_latency",
    "latency_words",
    "readable_when",
    "row_summary",
]

PAGE_SIZE = 200
_MAX_SCAN_PAGES = 25  # an author filter reads at most this many pages per fetchMore
_MAX_RELOAD = 5000
KIND_LABELS = {
    "disclosure": "Disclosure",
    "event": "Event",
    "agreement": "Agreement",
    "checkin": "Check-in",
    "milestone": "Milestone",
}
EVENT_LABELS = {
    "date_night": "Date night",
    "therapy": "Therapy",
    "check_in": "Check-in talk",
    "ritual": "Ritual",
    "other": "Event",
}
EntryRole = Qt.ItemDataRole.UserRole + 1
AuthorRole = Qt.ItemDataRole.UserRole + 2
WhenRole = Qt.ItemDataRole.UserRole + 3


def _moment(value: str) -> datetime | date:
    if len(value) == 10:
        return date.fromisoformat(value)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.astimezone() if moment.tzinfo else moment


def readable_when(value: str) -> str:
    """'3 Nov 2026' for a day, '3 Nov 2026, 19:30' (local time) for a moment."""
    if not value:
        return ""
    moment = _moment(value)
    day = f"{moment.day} {moment.strftime('%b %Y')}"
    return f"{day}, {moment.strftime('%H:%M')}" if isinstance(moment, datetime) else day


def disclosure_latency(fields: dict[str, object]) -> int | None:
    """Whole days between when something happened and when it was told (None if unknown)."""
    occurred, told = str(fields.get("occurred_on") or ""), str(fields.get("disclosed_at") or "")
    if not occurred or not told:
        return None
    start, end = _moment(occurred), _moment(told)
    start_day = start.date() if isinstance(start, datetime) else start
    end_day = end.date() if isinstance(end, datetime) else end
    return max(0, (end_day - start_day).days)


def latency_words(days: int | None, approximate: bool = False) -> str:
    if days is None:
        return ""
    about = "about " if approximate and days else ""
    if days == 0:
        return "told the same day"
    if days == 1:
        return f"told {about}a day later"
    if days < 60:
        return f"told {about}{days} days later"
    if days < 730:
        return f"told {about}{round(days / 30.4)} months later"
    return f"told {about}{round(days / 365.25)} years later"


def row_summary(entry: Entry) -> str:
    """The second line of a row: when it happened and, for disclosures, how long until told."""
    f = entry.fields
    if entry.kind == "disclosure":
        when = readable_when(f["occurred_on"])
        prefix = "Happened around" if f.get("approximate") else "Happened"
        latency = latency_words(disclosure_latency(f), bool(f.get("approximate")))
        return f"{prefix} {when} · {latency}" if latency else f"{prefix} {when}"
    if entry.kind == "event":
        text = f"{EVENT_LABELS.get(f['event_kind'], 'Event')} · {readable_when(f['start'])}"
        return text + " · repeats" if f.get("rrule") else text
    if entry.kind == "agreement":
        text = f"Version {f['version']} · written {readable_when(entry.updated)}"
        return (
            text + f" · review on {readable_when(f['review_on'])}" if f.get("review_on") else text
        )
    if entry.kind == "checkin":
        feelings = ", ".join(f.get("feelings", [])[:4])
        when = readable_when(entry.created)
        return f"{when} · feeling {feelings}" if feelings else when
    if f.get("done_at"):
        return f"Reached {readable_when(f['done_at'])}"
    if f.get("due_on"):
        return f"Planned for {readable_when(f['due_on'])}"
    return f"Added {readable_when(entry.created)}"


class TimelineModel(QAbstractListModel):
    """Entries newest first, loaded page by page; filter by kind and author; or search results."""

    def __init__(self, bridge: VaultBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self._rows: list[Entry] = []
        self._cursor: tuple[str, int] | None = None
        self._exhausted = True
        self._kind: str | None = None
        self._author: str | None = None
        self._searching = False

    # -- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.title
        if role == EntryRole:
            return entry
        if role == AuthorRole:
            return self.bridge.name_of(entry.author)
        if role == WhenRole:
            return row_summary(entry)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.accessible_text(entry)
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and self.bridge.vault is not None

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        batch = self._next_batch(PAGE_SIZE)
        if not batch:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._rows.extend(batch)
        self.endInsertRows()

    # -- loading ---------------------------------------------------------------------------

    @property
    def kind(self) -> str | None:
        return self._kind

    @property
    def author(self) -> str | None:
        return self._author

    @property
    def searching(self) -> bool:
        return self._searching

    def set_filter(self, kind: str | None, author: str | None) -> None:
        """Show only ``kind`` (one of KINDS) and/or entries by ``author`` (a device id)."""
        if kind is not None and kind not in KINDS:
            raise ValueError(kind)
        self._kind, self._author = kind, author
        self.reload()

    def reload(self, keep: int = PAGE_SIZE) -> None:
        """Start again from the newest entry, loading at least as many rows as ``keep``."""
        self.beginResetModel()
        self._rows, self._cursor, self._searching = [], None, False
        self._exhausted = self.bridge.vault is None
        if not self._exhausted:
            self._rows = self._next_batch(min(max(keep, PAGE_SIZE), _MAX_RELOAD))
        self.endResetModel()

    def refresh(self) -> None:
        """Reload after a change, keeping about as many rows as the person had scrolled through."""
        if self._searching:
            return
        self.reload(keep=len(self._rows))

    def show_results(self, entries: list[Entry]) -> None:
        """Replace the rows by search results (no paging)."""
        self.beginResetModel()
        self._rows, self._cursor, self._exhausted, self._searching = list(entries), None, True, True
        self.endResetModel()

    def clear(self) -> None:
        """Forget every row (the vault was locked)."""
        self.beginResetModel()
        self._rows, self._cursor, self._exhausted, self._searching = [], None, True, False
        self.endResetModel()

    def entry_at(self, row: int) -> Entry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, entry_id: str) -> int:
        return next((i for i, e in enumerate(self._rows) if e.id == entry_id), -1)

    def _next_batch(self, size: int) -> list[Entry]:
        """The next ``size`` rows that pass the filters, reading forward from the cursor."""
        vault = self.bridge.vault
        if vault is None or self._exhausted:
            return []
        out: list[Entry] = []
        for _ in range(_MAX_SCAN_PAGES):
            page = vault.entries.page(size, kind=self._kind, before=self._cursor)
            if len(page) < size:
                self._exhausted = True
            if page:
                last = page[-1]
                self._cursor = (sort_key_of(last.kind, last.fields, last.created), last.rowid)
            out.extend(e for e in page if self._author is None or e.author == self._author)
            if out or self._exhausted:
                break
        return out

    def accessible_text(self, entry: Entry) -> str:
        parts = [
            f"{KIND_LABELS[entry.kind]} by {self.bridge.name_of(entry.author)}: {entry.title}.",
            row_summary(entry) + ".",
            "Shared." if entry.visibility == "shared" else "Private.",
        ]
        if entry.edited:
            parts.append(f"Edited, {entry.revision} versions.")
        return " ".join(parts)
