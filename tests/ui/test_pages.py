"""Calendar, Agreements, Check-ins and Progress pages against a real vault, offscreen."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from tests.helpers import remember_partner
from trustvault import agreements
from trustvault.actions import Actions
from trustvault.entries.model import Entry
from trustvault.ids import new_id
from trustvault.storage import social_store
from trustvault.vault import Vault
from ui.bridge import VaultBridge
from ui.dialogs.calendar_file_dialogs import ImportChoice
from ui.pages.agreements_page import AgreementsPage
from ui.pages.calendar_page import CalendarPage
from ui.pages.checkins_page import CheckinsPage
from ui.pages.progress_page import ProgressPage
from ui.widgets.month_grid import OCCURRENCES_ROLE

PARTNER = "b" * 32
SECRET = "Zanzibar lighthouse"


@pytest.fixture
def bridge() -> Iterator[VaultBridge]:
    b = VaultBridge()
    yield b
    b.shutdown()
    QApplication.processEvents()


def settle(bridge: VaultBridge) -> None:
    """Let queued reads and writes finish and their results reach the widgets."""
    for _ in range(4):
        bridge.wait_idle()
        QApplication.processEvents()


def _accepts(vault: Vault, entry: Entry, person: str, at: str) -> None:
    """An acceptance as stored (the partner's arrives by sync; here it is written directly)."""
    digest = agreements.version_digest(entry.fields)
    social_store.add_acceptance(vault.conn, entry.id, digest, person, at)


def open_page(qtbot: Any, cls: type[QWidget], bridge: VaultBridge, vault: Vault) -> Any:
    page = cls(bridge)  # type: ignore[call-arg]
    qtbot.addWidget(page)
    page.resize(1000, 760)
    page.show()
    bridge.open_vault(Actions(vault))
    settle(bridge)
    return page


def readable_text(root: QWidget) -> str:
    """Everything a person (or a screen reader) could read in ``root``, models included."""
    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        out.append(w.accessibleName() + " " + w.accessibleDescription() + " " + w.toolTip())
        if isinstance(w, QLabel | QLineEdit | QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QTextEdit | QPlainTextEdit):
            out.append(w.toPlainText())
        elif isinstance(w, QComboBox):
            out.extend(w.itemText(i) for i in range(w.count()))
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model, whose columnCount is private
                columns = 1
            for r in range(model.rowCount(QModelIndex())):
                for c in range(columns):
                    index = model.index(r, c)
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        out.append(str(model.data(index, role) or ""))
    return "\n".join(out)


# -- calendar ----------------------------------------------------------------------------------


def test_calendar_shows_a_weekly_event_on_every_week_of_the_month(
    qtbot: Any, bridge: VaultBridge, vault: Vault
) -> None:
    vault.entries.add(
        "event",
        {
            "title": "Date night",
            "start": "2026-10-02T19:00",
            "end": "2026-10-02T21:30",
            "event_kind": "date_night",
            "rrule": "FREQ=WEEKLY",
        },
    )
    page = open_page(qtbot, CalendarPage, bridge, vault)
    assert page.month_label.text() == "November 2026"  # the vault clock's month
    fridays = [date(2026, 11, d) for d in (6, 13, 20, 27)]
    for day in fridays:
        text = page.model.data(page.model.index_of(day))
        assert "19:00\u201321:30 Date night" in text, day
    assert "Date night" not in page.model.data(page.model.index_of(date(2026, 11, 7)))
    page.show_day(date(2026, 11, 13))
    assert page.agenda.count() == 1
    assert "Date night" in page.agenda.item(0).text()
    page.step_month(1)
    settle(bridge)
    assert page.month_label.text() == "December 2026"
    assert len(page.model.data(page.model.index_of(date(2026, 12, 4)), OCCURRENCES_ROLE)) == 1


def test_calendar_exports_neutral_titles_and_imports_a_file(
    qtbot: Any, bridge: VaultBridge, vault: Vault, tmp_path: Path
) -> None:
    vault.entries.add(
        "event",
        {"title": f"Therapy: {SECRET}", "start": "2026-11-04T17:00", "end": "2026-11-04T17:50"},
    )
    page = open_page(qtbot, CalendarPage, bridge, vault)
    out = tmp_path / "ours.ics"
    page.export_to(out, neutral_titles=True)
    settle(bridge)
    data = out.read_bytes()
    assert b"SUMMARY:Appointment" in data and SECRET.encode() not in data
    assert "Exported 1 event with neutral titles" in page.message_text()

    incoming = tmp_path / "shared.ics"
    incoming.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:walk-1@example\r\nDTSTAMP:20261101T090000Z\r\nDTSTART:20261118T080000\r\n"
        b"DTEND:20261118T090000\r\nSUMMARY:Morning walk\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    page.import_from(incoming)
    settle(bridge)
    choice = [d for d in page.findChildren(ImportChoice) if d.isVisible()]
    assert len(choice) == 1 and "shared.ics has 1 new event." in choice[0].findChild(QLabel).text()
    choice[0].reject()  # closing the dialog imports nothing
    settle(bridge)
    assert page.message_text() == "Nothing was imported from shared.ics."
    assert vault.entries.count("event") == 1
    page.import_from(incoming)
    settle(bridge)
    [choice] = [d for d in page.findChildren(ImportChoice) if d.isVisible()]
    qtbot.mouseClick(choice.keep_private, Qt.MouseButton.LeftButton)
    settle(bridge)
    assert "Added 1 event (private) from shared.ics" in page.message_text()
    assert "Morning walk" in page.model.data(page.model.index_of(date(2026, 11, 18)))
    page.import_from(incoming)
    settle(bridge)  # nothing new: no question, only the answer
    assert "Added 0 events" in page.message_text() and "already" in page.message_text()
    assert vault.entries.count("event") == 2
    assert {e.visibility for e in vault.entries.all("event")} == {"shared", "private"}


def test_calendar_import_of_a_bad_file_explains_and_stores_nothing(
    qtbot: Any, bridge: VaultBridge, vault: Vault, tmp_path: Path
) -> None:
    page = open_page(qtbot, CalendarPage, bridge, vault)
    bad = tmp_path / "notes.ics"
    bad.write_bytes(b"this is not a calendar")
    page.import_from(bad)
    settle(bridge)
    assert "notes.ics" in page.message_text() and "nothing was imported" in page.message_text()
    assert page.message.property("role") == "error"
    page.import_from(tmp_path / "missing.ics")
    settle(bridge)
    assert "Could not read" in page.message_text()
    assert vault.entries.count() == 0


# -- agreements --------------------------------------------------------------------------------


def test_accepting_puts_an_agreement_in_force(
    qtbot: Any, bridge: VaultBridge, vault: Vault
) -> None:
    remember_partner(vault, PARTNER)
    entry = vault.entries.add("agreement", {"title": "Phones open", "text": "We keep them open."})
    _accepts(vault, entry, PARTNER, "2026-10-30T10:00:00Z")
    page = open_page(qtbot, AgreementsPage, bridge, vault)
    bridge.set_partner_names({PARTNER: "Sam"})
    page.refresh()
    settle(bridge)
    assert page.list.item(0).text() == "Phones open\nProposed"
    assert "Sam accepted" in page.acceptance.text()
    assert "Waiting for you" in page.acceptance.text()
    assert page.accept_button.isEnabled()
    qtbot.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    settle(bridge)
    assert page.list.item(0).text() == "Phones open\nIn force"
    assert agreements.status_of(vault, entry, date(2026, 11, 1)) == agreements.IN_FORCE
    assert not page.accept_button.isEnabled()
    assert page.accept_button.text() == "You accepted this version"


def test_a_passed_review_date_shows_a_reminder_and_versions_show_their_changes(
    qtbot: Any, bridge: VaultBridge, vault: Vault
) -> None:
    remember_partner(vault, PARTNER)
    entry = vault.entries.add(
        "agreement",
        {"title": "Check in weekly", "text": "Every Sunday evening.", "review_on": "2026-10-15"},
    )
    entry = vault.entries.edit(entry.id, {"text": "Every Sunday evening, phones away."})
    for person in (PARTNER, vault.device_id):
        _accepts(vault, entry, person, "2026-10-01T10:00:00Z")
    page = open_page(qtbot, AgreementsPage, bridge, vault)
    assert page.list.item(0).text().endswith("Due for review")
    assert "Check in weekly" in page.reminder.text()
    assert "has come" in page.due_notice.text()
    assert page.diff.newer.currentText().startswith("version 2")
    assert page.diff.older.currentText().startswith("version 1")
    html = page.diff.view.toHtml()
    assert "phones away" in html and "underline" in html
    assert "3 words added, 0 removed" in page.diff.summary.text()


# -- check-ins and progress --------------------------------------------------------------------


def test_checkin_chart_has_a_point_per_checkin_and_the_form_saves(
    qtbot: Any, bridge: VaultBridge, vault: Vault, clock: Any
) -> None:
    for mood, safety in ((3, 2), (5, 4), (6, 6)):
        vault.entries.add("checkin", {"mood": mood, "safety": safety})
        clock.advance(days=1)
    page = open_page(qtbot, CheckinsPage, bridge, vault)
    assert page.chart.point_count() == 6
    mood, safety = page.chart.series()
    assert [v for _, v in mood.points] == [3, 5, 6]
    assert [v for _, v in safety.points] == [2, 4, 6]
    assert "3 check-ins so far" in page.summary.text()
    page.fields.mood.set_value(8)
    page.fields.feelings.chips["grateful"].setChecked(True)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(bridge)
    assert vault.entries.count("checkin") == 4
    assert page.chart.point_count() == 8
    assert page.message.text() == "Saved. Thank you for checking in."
    assert page.fields.mood.value() == 5  # the form is fresh again
    newest = vault.entries.page(1, kind="checkin")[0]
    assert newest.fields["mood"] == 8 and newest.fields["feelings"] == ["grateful"]


def test_checkin_form_shows_a_field_error_and_stores_nothing(
    qtbot: Any, bridge: VaultBridge, vault: Vault
) -> None:
    page = open_page(qtbot, CheckinsPage, bridge, vault)
    page.fields.feelings.other.setText("y" * 70)
    page.save()
    settle(bridge)
    assert "longer than 60" in page.fields.errors["feelings"].text()
    assert vault.entries.count() == 0


def test_progress_celebrates_what_was_done(
    qtbot: Any, bridge: VaultBridge, vault: Vault, clock: Any
) -> None:
    remember_partner(vault, PARTNER)
    for disclosed, occurred in (("2026-08-10", "2026-06-10"), ("2026-10-20", "2026-10-17")):
        vault.entries.add(
            "disclosure",
            {"title": "Told", "occurred_on": occurred, "disclosed_at": disclosed + "T12:00Z"},
        )
    vault.entries.add("milestone", {"title": "First weekend away", "done_at": "2026-10-24"})
    vault.entries.add("milestone", {"title": "Meet the counsellor's goal", "due_on": "2027-01-01"})
    entry = vault.entries.add("agreement", {"title": "Phones", "text": "Open."})
    for person in (PARTNER, vault.device_id):
        _accepts(vault, entry, person, "2026-10-01T10:00:00Z")
    for _ in range(3):
        vault.entries.add("checkin", {"mood": 6, "safety": 6})
        clock.advance(days=1)
    page = open_page(qtbot, ProgressPage, bridge, vault)
    assert page.streak.headline.text() == "3 days in a row"
    assert page.latency.headline.text() == "About 3 days lately"
    assert "61 days" in page.latency.detail.text() and "sooner" in page.latency.detail.text()
    assert page.agreements.headline.text() == "1 in force"
    assert page.milestones.headline.text() == "1 reached"
    assert "First weekend away" in page.reached.text()
    assert page.chart.point_count() == 2


# -- locking -----------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [CalendarPage, AgreementsPage, CheckinsPage, ProgressPage])
def test_locking_clears_every_decrypted_word(
    qtbot: Any, bridge: VaultBridge, vault: Vault, cls: type[QWidget]
) -> None:
    remember_partner(vault, PARTNER)
    vault.entries.add(
        "event",
        {"title": SECRET, "start": "2026-11-05T18:00", "end": "2026-11-05T19:00"},
    )
    vault.entries.add("agreement", {"title": SECRET, "text": f"{SECRET} text"})
    vault.entries.add("milestone", {"title": SECRET, "done_at": "2026-10-30"})
    vault.entries.add("checkin", {"mood": 4, "safety": 7, "note": SECRET})
    page = open_page(qtbot, cls, bridge, vault)
    if isinstance(page, CalendarPage):
        page.show_day(date(2026, 11, 5))
    if isinstance(page, CheckinsPage):
        page.fields.note.setPlainText(f"typing {SECRET}")
        assert page.chart.point_count() == 2
    assert SECRET in readable_text(page)
    bridge.lock()
    settle(bridge)
    assert SECRET not in readable_text(page)
    if isinstance(page, CheckinsPage | ProgressPage):
        assert page.chart.point_count() == 0


def test_checkin_chart_keeps_each_partners_line_apart(
    qtbot: Any, bridge: VaultBridge, vault: Vault
) -> None:
    vault.entries.add("checkin", {"mood": 3, "safety": 3})
    when = "2026-10-31T20:00:00Z"
    theirs = Entry(new_id(), "checkin", PARTNER, when, when, "shared",
                   {"mood": 9, "safety": 8, "feelings": [], "note": ""}, 1, PARTNER)  # fmt: skip
    vault.entries.insert_entry(theirs)
    page = open_page(qtbot, CheckinsPage, bridge, vault)
    bridge.set_partner_names({PARTNER: "Sam"})
    page.refresh()
    settle(bridge)
    assert [page.whose.itemText(i) for i in range(page.whose.count())] == [
        "My check-ins",
        "Sam's",
    ]
    assert [v for _, v in page.chart.series()[0].points] == [3]
    page.whose.setCurrentIndex(1)
    assert [v for _, v in page.chart.series()[0].points] == [9]
