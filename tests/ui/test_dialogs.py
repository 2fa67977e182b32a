"""Entry dialogs: each kind saved through its dialog into a real vault; bad input shows the field
error beside the form and stores nothing; edits make revisions only when something changed."""

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from tests.ui.crossing_helpers import WAIT, answer_next_box, new_entry
from tests.ui.shell_helpers import create_vault, make_window, unlock
from trustvault.actions import Actions
from trustvault.vault import Vault
from ui.bridge import VaultBridge
from ui.dialogs.entry_dialogs import (
    AgreementDialog,
    CheckinDialog,
    DisclosureDialog,
    MilestoneDialog,
    dialog_for,
)
from ui.dialogs.event_dialog import EventDialog
from ui.widgets.entry_form import EntryDialog


@pytest.fixture
def bridge(vault: Vault) -> Iterator[VaultBridge]:
    b = VaultBridge()
    b.open_vault(Actions(vault))
    yield b
    b.wait_idle()
    QApplication.processEvents()


def save_and_wait(qtbot: Any, dialog: EntryDialog) -> None:
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=5000)


def settle(bridge: VaultBridge) -> None:
    for _ in range(3):
        bridge.wait_idle()
        QApplication.processEvents()


def fill_disclosure(d: Any) -> None:
    d.title.setText("I met Jordan for coffee")
    d.body.setPlainText("It was in March, after work. I should have told you then.")
    d.occurred.edit.setDateTime(QDateTime(QDate(2026, 3, 12), QTime(17, 30)))
    d.occurred.with_time.setChecked(True)
    d.approximate.setChecked(True)
    d.category.setEditText("contact")


def fill_event(d: Any) -> None:
    d.title.setText("Dinner at Lucia's")
    d.start.setDateTime(QDateTime(QDate(2026, 11, 6), QTime(19, 0)))
    d.end.setDateTime(QDateTime(QDate(2026, 11, 6), QTime(21, 0)))
    d.event_kind.setCurrentIndex(d.event_kind.findData("date_night"))
    d.location.setText("Lucia's")
    d.repeat.set_value("")


def fill_agreement(d: Any) -> None:
    d.title.setText("Phones stay open")
    d.text.setPlainText("We keep our phones open to each other.")
    d.review.set_value("2027-02-01")


def fill_checkin(d: Any) -> None:
    d.fields.mood.set_value(7)
    d.fields.safety.set_value(4)
    d.fields.feelings.chips["hopeful"].setChecked(True)
    d.fields.feelings.other.setText("tender")
    d.fields.note.setPlainText("Talked for an hour without it turning into a fight.")


def fill_milestone(d: Any) -> None:
    d.title.setText("Our first weekend away")
    d.reached.set_value("2026-10-24")
    d.note.setPlainText("The lake house.")


