"""Triggers: this person's private log and its patterns, the partner's shared triggers with the
question this device asks ("What would help Alex feel safe right now?"), the days they marked,
and a minute of breathing.

The patterns are counts by week, place, strength and time of day (:mod:`trustvault.triggers`):
calm bars with numbers, no averages or scores. Everything is read on the worker in one go.
"""

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from trustvault.anniversaries import Coming, ahead_words
from trustvault.queries import Queries
from trustvault.results import Comment, Entry
from trustvault.triggers import TriggerPatterns
from ui import theme
from ui.bridge import VaultBridge
from ui.dialogs.sharing import SharingDialog
from ui.dialogs.trigger_dialogs import AnniversaryDialog, TriggerDialog, offer_grounding
from ui.entry_windows import windows_of
from ui.models.timeline_model import readable_when
from ui.pages.page import Page
from ui.widgets.basics import button, fill_with_scroll, label
from ui.widgets.count_bars import CountBars
from ui.widgets.wrapping_rows import wrapping_list

__all__ = ["TriggersPage"]

EntryRole = Qt.ItemDataRole.UserRole + 1
_RECENT = 50


@dataclass(frozen=True)
class _Shown:
    patterns: TriggerPatterns
    mine: list[tuple[Entry, list[Comment]]]  # newest first, with the partner's replies
    theirs: list[tuple[Entry, str, list[Comment]]]  # the partner's, the question, our replies
    days: list[Coming]


def _load(q: Queries) -> _Shown:
    triggers = q.all("trigger")
    mine = [e for e in triggers if q.is_mine(e) and e.fields][:_RECENT]
    replies = [
        (e, [c for c in q.comments(e.id) if c.person != q.device_id])
        if e.visibility == "shared" else (e, [])
        for e in mine
    ]  # fmt: skip
    theirs = [
        (e, p, [c for c in q.comments(e.id) if c.person == q.device_id])
        for e in triggers
        if (p := q.reassurance_prompt(e)) is not None
    ]
    return _Shown(q.trigger_patterns(), replies, theirs, q.anniversaries())


