"""Calendar: a month of events (repeating ones expanded), the chosen day's agenda, and ICS
import and export. Reading the events and expanding them, and all file work, run on the bridge's
worker; the page only draws the result.
"""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from trustvault import calendar
from trustvault.actions import Actions
from trustvault.calendar import Occurrence
from trustvault.errors import TrustVaultError
from trustvault.occurrence_ref import OccurrenceRef
from trustvault.pause_return import come_back_occurrence
from trustvault.queries import Queries
from trustvault.results import (
    CalendarPreview,
    Entry,
    ImportResult,
    MarkState,
    OccurrenceMark,
)
from ui.bridge import VaultBridge
from ui.dialogs.calendar_file_dialogs import ExportOptions, ImportChoice, import_words
from ui.dialogs.event_dialog import EVENT_KIND_LABELS, EventDialog
from ui.entry_windows import windows_of
from ui.pages.calendar_marks import MarkBar, mark_words
from ui.pages.conversation_starts import OccurrenceTalk
from ui.pages.page import Page
from ui.widgets.basics import button, friendly_day, label, set_role
from ui.widgets.month_grid import MonthGrid, MonthModel, time_span
from ui.widgets.wrapping_rows import wrapping_list

__all__ = ["CalendarPage"]

_KIND_WORDS = dict(EVENT_KIND_LABELS)
_OCCURRENCE_ROLE = Qt.ItemDataRole.UserRole + 1
Loaded = tuple[tuple[int, int], date, list[Occurrence], dict[OccurrenceRef, OccurrenceMark]]


