"""The pause in two real windows syncing through a real folder: the crossings of
:meth:`Actions.pause`, :meth:`Actions.extend_pause` and :meth:`Actions.end_pause` for the face
``app``. What the partner's window shows is the test."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.helpers import ManualClock
from tests.ui.crossing_helpers import (
    WAIT,
    choose,
    click,
    go_to,
    open_dialog,
    paired_couple,
    shows,
    whose,
)
from tests.ui.shell_helpers import PASSPHRASE
from trustvault.actions import Actions
from trustvault.pause_return import COME_BACK
from trustvault.vault import Vault
from ui.pages.calendar_page import CalendarPage
from ui.pause_bar import PauseDialog


def _agenda(page: CalendarPage) -> str:
    return "\n".join(page.agenda.item(i).text() for i in range(page.agenda.count()))


@pytest.mark.crossing("pause", "extend_pause", "end_pause", face="app")
def test_a_pause_shows_on_both_windows_until_one_comes_back(tmp_path: Path, qtbot) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    said: list[int] = []
    sam.notices.reminders = said.append  # type: ignore[method-assign]
    click(qtbot, alex.pause_button)
    dialog = open_dialog(alex, PauseDialog)
    choose(dialog.length, 45)
    click(qtbot, dialog.start)
    shows(qtbot, "Alex's window", alex.pause_bar.words.text, "You asked for a pause. Back")
    shows(qtbot, "Sam's window", sam.pause_bar.words.text, "Alex asked for a pause. Back")
    assert sam.pause_bar.back_button.text() == "I'm back"
    first = alex.pause_bar.words.text()

    click(qtbot, sam.pause_bar.more_button)  # 30 more minutes, asked from Sam's side
    qtbot.waitUntil(lambda: alex.pause_bar.words.text() != first, timeout=WAIT)
    assert "You asked for a pause. Back" in alex.pause_bar.words.text()
    # The promised return is on both calendars, at the same moment, and nobody edits it.
    assert alex.bridge.queries is not None
    back = alex.bridge.queries.pause()
    assert back is not None
    day = datetime.fromisoformat(back.until.replace("Z", "+00:00")).astimezone().date()
    for window in (alex, sam):
        calendar_page = go_to(qtbot, window, CalendarPage)
        calendar_page.show_day(day)
        shows(qtbot, f"{whose(window)} calendar", lambda p=calendar_page: _agenda(p), COME_BACK)
        row = next(
            calendar_page.agenda.item(i)
            for i in range(calendar_page.agenda.count())
            if COME_BACK in calendar_page.agenda.item(i).text()
        )
        assert row.data(Qt.ItemDataRole.UserRole) is None  # not an entry: nothing to edit

    # Later, past the return: Sam's window asks "Ready?" and says one reminder is due.
    assert sam.bridge.queries is not None
    pause = sam.bridge.queries.pause()
    assert pause is not None
    until = datetime.fromisoformat(pause.until.replace("Z", "+00:00"))
    sam.bridge.lock()
    vault = Vault.unlock(sam.folder, PASSPHRASE, clock=ManualClock(until + timedelta(minutes=1)))
    sam.bridge.open_vault(Actions(vault))
    shows(qtbot, "Sam's window", sam.pause_bar.words.text, "the time Alex set to come back")
    assert "Ready?" in sam.pause_bar.words.text() and said == [1]
    assert sam.pause_bar.back_button.text() == "Yes, ready"
    click(qtbot, sam.pause_bar.back_button)
    qtbot.waitUntil(lambda: not alex.pause_bar.isVisible(), timeout=WAIT)
    assert not sam.pause_bar.isVisible()

    click(qtbot, alex.pause_button)  # the next time, the return kept is told as encouragement
    again = open_dialog(alex, PauseDialog)
    assert "You have come back to each other after a pause." in [
        w.text() for w in again.findChildren(QLabel)
    ]
    again.reject()
    assert datetime.now(UTC) < until  # the real clock never moved: Sam's vault's did