class TriggersPage(Page):
    """Log a trigger, see its patterns, answer the partner's with reassurance, breathe."""

    title = "Triggers"

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        body = QWidget()
        box = QVBoxLayout(body)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(10)
        box.addWidget(label(
            "A private log of what sets you off: only you see it, unless you share one entry."
            " The counts below are patterns to notice, never a score.", "muted", selectable=True
        ))  # fmt: skip
        row = QHBoxLayout()
        self.log_button = button("Log a trigger…", icon="trigger", primary=True)
        self.log_button.clicked.connect(self.new_entry)
        self.day_button = button("Mark a day…", icon="anniversary")
        self.day_button.clicked.connect(self.mark_day)
        self.breathe_button = button("Breathe for a minute…", icon="breathe")
        self.breathe_button.clicked.connect(lambda: offer_grounding(self))
        for widget in (self.log_button, self.day_button, self.breathe_button):
            row.addWidget(widget)
        row.addStretch(1)
        box.addLayout(row)
        self.summary = label("", "subtitle", selectable=True)
        box.addWidget(self.summary)
        self.patterns = QWidget()  # hidden while the log is empty: zeros would only be noise
        grid = QGridLayout(self.patterns)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(24)
        color = theme.kind_color("trigger")
        self.by_week = CountBars("By week", color)
        self.by_place = CountBars("By place", color)
        self.by_strength = CountBars("By strength", color)
        self.by_time = CountBars("By time of day", color)
        for index, bars in enumerate((self.by_week, self.by_place, self.by_strength, self.by_time)):
            cell = QVBoxLayout()
            cell.addWidget(label(bars.accessibleName(), "muted"))
            cell.addWidget(bars)
            cell.addStretch(1)
            grid.addLayout(cell, index // 2, index % 2)
        box.addWidget(self.patterns)
        lists = QHBoxLayout()
        lists.setSpacing(24)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(label("Your log", "subtitle"))
        self.mine = self._list("Your triggers")
        self.mine.itemActivated.connect(self._open)
        left.addWidget(self.mine, 1)
        self.theirs_heading = label("Shared with you", "subtitle")
        right.addWidget(self.theirs_heading)
        self.theirs = self._list("Triggers your partner shared")
        self.theirs.itemActivated.connect(self._open)
        right.addWidget(self.theirs, 1)
        right.addWidget(label("Days you marked", "subtitle"))
        self.days = self._list("Days you marked")
        right.addWidget(self.days, 1)
        lists.addLayout(left, 3)
        lists.addLayout(right, 2)
        box.addLayout(lists, 1)
        fill_with_scroll(self, body)
        theme.follow(self, self._tint)

    @staticmethod
    def _list(name: str) -> QListWidget:
        widget = wrapping_list(name)  # a long reply shows whole, never "…"
        widget.setMinimumHeight(110)
        return widget

    def _tint(self) -> None:
        for bars in (self.by_week, self.by_place, self.by_strength, self.by_time):
            bars.set_color(theme.kind_color("trigger"))

    # -- page hooks ------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.bridge.queries is not None:
            self.bridge.read(_load, self._show)

    def clear(self) -> None:
        self.summary.clear()
        for bars in (self.by_week, self.by_place, self.by_strength, self.by_time):
            bars.set_counts([])
        for widget in (self.theirs, self.mine, self.days):
            widget.clear()

    def new_entry(self) -> None:
        dialog = TriggerDialog(self.bridge, None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def mark_day(self) -> None:
        dialog = AnniversaryDialog(self.bridge, None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- showing ---------------------------------------------------------------------------

    def _show(self, shown: _Shown) -> None:
        self.clear()
        found = shown.patterns
        self.summary.setText(found.lines()[0])
        self.patterns.setVisible(found.total > 0)
        self.by_week.set_counts([(f"{monday.day} {monday:%b}", n) for monday, n in found.by_week])
        self.by_place.set_counts(list(found.by_place))
        self.by_strength.set_counts(list(found.by_strength))
        self.by_time.set_counts([(t, n) for t, n in found.by_time if n or t != "time not noted"])
        for entry, prompt, said in shown.theirs:
            who = self.bridge.name_of(entry.author)
            lines = [f"{who}: {entry.title} (strength {entry.fields['strength']})", prompt]
            lines += [f"You replied: {c.text}" for c in said]
            self._add(self.theirs, entry, "\n".join(lines))
        if not shown.theirs:
            self._add(self.theirs, None, "Nothing shared with you.")
        for entry, replies in shown.mine:
            where = f" · {entry.fields['where']}" if entry.fields.get("where") else ""
            lines = [f"{entry.title} · strength {entry.fields['strength']}{where}",
                     f"{readable_when(entry.fields.get('felt_at') or entry.created)}"
                     f" · {'shared' if entry.visibility == 'shared' else 'private'}"]  # fmt: skip
            lines += [f"{self.bridge.name_of(c.person)}: {c.text}" for c in replies]
            self._add(self.mine, entry, "\n".join(lines))
        if not shown.mine:
            self._add(self.mine, None, "Nothing logged yet.")
        for day in shown.days:
            flag = " · coming up" if day.flagged else ""
            who = "" if self.bridge.queries is None or self.bridge.queries.is_mine(day.entry) \
                else f" · marked by {self.bridge.name_of(day.entry.author)}"  # fmt: skip
            self._add(self.days, None, f"{day.entry.title}: {day.day.day} {day.day:%B %Y},"
                      f" {ahead_words(day.in_days)}{flag}{who}")  # fmt: skip
        if not shown.days:
            self._add(self.days, None, "No days marked.")

    @staticmethod
    def _add(widget: QListWidget, entry: Entry | None, text: str) -> None:
        item = QListWidgetItem(text)
        item.setData(EntryRole, entry)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        if entry is None:
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        widget.addItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        """Sharing and comments for the trigger: share it, or answer the partner's."""
        entry = item.data(EntryRole)
        if isinstance(entry, Entry):
            windows_of(self.bridge).single(
                ("sharing", entry.id), lambda: SharingDialog(self.bridge, entry.id, self)
            )