class CalendarPage(Page):
    """Month grid on top, the chosen day's agenda beside it."""

    title = "Calendar"

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.model = MonthModel(self)
        self.grid = MonthGrid(self.model)
        self.selected = date.today()
        self.month_label = label("", "title", selectable=True)
        self.month_label.setAccessibleName("Month shown")
        self.message = label("", "muted", selectable=True)
        self.message.setVisible(False)
        self.day_heading = label("", "subtitle", selectable=True)
        self.agenda = wrapping_list("Events on the chosen day")
        self.agenda.setSpacing(4)
        self.agenda.itemActivated.connect(self._edit_item)
        self.edit_button = button("Edit…", name="Edit the chosen event")
        self.edit_button.clicked.connect(lambda: self._edit_item(self.agenda.currentItem()))
        self.marks = MarkBar()
        self.marks.chosen.connect(self.mark)
        self.agenda.currentItemChanged.connect(lambda item, _prev: self._row_chosen(item))
        self.talk = OccurrenceTalk(bridge)
        self.grid.day_chosen.connect(self._choose_day)
        self.grid.day_activated.connect(self.new_entry_on)
        self._build()
        self._show_month(self.selected.year, self.selected.month)

    def _build(self) -> None:
        bar = QHBoxLayout()

        def add(text: str, name: str, slot: Callable[[], object], primary: bool = False) -> None:
            widget = button(text, name=name, primary=primary)
            widget.clicked.connect(slot)
            bar.addWidget(widget)

        add("\u2039", "Previous month", lambda: self.step_month(-1))
        add("Today", "Go to today", self.go_today)
        add("\u203a", "Next month", lambda: self.step_month(1))
        bar.addStretch(1)  # the month's name has its own line: the bar fits an 800 px window
        add("New event…", "New event", self.new_entry, primary=True)
        add("Import…", "Import events from a calendar file", self.choose_import)
        add("Export…", "Export events to a calendar file", self.choose_export)
        side = QWidget()
        sbox = QVBoxLayout(side)
        sbox.setContentsMargins(0, 0, 0, 0)
        sbox.addWidget(self.day_heading)
        sbox.addWidget(self.agenda, 1)
        sbox.addWidget(self.marks)
        sbox.addWidget(self.edit_button)
        sbox.addWidget(self.talk)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.grid)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.month_label)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

    # -- page hooks ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the visible six weeks: all events are read and expanded on the worker."""
        if self.bridge.queries is None:
            return
        first, last = self.model.first_day, self.model.last_day
        shown = (self.model.year, self.model.month)

        def load(q: Queries) -> Loaded:
            occurrences = calendar.expand(q.all("event"), first, last)
            come_back = come_back_occurrence(q.pause(), first, last)
            if come_back is not None:  # the pause's promised return, on both devices
                occurrences = [*occurrences, come_back]
            days = q.anniversary_moments(first, last)  # each day marked, and its flag ahead
            if come_back is not None or days:
                occurrences = sorted(
                    [*occurrences, *days], key=lambda o: o.start.replace(tzinfo=None)
                )
            return shown, q.today(), occurrences, q.marks()

        self.bridge.read(load, self._fill)

    def clear(self) -> None:
        """Drop every event title and agenda row."""
        self.model.clear()
        self.agenda.clear()
        self.message.clear()
        self.message.setVisible(False)
        self.edit_button.setEnabled(False)
        self.marks.set_occurrence(None)

    def new_entry(self) -> None:
        self.new_entry_on(self.selected)

    def new_entry_on(self, day: date) -> None:
        EventDialog(self.bridge, parent=self, day=day).open()

    # -- navigation ------------------------------------------------------------------------

    def step_month(self, delta: int) -> None:
        months = self.model.year * 12 + self.model.month - 1 + delta
        self._show_month(months // 12, months % 12 + 1)

    def go_today(self) -> None:
        today = self.model.today
        self._show_month(today.year, today.month)
        self.grid.select_day(today)

    def show_day(self, day: date) -> None:
        """Show ``day``'s month with the day chosen (used by tests and the timeline)."""
        if (day.year, day.month) != (self.model.year, self.model.month):
            self._show_month(day.year, day.month)
        self.grid.select_day(day)
        self._choose_day(day)

    def _show_month(self, year: int, month: int) -> None:
        self.model.set_month(year, month)
        self.month_label.setText(date(year, month, 1).strftime("%B %Y"))
        if not (self.model.first_day <= self.selected <= self.model.last_day):
            self.selected = date(year, month, 1)
        self._choose_day(self.selected)
        self.refresh()

    def on_unlocked(self) -> None:
        """Back to today's month (the vault's today), with today chosen."""
        q = self.bridge.queries
        if q is not None:
            self.model.today = q.today()
            self.selected = self.model.today
            self._show_month(self.selected.year, self.selected.month)

    def _fill(self, result: Loaded) -> None:
        shown, today, occurrences, marks = result
        if shown != (self.model.year, self.model.month):
            return  # the person moved on to another month meanwhile
        self.model.today = today
        self.model.set_occurrences(occurrences, marks)
        self._choose_day(self.selected)

    def _choose_day(self, day: date) -> None:
        self.selected = day
        self.day_heading.setText(friendly_day(day))
        self.agenda.clear()
        for occ in self.model.occurrences_on(day):
            fields = occ.entry.fields
            kind = fields.get("event_kind", "other")
            details = [_KIND_WORDS[kind]] if kind in _KIND_WORDS and kind != "other" else []
            if occ.location:
                details.append(occ.location)
            if occ.moved is not None:
                details.append("moved")
            elif fields.get("rrule") or fields.get("rdates"):
                details.append("repeats")
            mark = None if occ.virtual else self.model.mark_of(occ)
            if mark is not None and self.bridge.queries is not None:  # names from the bridge:
                me = self.bridge.queries.device_id  # no vault read per agenda row
                details.append(mark_words(mark, self.bridge.name_of, me))
            if occ.virtual and occ.entry.kind == "anniversary":
                details = [
                    "coming up: a day marked, flagged ahead"
                    if fields.get("ahead")
                    else "a day marked; it comes back each year"
                ]
            elif occ.virtual:
                details = ["the return you promised in your pause"]
            tick = "\u2713 " if mark is not None and mark.state is MarkState.HELD else ""
            text = f"{tick}{time_span(occ)}  {occ.title}"
            item = QListWidgetItem(text + (f"\n{' · '.join(details)}" if details else ""))
            item.setData(Qt.ItemDataRole.UserRole, None if occ.virtual else occ.entry)
            item.setData(_OCCURRENCE_ROLE, occ)
            self.agenda.addItem(item)
        if self.agenda.count() == 0:
            empty = QListWidgetItem("Nothing planned. Double-click the day to add something.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.agenda.addItem(empty)
        self.edit_button.setEnabled(False)
        self.marks.set_occurrence(None)

    def _row_chosen(self, item: QListWidgetItem | None) -> None:
        self.edit_button.setEnabled(item is not None)
        occ = item.data(_OCCURRENCE_ROLE) if item is not None else None
        chosen = occ if isinstance(occ, Occurrence) and not occ.virtual else None
        self.marks.set_occurrence(chosen)
        # a conversation is named by the occurrence's original start, as a mark is
        self.talk.choose(
            chosen.entry if chosen else None, (chosen.original or chosen.start) if chosen else None
        )

    def mark(self, occ: Occurrence, state: MarkState) -> None:
        """Mark the occurrence (either partner may); a refusal ("not happened yet") is said
        in the page's message line."""
        ref = occ.ref

        def done(made: OccurrenceMark) -> None:
            self._say(f"{occ.title}: {made.state}.")

        self.bridge.write(
            lambda a: a.mark_occurrence(ref.event_id, ref.original, state),
            done,
            lambda message: self._say(message, "error"),
        )

    def _edit_item(self, item: QListWidgetItem | None) -> None:
        entry = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if isinstance(entry, Entry):
            windows_of(self.bridge).single(
                ("edit", entry.id), lambda: EventDialog(self.bridge, entry, parent=self)
            )

    # -- ICS -------------------------------------------------------------------------------

    def choose_export(self) -> None:
        options = ExportOptions(self)
        if options.exec() != QDialog.DialogCode.Accepted:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export calendar", str(Path.home() / "calendar.ics"), "Calendar files (*.ics)"
        )
        if path:
            self.export_to(Path(path), neutral_titles=options.neutral.isChecked())

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import calendar", str(Path.home()), "Calendar files (*.ics)"
        )
        if path:
            self.import_from(Path(path))

    def export_to(self, path: Path, *, neutral_titles: bool) -> None:
        """Write every event to ``path`` (an .ics file), on the worker."""

        def export(actions: Actions) -> int:
            return actions.export_calendar(neutral_titles=neutral_titles, to=path).events

        def done(count: int) -> None:
            what = "1 event" if count == 1 else f"{count} events"
            names = " with neutral titles" if neutral_titles else ""
            self._say(f"Exported {what}{names} to {path.name}.")

        self.bridge.write(export, done, lambda message: self._say(message, "error"))

    def import_from(self, path: Path) -> None:
        """Read ``path`` and ask whether to share its events, then add them; an event seen
        before (same UID) is not added twice."""

        def read_and_count(q: Queries) -> tuple[bytes, CalendarPreview]:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise TrustVaultError(
                    f"Could not read {path}: {exc.strerror}. Nothing was imported."
                ) from None
            return data, q.preview_calendar(data, path.name)

        def ask(result: tuple[bytes, CalendarPreview]) -> None:
            data, preview = result
            if preview.new == 0:
                self._say(import_words(path, 0, preview.known, preview.notes))
                return
            partner = self.bridge.partner.name if self.bridge.partner else "your partner"
            dialog = ImportChoice(preview, path.name, partner, self)
            dialog.finished.connect(lambda _code: self._import_chosen(path, data, dialog))
            dialog.open()

        self.bridge.read(read_and_count, ask, lambda message: self._say(message, "error"))

    def _import_chosen(self, path: Path, data: bytes, dialog: ImportChoice) -> None:
        share = dialog.chose_share
        dialog.deleteLater()
        if share is None:
            self._say(f"Nothing was imported from {path.name}.")
            return

        def add(actions: Actions) -> ImportResult:
            return actions.import_calendar(data, source=path.name, share=share)

        def done(result: ImportResult) -> None:
            added = result.added
            self._say(import_words(path, len(added), result.skipped, result.notes, share))
            if added:
                self.show_day(min(calendar.event_span(e)[0].date() for e in added))

        self.bridge.write(add, done, lambda message: self._say(message, "error"))

    def _say(self, text: str, role: str = "ok") -> None:
        set_role(self.message, role)
        self.message.setText(text)
        self.message.setVisible(True)

    def message_text(self) -> str:
        return "" if self.message.isHidden() else self.message.text()