EXPECTED: dict[str, tuple[Callable[[Any], None], dict[str, Any]]] = {
    "disclosure": (
        fill_disclosure,
        {
            "title": "I met Jordan for coffee",
            "occurred_on": "2026-03-12T17:30",
            "approximate": True,
            "category": "contact",
        },
    ),
    "event": (
        fill_event,
        {
            "title": "Dinner at Lucia's",
            "start": "2026-11-06T19:00",
            "end": "2026-11-06T21:00",
            "event_kind": "date_night",
            "rrule": "",
        },
    ),
    "agreement": (
        fill_agreement,
        {"title": "Phones stay open", "review_on": "2027-02-01", "version": 1},
    ),
    "checkin": (
        fill_checkin,
        {"mood": 7, "safety": 4, "feelings": ["hopeful", "tender"]},
    ),
    "milestone": (
        fill_milestone,
        {"title": "Our first weekend away", "done_at": "2026-10-24", "due_on": ""},
    ),
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_each_kind_is_saved_through_its_dialog(
    qtbot: Any, bridge: VaultBridge, vault: Vault, kind: str
) -> None:
    dialog = dialog_for(kind, bridge)
    qtbot.addWidget(dialog)
    dialog.show()
    fill, expected = EXPECTED[kind]
    fill(dialog)
    saved: list[Any] = []
    dialog.saved.connect(saved.append)
    save_and_wait(qtbot, dialog)
    settle(bridge)
    [entry] = vault.entries.all(kind)
    assert saved and saved[0].id == entry.id
    for field, value in expected.items():
        assert entry.fields[field] == value, field
    if kind == "disclosure":  # told now, by the vault's clock
        assert entry.fields["disclosed_at"].startswith("2026-11-01T09:00")
    shared = "private" if kind == "checkin" else "shared"
    assert entry.visibility == shared


def test_visibility_choice_is_stored(qtbot: Any, bridge: VaultBridge, vault: Vault) -> None:
    dialog = DisclosureDialog(bridge)
    qtbot.addWidget(dialog)
    fill_disclosure(dialog)
    assert dialog.visibility is not None
    dialog.visibility.set_value("private")
    save_and_wait(qtbot, dialog)
    assert vault.entries.all("disclosure")[0].visibility == "private"


@pytest.mark.parametrize(
    ("make", "spoil", "field", "words"),
    [
        (DisclosureDialog, lambda d: (fill_disclosure(d), d.title.setText("  ")), "title", "empty"),
        (
            EventDialog,
            lambda d: (
                fill_event(d),
                d.end.setDateTime(QDateTime(QDate(2026, 11, 6), QTime(18, 0))),
            ),
            "end",
            "before the start",
        ),
        (
            EventDialog,
            lambda d: (
                fill_event(d),
                d.repeat.combo.setCurrentIndex(len(d.repeat.CHOICES) - 1),
                d.repeat.custom.setText("EVERY TUESDAY"),
            ),
            "rrule",
            "not a valid",
        ),
        (AgreementDialog, lambda d: (fill_agreement(d), d.text.setPlainText("")), "text", "empty"),
        (
            CheckinDialog,
            lambda d: (fill_checkin(d), d.fields.feelings.other.setText("x" * 61)),
            "feelings",
            "longer than 60",
        ),
        (MilestoneDialog, lambda d: d.note.setPlainText("no title"), "title", "empty"),
    ],
)
def test_invalid_input_shows_the_field_error_and_stores_nothing(
    qtbot: Any,
    bridge: VaultBridge,
    vault: Vault,
    make: type[EntryDialog],
    spoil: Callable[[Any], Any],
    field: str,
    words: str,
) -> None:
    dialog = make(bridge)
    qtbot.addWidget(dialog)
    dialog.show()
    spoil(dialog)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    settle(bridge)
    assert words in dialog.field_error(field)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert vault.entries.count() == 0
    # fixing the field clears the message and saves
    EXPECTED[make.kind][0](dialog)
    save_and_wait(qtbot, dialog)
    assert dialog.field_error(field) == ""
    assert vault.entries.count() == 1


def test_event_preset_fills_a_weekly_date_night(
    qtbot: Any, bridge: VaultBridge, vault: Vault
) -> None:
    dialog = EventDialog(bridge, day=date(2026, 11, 2))  # a Monday
    qtbot.addWidget(dialog)
    dialog.preset.setCurrentIndex(1)
    assert dialog.preset.currentText() == "Weekly date night"
    save_and_wait(qtbot, dialog)
    [event] = vault.entries.all("event")
    assert event.fields["start"] == "2026-11-06T19:00"  # the Friday after
    assert event.fields["end"] == "2026-11-06T21:30"
    assert event.fields["rrule"] == "FREQ=WEEKLY"
    assert event.fields["event_kind"] == "date_night"


def test_therapy_preset_keeps_the_chosen_day(qtbot: Any, bridge: VaultBridge) -> None:
    dialog = EventDialog(bridge, day=date(2026, 11, 4))
    qtbot.addWidget(dialog)
    dialog.preset.setCurrentIndex(3)
    raw = dialog.raw()
    assert (raw["start"], raw["end"], raw["event_kind"]) == (
        "2026-11-04T17:00",
        "2026-11-04T17:50",
        "therapy",
    )


def test_editing_makes_a_revision_and_a_new_agreement_version(
    qtbot: Any, bridge: VaultBridge, vault: Vault
) -> None:
    entry = vault.entries.add("agreement", {"title": "Phones", "text": "Open to each other."})
    dialog = dialog_for("agreement", bridge, entry)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Edit agreement" and dialog.visibility is None
    assert dialog.text.toPlainText() == "Open to each other."
    dialog.text.setPlainText("Open to each other, always.")
    save_and_wait(qtbot, dialog)
    after = vault.entries.get(entry.id)
    assert after.revision == 2 and after.fields["version"] == 2
    assert after.fields["text"] == "Open to each other, always."


def test_saving_an_untouched_edit_changes_nothing(
    qtbot: Any, bridge: VaultBridge, vault: Vault
) -> None:
    """Times stored in UTC (from an import) are shown in local time; saving must not rewrite
    them, or every look at an event would record an edit nobody made."""
    entry = vault.entries.add(
        "event",
        {"title": "Session", "start": "2026-11-06T18:00:30Z", "end": "2026-11-06T19:00Z"},
    )
    dialog = EventDialog(bridge, entry)
    qtbot.addWidget(dialog)
    save_and_wait(qtbot, dialog)
    after = vault.entries.get(entry.id)
    assert after.revision == 1
    assert after.fields == entry.fields


def test_a_failed_write_keeps_the_dialog_open_with_the_message(
    qtbot: Any, bridge: VaultBridge, vault: Vault
) -> None:
    dialog = MilestoneDialog(bridge)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_milestone(dialog)
    bridge.lock()
    dialog.save()
    assert "locked" in dialog.error_label.text()
    assert dialog.isVisible()
    assert dialog.buttons.isEnabled()


def test_escape_on_a_written_draft_asks_before_discarding(tmp_path: Path, qtbot) -> None:
    """Esc on an untouched editor closes it; on a draft it asks, and 'Cancel' keeps writing;
    'Discard' closes without saving anything."""
    window = make_window(tmp_path, qtbot)
    create_vault(window.folder)
    window.show_gate()
    vault = unlock(window, qtbot)
    untouched = new_entry(window, "Milestone")
    qtbot.keyClick(untouched, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not untouched.isVisible(), timeout=WAIT)

    draft = new_entry(window, "Disclosure")
    qtbot.keyClicks(draft.title, "What I never said")
    answer_next_box(qtbot, "Cancel")
    qtbot.keyClick(draft, Qt.Key.Key_Escape)
    assert draft.isVisible() and draft.title.text() == "What I never said"
    answer_next_box(qtbot, "Discard")
    qtbot.keyClick(draft, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not draft.isVisible(), timeout=WAIT)
    assert vault.entries.count() == 0
