"""Routines that count in two real windows syncing through a real folder: the crossing of
:meth:`Actions.mark_occurrence` for the face ``app``. Alex marks an occurrence held with the
Calendar page's button; Sam's calendar ticks it and names Alex, Sam's Progress bar counts it;
Sam's own mark fills Alex's bar."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.ui.crossing_helpers import (
    choose,
    click,
    go_to,
    new_entry,
    paired_couple,
    save,
    settled,
    shows,
    type_into,
    whose,
)
from trustvault.results import MarkState
from ui.dialogs.entry_dialogs import MilestoneDialog
from ui.main_window import MainWindow
from ui.pages.calendar_page import CalendarPage
from ui.pages.progress_page import ProgressPage


def _agenda(page: CalendarPage) -> str:
    return "\n".join(page.agenda.item(i).text() for i in range(page.agenda.count()))


def _mark(qtbot, window: MainWindow, day: date, state: MarkState) -> CalendarPage:  # type: ignore[no-untyped-def]
    page = go_to(qtbot, window, CalendarPage)
    page.show_day(day)
    shows(qtbot, f"{whose(window)} calendar", lambda: _agenda(page), "Weekly check-in")
    page.agenda.setCurrentRow(0)
    click(qtbot, page.marks.buttons[state])
    return page


def _bars(qtbot, window: MainWindow) -> str:  # type: ignore[no-untyped-def]
    page = go_to(qtbot, window, ProgressPage)
    page.refresh()
    return "\n".join(page.routines.texts())


@pytest.mark.crossing("mark_occurrence", face="app")
def test_a_held_mark_ticks_the_partners_calendar_and_fills_the_bar(tmp_path: Path, qtbot) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    today = date.today()
    first = today - timedelta(days=21)
    assert alex.bridge.actions is not None
    weekly = {"start": f"{first}T09:00", "end": f"{first}T09:30", "rrule": "FREQ=WEEKLY"}
    event = {"title": "Weekly check-in", "event_kind": "check_in", **weekly}
    # The setting, written on the bridge's worker as the app writes: a sync round may be running
    # there on the same connection. The mark is the crossing.
    added: list[object] = []
    alex.bridge.write(lambda actions: actions.add("event", event, "shared"), added.append)
    qtbot.waitUntil(lambda: bool(added), timeout=15_000)
    goal = new_entry(alex, "Milestone")  # its count set in the dialog's Counts row
    assert isinstance(goal, MilestoneDialog)
    type_into(qtbot, goal.title, "Two check-ins")
    goal.target.set_value(str(today + timedelta(days=30)))
    goal.rule.count.setValue(2)
    choose(goal.rule.kind, "check_in")
    assert goal.visibility is not None
    choose(goal.visibility, "shared")
    save(qtbot, goal)
    alex.bridge.changed.emit()
    settled(qtbot, alex, sam)

    page = _mark(qtbot, alex, first + timedelta(days=7), MarkState.HELD)
    shows(qtbot, "Alex's calendar", lambda: _agenda(page), "held · marked by you")
    ahead = _mark(qtbot, alex, first + timedelta(days=28), MarkState.HELD)
    shows(qtbot, "Alex's calendar", ahead.message_text, "has not happened yet")

    theirs = go_to(qtbot, sam, CalendarPage)
    theirs.show_day(first + timedelta(days=7))
    shows(qtbot, "Sam's calendar", lambda: _agenda(theirs), "held · marked by Alex")
    assert "\u2713 09:00" in _agenda(theirs)  # ticked, as on the month grid
    index = theirs.model.index_of(first + timedelta(days=7))
    assert "Weekly check-in (held)" in str(index.data())
    shows(qtbot, "Sam's progress", lambda: _bars(qtbot, sam), "1 of 2 held")

    _mark(qtbot, sam, first + timedelta(days=14), MarkState.HELD)
    shows(qtbot, "Alex's progress", lambda: _bars(qtbot, alex), "2 of 2 held")
    assert "reached" in _bars(qtbot, alex)
    bar = go_to(qtbot, alex, ProgressPage).routines.rows[0][1]
    assert (bar.value(), bar.maximum()) == (2, 2)
