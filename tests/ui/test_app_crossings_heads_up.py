"""A heads-up in two app windows: New ▸ Heads-up… in Alex's window, two short fields, Save;
Sam's timeline shows it as a heads-up, not as a disclosure."""

from pathlib import Path
from typing import Any

import pytest

from tests.ui.crossing_helpers import (
    choose_text,
    new_entry,
    page,
    paired_couple,
    row_words,
    save,
    shows,
    timeline_rows,
    type_into,
    wait_for_row,
)
from ui.pages.timeline_page import TimelinePage


@pytest.mark.crossing("add", face="app")
def test_a_heads_up_written_in_one_window_shows_in_the_other(tmp_path: Path, qtbot: Any) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    small = new_entry(alex, "Heads-up")
    type_into(qtbot, small.what, "Jordan messaged me")  # type: ignore[attr-defined]
    type_into(qtbot, small.response, "I did not reply")  # type: ignore[attr-defined]
    save(qtbot, small)
    told = wait_for_row(qtbot, sam, "Jordan messaged me")
    shows(qtbot, "Sam's row", lambda: row_words(sam, told.id),
          "Heads-up by Alex: Jordan messaged me. I did not reply · told")  # fmt: skip
    choose_text(page(sam, TimelinePage).kind_filter, "Disclosures")
    assert timeline_rows(sam) == []  # counted apart: not among the disclosures
    choose_text(page(sam, TimelinePage).kind_filter, "Heads-ups")
    assert [e.id for e in timeline_rows(sam)] == [told.id]
