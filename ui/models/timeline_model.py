"""The timeline as a lazy list model: 200 rows at a time from ``EntryStore.page(before=cursor)``.

A vault of 100,000 entries opens to its first page in milliseconds because the view only asks for
more (``canFetchMore``/``fetchMore``) as the person scrolls. A search replaces the rows with the
best matches (no paging). :meth:`TimelineModel.clear` drops every decrypted row on lock.
"""

import math
from datetime import date, datetime

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)

from trustvault import stats
from trustvault.entries.kinds import KINDS
from trustvault.entries.model import Entry
from trustvault.errors import EntryNotFound
from trustvault.results import DETAIL_WORDS, DeliveryState, ResponseState, Visibility
from trustvault.telling import Telling
from ui.bridge import VaultBridge

__all__ = [
    "HELD_TITLE",
    "KIND_LABELS",
    "PAGE_SIZE",
    "SETTING_LABELS",
    "StateRole",
    "TimelineModel",
    "UnreadRole",
    "disclosure_latency",
    "display_title",
    "held_summary",
    "latency_words",
    "readable_when",
    "row_summary",
    "seconds_until",
    "telling_words",
]

PAGE_SIZE = 200
_MAX_RELOAD = 5000
KIND_LABELS = {
    "disclosure": "Disclosure",
    "event": "Event",
    "agreement": "Agreement",
    "checkin": "Check-in",
    "milestone": "Milestone",
    "question": "Question",
    "headsup": "Heads-up",
    "trigger": "Trigger",
    "anniversary": "Anniversary",
    "plan": "Plan",
    "plan_need": "Needs from a plan",
    "plan_step": "Step-down",
    "homework": "Homework",
}
SETTING_LABELS = {"at_home": "At home", "for_session": "For our session"}
"""Where a question is to be answered, as its row and its page say it."""
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
StateRole = Qt.ItemDataRole.UserRole + 4
UnreadRole = Qt.ItemDataRole.UserRole + 5

RowState = tuple[str, str, int]
"""(sharing or delivery words, icon name, number of comments) shown at the right of a row."""


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


def seconds_until(moment: datetime, bridge: VaultBridge) -> int:
    """Whole seconds from the vault's clock to ``moment`` (0 when locked or past): a share's
    countdown, read without touching the vault."""
    q = bridge.queries
    if q is None:
        return 0
    return max(0, math.ceil((moment - q.clock()).total_seconds()))


def disclosure_latency(fields: dict[str, object]) -> int | None:
    """Whole days between when something happened and when it was told (None if unknown)."""
    days = stats.latency_days(dict(fields))
    return None if days is None else max(0, days)


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


def telling_words(told: Telling, author: str, *, full: bool = False) -> str:
    """How long until it was told, counted to the day it reached the partner's device, and
    beside it what differs (the author's own dating, the days kept private); ``full`` adds the
    account it belongs to and what was added later. Never a score: the figure and the facts."""
    days = told.days
    if days is None:
        return ""
    words = latency_words(days, told.approximate)
    if not told.verified:
        words = "dated as " + words
    parts = [words, *told.notes(author)]
    if told.complete_as_of is not None:
        parts.append(
            f"a full account, complete as of {readable_when(told.complete_as_of.isoformat())}"
        )
    if told.account_of is not None:
        account = readable_when(told.account_of.isoformat())
        parts.append(f"an amendment to the account of {account}")
    if told.amendments and not full:
        n = len(told.amendments)
        parts.append(f"{n} {'addition' if n == 1 else 'additions'} later")
    if full:
        parts += [a.words() for a in told.amendments]
    return " · ".join(parts)


HELD_TITLE = "Held for your session"


def held_summary(entry: Entry) -> str:
    """What a held entry's row says instead of its content: its note and level of detail."""
    f = entry.fields
    parts = [f"Note: {f['content_note']}"] if f.get("content_note") else ["No content note"]
    if f.get("detail"):
        parts.append(DETAIL_WORDS[str(f["detail"])])
    return " · ".join(parts)


def display_title(entry: Entry, gone: str = "withdrawn") -> str:
    """The row's title; a withdrawn (or ``gone="deleted"``) entry keeps only its kind (its
    content is gone)."""
    if entry.visibility == "withdrawn" or not entry.fields:
        return f"A {KIND_LABELS[entry.kind].lower()} was {gone}"
    return entry.title


