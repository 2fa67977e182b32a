"""Reading safety in two app windows: Alex gives a disclosure a content note and a level of
detail; Sam holds it for a session and puts another entry away, from the row's menu. Sam's
window shows it closed until Sam opens it; Alex's window shows nothing changed."""

from pathlib import Path
from typing import Any

import pytest

from tests.ui.crossing_helpers import (
    choose,
    click,
    new_entry,
    page,
    paired_couple,
    row_menu,
    row_words,
    save,
    settled,
    share_new,
    sharing_of,
    shows,
    type_into,
    wait_for_row,
)
from ui.pages.timeline_page import TimelinePage

HARD = "The hotel in June"


@pytest.mark.crossing("hold_for_session", "open_held", "put_away", "bring_back", face="app")
def test_holding_and_putting_away_tell_the_author_nothing(tmp_path: Path, qtbot: Any) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    told = new_entry(alex, "Disclosure")
    type_into(qtbot, told.title, HARD)  # type: ignore[attr-defined]
    type_into(qtbot, told.body, "What happened there")  # type: ignore[attr-defined]
    type_into(qtbot, told.content_note, "Physical details")  # type: ignore[attr-defined]
    choose(told.detail, "full")  # type: ignore[attr-defined]
    save(qtbot, told)
    share_new(qtbot, alex, "Milestone", "Ten sessions")
    hard = wait_for_row(qtbot, sam, HARD)
    other = wait_for_row(qtbot, sam, "Ten sessions")
    settled(qtbot, sam, alex)
    alex_before = [row_words(alex, hard.id), row_words(alex, other.id)]

    row_menu(qtbot, sam, hard.id, "Hold for our session")
    closed = "Held for your session. Note: Physical details · Full detail."
    shows(qtbot, "Sam's row", lambda: row_words(sam, hard.id), closed)
    assert HARD not in row_words(sam, hard.id)
    reading = sharing_of(qtbot, sam, hard.id)
    assert reading.held.isVisible() and not reading.content.isVisible()
    assert "Note: Physical details · Full detail" in reading.held.text()
    assert HARD not in reading.heading.text()

    row_menu(qtbot, sam, other.id, "Put away")
    timeline = page(sam, TimelinePage)
    qtbot.waitUntil(lambda: timeline.model.row_of(other.id) < 0)
    click(qtbot, timeline.put_away_button)
    qtbot.waitUntil(lambda: timeline.model.row_of(other.id) == 0)
    assert timeline.model.rowCount() == 1

    settled(qtbot, sam, alex)
    assert [row_words(alex, hard.id), row_words(alex, other.id)] == alex_before

    click(qtbot, reading.open_button)
    qtbot.waitUntil(lambda: reading.content.isVisible())
    assert "What happened there" in reading.content.toPlainText()
    assert HARD in reading.heading.text()
    reading.reject()
    row_menu(qtbot, sam, other.id, "Bring back")
    qtbot.waitUntil(lambda: timeline.model.rowCount() == 0)
    click(qtbot, timeline.put_away_button)
    qtbot.waitUntil(lambda: timeline.model.row_of(other.id) >= 0)
    assert HARD in row_words(sam, hard.id)
    settled(qtbot, sam, alex)
    assert [row_words(alex, hard.id), row_words(alex, other.id)] == alex_before
