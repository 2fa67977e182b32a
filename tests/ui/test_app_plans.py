"""The Plans page in two real windows: the crossings of :meth:`Actions.propose_plan`,
:meth:`Actions.change_plan`, :meth:`Actions.step_down` and :meth:`Actions.write_plan_needs` for
the face ``app``. Each step is done through the page's buttons in one window and read off the
other window's page. The plan starts 40 days ago, so its first step is already due."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPlainTextEdit
from shiboken6 import isValid

from tests.ui.crossing_helpers import (
    answer_next_box,
    click,
    go_to,
    open_dialog,
    paired_couple,
    row_menu,
    row_words,
    shows,
    type_into,
)
from ui.dialogs.plan_dialogs import NeedsDialog, PlanDialog, StepDownDialog
from ui.main_window import MainWindow
from ui.pages.plans_page import PlansPage
from ui.widgets.basics import friendly_day

TITLE = "Phones, winding down"


def _save(qtbot, dialog: PlanDialog | NeedsDialog | StepDownDialog) -> None:
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible())  # closed, or deleted


def _type_lines(qtbot, field: QPlainTextEdit, lines: list[str]) -> None:
    """Type each line, then Enter, as a person fills the steps box."""
    type_into(qtbot, field, lines[0])
    for line in lines[1:]:
        qtbot.keyClick(field, Qt.Key.Key_Return)
        qtbot.keyClicks(field, line)


def _plans(qtbot, window: MainWindow) -> PlansPage:
    plans = go_to(qtbot, window, PlansPage)
    shows(qtbot, "the Plans page", plans.heading.text, TITLE)
    return plans


@pytest.mark.crossing(
    "propose_plan", "change_plan", "step_down", "write_plan_needs", "delete", face="app"
)
def test_a_plan_is_proposed_accepted_stepped_down_and_changed_in_both_windows(
    tmp_path: Path, qtbot
) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    today = date.today()
    weekly_until = (today + timedelta(days=30)).isoformat()
    click(qtbot, go_to(qtbot, alex, PlansPage).new_button)
    dialog = open_dialog(alex, PlanDialog)
    type_into(qtbot, dialog.title, TITLE)
    type_into(qtbot, dialog.starts, (today - timedelta(days=40)).isoformat())
    type_into(qtbot, dialog.ends, (today + timedelta(days=120)).isoformat())
    _type_lines(qtbot, dialog.steps, ["Phones open daily @ 4w", "Weekly", "On request"])
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    shows(qtbot, "Alex's plan dialog", dialog.error.text, "step 2 needs a date or a duration")
    _type_lines(
        qtbot, dialog.steps, ["Phones open daily @ 4w", f"Weekly @ {weekly_until}", "On request"]
    )
    _save(qtbot, dialog)

    sams, alexs = _plans(qtbot, sam), _plans(qtbot, alex)
    shows(qtbot, "Sam's Plans page", sams.acceptance.text, "Alex proposed this plan")
    assert sams.status_line.text().startswith("Proposed")
    assert not sams.step_button.isEnabled()  # nothing steps down before both accept
    click(qtbot, sams.accept_button)
    shows(qtbot, "Alex's Plans page", alexs.acceptance.text, "Sam accepted it")
    click(qtbot, alexs.accept_button)
    shows(qtbot, "Sam's Plans page", sams.status_line.text, "In force")
    shows(qtbot, "Sam's Plans page", sams.timeline.text, "now: 1. Phones open daily")

    click(qtbot, sams.needs_button)
    needs = open_dialog(sam, NeedsDialog)
    type_into(qtbot, needs.text, "To be told first, before I find out another way")
    _save(qtbot, needs)
    shows(qtbot, "Alex's Plans page", alexs.prompts.text, "Sam has written what they need")
    assert "Sam needs: To be told first" in alexs.needs.text()
    shows(qtbot, "Sam's Plans page", sams.prompts.text, "Alex has not added theirs yet")

    shows(qtbot, "Alex's Plans page", alexs.status_line.text, "In force")
    click(qtbot, alexs.step_button)
    step = open_dialog(alex, StepDownDialog)
    type_into(qtbot, step.note, "Sunday evenings, as we said")
    _save(qtbot, step)
    shows(qtbot, "Sam's Plans page", sams.step_downs.text, "Alex stepped down to “Weekly” on")
    assert "“Sunday evenings, as we said”" in sams.step_downs.text()
    shows(qtbot, "Sam's Plans page", sams.timeline.text, "now: 2. Weekly")
    assert "done: 1. Phones open daily" in sams.timeline.text()

    click(qtbot, sams.change_button)
    change = open_dialog(sam, PlanDialog)
    sooner = (today + timedelta(days=20)).isoformat()
    _type_lines(qtbot, change.steps, ["Phones open daily @ 4w", f"Weekly @ {sooner}", "On request"])
    _save(qtbot, change)
    shows(qtbot, "Alex's Plans page", alexs.acceptance.text, "Sam proposed a change")
    assert "the plan stays as it was" in alexs.acceptance.text()
    assert weekly_until[:4] in alexs.timeline.text()  # the schedule in force is unchanged
    click(qtbot, alexs.accept_button)
    shows(qtbot, "Sam's Plans page", sams.acceptance.text, "Alex accepted it")
    click(qtbot, sams.accept_button)
    for shown, who in ((alexs, "Alex's"), (sams, "Sam's")):
        shows(qtbot, f"{who} Plans page", shown.acceptance.text, "You both accepted")
        assert f"until {friendly_day(sooner)}" in shown.timeline.text()

    # Alex deletes the plan from the timeline's row menu: Sam's step-down and needs go with it.
    plan = alexs.current()
    sams_needs = sams.current()
    assert plan is not None and sams_needs is not None
    [need] = sams_needs.needs
    answer_next_box(qtbot, "Delete")
    row_menu(qtbot, alex, plan.entry.id, "Delete…")
    shows(qtbot, "Sam's Plans page", lambda: str(len(sams.view.plans)), "0")
    shows(qtbot, "Alex's timeline row", lambda: row_words(alex, need.entry.id), "was deleted")
    assert "To be told first" not in row_words(alex, need.entry.id)
    assert sam.bridge.queries is not None
    assert sam.bridge.queries.entry(need.entry.id).visibility == "private"  # Sam's own, kept