def row_summary(
    entry: Entry,
    gone: str = "withdrawn",
    told: Telling | None = None,
    author: str = "The author",
    *,
    full: bool = False,
) -> str:
    """The second line of a row: when it happened and, for disclosures, how long until told
    (``told``: verified where it reached the partner, :func:`telling_words`)."""
    f = entry.fields
    if not f:
        return f"{gone.capitalize()} · written {readable_when(entry.created)}"
    if entry.kind == "disclosure":
        when = readable_when(f["occurred_on"])
        prefix = "Happened around" if f.get("approximate") else "Happened"
        if told is not None:
            latency = telling_words(told, author, full=full)
        else:
            latency = latency_words(disclosure_latency(f), bool(f.get("approximate")))
        text = f"{prefix} {when} · {latency}" if latency else f"{prefix} {when}"
        return "An answer · " + text if f.get("answers") else text
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
    if entry.kind == "headsup":
        said = f"told {readable_when(entry.created)}"
        return f"{f['response']} · {said}" if f.get("response") else said.capitalize()
    if entry.kind == "trigger":
        place = f" · {f['where']}" if f.get("where") else ""
        felt = readable_when(f.get("felt_at") or entry.created)
        return f"Strength {f['strength']}{place} · {felt}"
    if entry.kind == "anniversary":
        day = date.fromisoformat(f["on"])
        return f"Each year on {day.day} {day:%B} · since {day.year} · {f['lead_days']} days' notice"
    if entry.kind == "homework":
        return f"For the session of {readable_when(f['original_start'])}"
    if entry.kind == "question":
        return f"{SETTING_LABELS.get(f['setting'], '')} · asked {readable_when(entry.created)}"
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
        self._put_away = False  # the "put away" view instead of the timeline
        self._held: set[str] = set()
        self._states: dict[str, RowState] = {}
        self._tellings: dict[str, Telling] = {}  # the page's disclosures, read with the page
        self._leaving: dict[str, datetime] = {}  # rows "Sending in M:SS": when each leaves
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        bridge.unread.changed.connect(self._mark_changed)

    # -- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        held = entry.id in self._held and bool(entry.fields)
        if role == Qt.ItemDataRole.DisplayRole:
            return HELD_TITLE if held else display_title(entry, self.gone_word(entry))
        if role == EntryRole:
            return entry
        if role == AuthorRole:
            return self.bridge.name_of(entry.author)
        if role == WhenRole:
            return held_summary(entry) if held else self.summary_of(entry)
        if role == StateRole:
            return self.state_of(entry)
        if role == UnreadRole:
            return entry.id in self.bridge.unread
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.accessible_text(entry)
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and self.bridge.queries is not None

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

    @property
    def put_away_view(self) -> bool:
        return self._put_away

    def is_held(self, entry: Entry) -> bool:
        """Held for a session on this device: its row shows only the note and level."""
        return entry.id in self._held and bool(entry.fields)

    def show_put_away(self, on: bool) -> None:
        """Show the entries put away on this device (True) or the timeline (False)."""
        self._put_away = on
        self.reload()

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
        self._states, self._leaving, self._tellings = {}, {}, {}
        q = self.bridge.queries
        self._exhausted = q is None
        self._held = q.held_ids() if q is not None else set()
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
        self._states, self._leaving = {}, {}
        q = self.bridge.queries
        self._tellings = q.tellings(self._rows) if q is not None else {}
        self._held = q.held_ids() if q is not None else set()
        self.endResetModel()

    def clear(self) -> None:
        """Forget every row (the vault was locked)."""
        self.beginResetModel()
        self._rows, self._cursor, self._exhausted, self._searching = [], None, True, False
        self._states, self._leaving, self._tellings, self._held = {}, {}, {}, set()
        self.endResetModel()

    def entry_at(self, row: int) -> Entry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, entry_id: str) -> int:
        return next((i for i, e in enumerate(self._rows) if e.id == entry_id), -1)

    def _next_batch(self, size: int) -> list[Entry]:
        """The next ``size`` rows that pass the filters (the store filters by kind and author)."""
        q = self.bridge.queries
        if q is None or self._exhausted:
            return []
        page = q.page(
            size, kind=self._kind, author=self._author, before=self._cursor, put_away=self._put_away
        )
        self._tellings.update(q.tellings(page))
        if len(page) < size:
            self._exhausted = True
        if page:
            try:
                self._cursor = q.cursor_of(page[-1])
            except EntryNotFound:
                # Deleted since the page was read (a write on the worker thread): the write's
                # ``changed`` reloads the rows in a moment; until then there is no next page.
                self._exhausted = True
        return page

    def state_of(self, entry: Entry) -> RowState:
        """Sharing, delivery and the partner's response, in words (cached per row until reload;
        a share in its hold counts down from the cached moment it leaves)."""
        leaves = self._leaving.get(entry.id)
        cached = self._states.get(entry.id)
        if leaves is not None and cached is not None:
            left = seconds_until(leaves, self.bridge)
            if left > 0:
                return (f"Sending in {left // 60}:{left % 60:02d}", cached[1], cached[2])
            del self._leaving[entry.id]  # the hold is over: read the state afresh
            cached = None
        if cached is None:
            cached = self._states[entry.id] = self._compute_state(entry)
        return cached

    def _tick(self) -> None:
        """Once a second while a share waits its hold: repaint those rows (no vault read until
        the hold is over)."""
        if not self._leaving:
            self._countdown.stop()
            return
        for entry_id in list(self._leaving):
            row = self.row_of(entry_id)
            if row < 0:
                del self._leaving[entry_id]
                continue
            index = self.index(row)
            self.dataChanged.emit(index, index, [StateRole, Qt.ItemDataRole.AccessibleTextRole])

    def _mark_changed(self, entry_ids: list[str]) -> None:
        """Repaint the rows whose unread mark came or went (no reload, no vault read): the one
        row when a single entry was opened, else every loaded row in one signal."""
        rows = [self.row_of(entry_ids[0])] if len(entry_ids) == 1 else [0, len(self._rows) - 1]
        if rows[0] < 0 or not self._rows:
            return
        roles = [UnreadRole, Qt.ItemDataRole.AccessibleTextRole]
        self.dataChanged.emit(self.index(rows[0]), self.index(rows[-1]), roles)

    def summary_of(self, entry: Entry) -> str:
        """The row's second line, with the disclosure's telling read with its page."""
        q = self.bridge.queries
        mine = q is not None and q.is_mine(entry)
        author = "you" if mine else self.bridge.name_of(entry.author)
        return row_summary(entry, self.gone_word(entry), self._tellings.get(entry.id), author)

    def gone_word(self, entry: Entry) -> str:
        """ "deleted" for the tombstone of an entry its author deleted, else "withdrawn"."""
        if entry.fields and entry.visibility != Visibility.WITHDRAWN:
            return "withdrawn"  # not a tombstone: the word is never shown
        return "deleted" if self.state_of(entry)[0] == "Deleted" else "withdrawn"

    def _compute_state(self, entry: Entry) -> RowState:
        q = self.bridge.queries
        partner = self.bridge.partner
        shared = entry.visibility == Visibility.SHARED
        if entry.visibility == Visibility.WITHDRAWN:
            gone = q.withdrawal(entry.id) if q is not None else None
            return ("Deleted" if gone and gone.deleted else "Withdrawn", "revoked", 0)
        if q is None or partner is None:
            return ("Shared", "shared", 0) if shared else ("Private", "private", 0)
        comments = len(q.comments(entry.id)) if shared else 0
        responses = q.responses(entry.id)
        if not q.is_mine(entry):
            mine = [r for r in responses if r.person == q.device_id]
            if mine:
                read = mine[-1].state is ResponseState.READ
                return ("You read it" if read else "You asked for time", "check", comments)
            return (f"From {partner.name}", "shared", comments)
        delivery = q.delivery(entry.id)
        if delivery.state is DeliveryState.WITHDRAWN:
            return ("Withdrawn", "revoked", comments)
        if delivery.state is DeliveryState.WITHDRAWING:
            return ("Withdrawing…", "sync", comments)
        if not shared:
            return ("Private", "private", 0)
        theirs = [r for r in responses if r.person != q.device_id]
        if theirs:
            read = theirs[-1].state is ResponseState.READ
            words = f"Read by {partner.name}" if read else f"{partner.name} needs time"
            return (words, "check", comments)
        if delivery.state is DeliveryState.DELIVERED:
            return ("Delivered", "check", comments)
        if delivery.state is DeliveryState.HELD:
            return ("Waits for verify", "private", comments)
        if delivery.state is DeliveryState.SENDING:
            self._leaving[entry.id] = datetime.fromisoformat(delivery.at)
            if not self._countdown.isActive():
                self._countdown.start()
            return (f"Sending in {delivery.countdown}", "sync", comments)
        return ("Sending…", "sync", comments)

    def accessible_text(self, entry: Entry) -> str:
        if self.is_held(entry):
            who = self.bridge.name_of(entry.author)
            return f"{KIND_LABELS[entry.kind]} by {who}: {HELD_TITLE}. {held_summary(entry)}."
        parts = [
            "New." if entry.id in self.bridge.unread else "",
            f"{KIND_LABELS[entry.kind]} by {self.bridge.name_of(entry.author)}:"
            f" {display_title(entry, self.gone_word(entry))}.",
            self.summary_of(entry) + ".",
            self.state_of(entry)[0] + ".",
        ]
        if entry.edited:
            parts.append(f"Edited, {entry.revision} versions.")
        return " ".join(p for p in parts if p)
