"""One window per entry, and an editor that never silently undoes a newer version.

Real windows on real vaults. Alex's event is opened from the timeline twice and from the
calendar: one editor. Then Sam (a second window, paired through a real folder) edits the shared
event in the calendar while Alex's editor is open on the older version: Alex's Save shows what
changed instead of saving; "Keep editing on the newer version" keeps Alex's words over Sam's
version and saves both; "Discard my changes" leaves Sam's version as it is.
"""

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from tests.ui.crossing_helpers import (
    WAIT,
    click,
    double_click_row,
    go_to,
    open_dialog,
    paired_couple,
    save,
    share_new,
    type_into,
    wait_for_row,
)
from tests.ui.shell_helpers import create_vault, make_window, unlock
from trustvault.actions import Actions
from ui.dialogs.event_dialog import EventDialog
from ui.main_window import MainWindow
from ui.pages.calendar_page import CalendarPage
from ui.pages.timeline_page import TimelinePage
from ui.widgets.entry_form import EntryDialog


def edit_in_calendar(qtbot: Any, window: MainWindow, entry_id: str) -> EventDialog:
    """Calendar page, today's agenda row of the event (once it shows the current version: a
    page shown again reloads), Edit…; return the editor shown."""
    calendar = go_to(qtbot, window, CalendarPage)
    revision = entry_now(window, entry_id).revision

    def row() -> Any:
        rows = [calendar.agenda.item(i) for i in range(calendar.agenda.count())]
        entries = [(r, r.data(Qt.ItemDataRole.UserRole)) for r in rows]
        return next(
            (r for r, e in entries if e and e.id == entry_id and e.revision == revision), None
        )

    qtbot.waitUntil(lambda: row() is not None, timeout=WAIT)
    calendar.agenda.setCurrentItem(row())
    click(qtbot, calendar.edit_button)
    return open_dialog(window, EventDialog)


def entry_now(window: MainWindow, entry_id: str) -> Any:
    assert window.bridge.queries is not None
    return window.bridge.queries.entry(entry_id)


def test_an_entry_opened_from_every_page_has_one_editor(tmp_path: Path, qtbot: Any) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    vault = unlock(window, qtbot)
    today = date.today().isoformat()
    event = Actions(vault).add(
        "event", {"title": "Walk", "start": f"{today}T10:00", "end": f"{today}T11:00"}
    )
    window.bridge.changed.emit()
    qtbot.waitUntil(lambda: window.timeline.model.row_of(event.id) >= 0, timeout=WAIT)
    double_click_row(qtbot, window, event.id)
    first = open_dialog(window, EventDialog)
    double_click_row(qtbot, window, event.id)  # raised, not a second one
    assert open_dialog(window, EventDialog) is first
    assert window.open_editor("event", entry_now(window, event.id)) is first
    assert edit_in_calendar(qtbot, window, event.id) is first  # another page, the same editor
    first.reject()
    qtbot.waitUntil(lambda: not first.isVisible(), timeout=WAIT)
    go_to(qtbot, window, TimelinePage)
    double_click_row(qtbot, window, event.id)
    assert open_dialog(window, EventDialog) is not first  # closed: the next one is new


def test_a_newer_version_is_shown_never_overwritten(tmp_path: Path, qtbot: Any) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    share_new(qtbot, alex, "Event", "Dinner together")
    mine = wait_for_row(qtbot, alex, "Dinner together")
    wait_for_row(qtbot, sam, "Dinner together")

    double_click_row(qtbot, alex, mine.id)
    alexs = open_dialog(alex, EventDialog)
    sams = edit_in_calendar(qtbot, sam, mine.id)
    type_into(qtbot, sams.location, "Sam's kitchen")
    save(qtbot, sams)
    qtbot.waitUntil(lambda: entry_now(alex, mine.id).revision == 2, timeout=WAIT)

    type_into(qtbot, alexs.notes, "I will bring wine")
    click(qtbot, alexs.buttons.button(alexs.buttons.StandardButton.Save))
    qtbot.waitUntil(alexs.conflict.isVisible, timeout=WAIT)
    assert alexs.isVisible()
    assert alexs.conflict.heading.text().startswith("Sam changed this event while you were")
    table = alexs.conflict.table.toPlainText()
    assert "Sam's kitchen" in table and "I will bring wine" in table
    assert not alexs.buttons.button(alexs.buttons.StandardButton.Save).isEnabled()
    kept = entry_now(alex, mine.id)
    assert (kept.revision, kept.fields["location"], kept.fields["notes"]) == (
        2,
        "Sam's kitchen",
        "",
    )

    click(qtbot, alexs.conflict.keep_editing)
    assert alexs.location.text() == "Sam's kitchen"
    assert alexs.notes.toPlainText() == "I will bring wine"
    save(qtbot, alexs)
    both = entry_now(alex, mine.id)
    assert (both.revision, both.fields["location"]) == (3, "Sam's kitchen")
    assert both.fields["notes"] == "I will bring wine"
    qtbot.waitUntil(
        lambda: entry_now(sam, mine.id).fields["notes"] == "I will bring wine", timeout=WAIT
    )

    go_to(qtbot, alex, TimelinePage)
    double_click_row(qtbot, alex, mine.id)
    again = open_dialog(alex, EventDialog)
    sams = edit_in_calendar(qtbot, sam, mine.id)
    type_into(qtbot, sams.title, "Dinner together at eight")
    save(qtbot, sams)
    qtbot.waitUntil(lambda: entry_now(alex, mine.id).revision == 4, timeout=WAIT)
    type_into(qtbot, again.notes, "Never mind the wine")
    click(qtbot, again.buttons.button(again.buttons.StandardButton.Save))
    qtbot.waitUntil(again.conflict.isVisible, timeout=WAIT)
    click(qtbot, again.conflict.discard_mine)
    qtbot.waitUntil(lambda: not again.isVisible(), timeout=WAIT)
    final = entry_now(alex, mine.id)
    assert (final.revision, final.title) == (4, "Dinner together at eight")
    assert final.fields["notes"] == "I will bring wine"
    assert not [d for d in alex.findChildren(EntryDialog) if d.isVisible()]
