"""Questions in two app windows: Sam asks on the Questions page, Alex answers from it, and both
pages show the same question, its answer and how long it waited."""

from pathlib import Path
from typing import Any

import pytest

from tests.ui.crossing_helpers import (
    choose,
    click,
    go_to,
    open_dialog,
    paired_couple,
    row_words,
    save,
    sharing_of,
    shows,
    type_into,
    wait_for_row,
)
from ui.dialogs.entry_dialogs import DisclosureDialog, QuestionDialog
from ui.main_window import MainWindow
from ui.pages.questions_page import QuestionsPage
from ui.pages.timeline_page import TimelinePage

ASKED = "Did you see them after March?"


def listed(window: MainWindow) -> str:
    found = window.page(QuestionsPage)
    assert isinstance(found, QuestionsPage)
    return "\n".join(found.list.item(i).text() for i in range(found.list.count()))


@pytest.mark.crossing("add", face="app")
def test_a_question_asked_in_one_window_is_answered_in_the_other(
    tmp_path: Path, qtbot: Any
) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    sams = go_to(qtbot, sam, QuestionsPage)
    click(qtbot, sams.ask_button)
    ask = open_dialog(sam, QuestionDialog)
    type_into(qtbot, ask.text, ASKED)
    choose(ask.setting, "for_session")
    save(qtbot, ask)
    sams.list.setCurrentRow(0)
    assert not sams.answer_button.isEnabled()  # one does not answer one's own question

    alexs = go_to(qtbot, alex, QuestionsPage)
    shows(qtbot, "Alex's Questions page", lambda: listed(alex),
          f"Sam asked (for our session) · asked today\n{ASKED}")  # fmt: skip
    assert alexs.summary.text() == "Waiting: 1 question from Sam for you."
    alexs.list.setCurrentRow(0)
    click(qtbot, alexs.answer_button)
    answer = open_dialog(alex, DisclosureDialog)
    assert answer.question.text() == f"Your answer to Sam's question: “{ASKED}”"
    type_into(qtbot, answer.title, "Once, in April")
    save(qtbot, answer)

    answered = f"You asked (for our session) · answered the same day\n{ASKED}"
    shows(
        qtbot,
        "Sam's Questions page",
        lambda: listed(sam),
        answered + "\n    Answer: Once, in April",
    )
    assert sams.summary.text() == "Every question has an answer."
    go_to(qtbot, sam, TimelinePage)
    told = wait_for_row(qtbot, sam, "Once, in April")
    assert "An answer · Happened" in row_words(sam, told.id)
    reading = sharing_of(qtbot, sam, told.id)
    assert f"In answer to your question: “{ASKED}”" in reading.summary.text()
    reading.reject()
    shows(
        qtbot,
        "Alex's Questions page",
        lambda: listed(alex),
        "Sam asked (for our session) · answered",
    )
