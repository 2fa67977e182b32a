"""The vault's own actions, done in Alex's window, and what Sam's window shows afterwards.

Creating and unlocking through the wizard and the unlock screen, remembering and forgetting the
key (an in-memory keychain, never a file), changing the passphrase, and calendar files. None of
these is sent to the partner by itself; what must cross is everything written afterwards, and
what the vault holds (the name Sam sees, the events Sam exports).
"""

import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QPushButton, QStyle, QStyleOptionButton

from tests.helpers import PASSPHRASE, MemoryKeyring
from tests.ui.crossing_helpers import (
    WAIT,
    answer_next_box,
    choose,
    click,
    go_to,
    new_entry,
    open_dialog,
    page,
    pair,
    paired_couple,
    row_titled,
    row_words,
    save,
    send_at_once,
    share_new,
    shows,
    type_into,
    wait_for_row,
)
from tests.ui.shell_helpers import make_window
from trustvault.errors import CorruptFile, WrongPassphrase
from trustvault.vault import Vault
from ui.dialogs.calendar_file_dialogs import ImportChoice
from ui.dialogs.change_passphrase import DONE_REKEYED, ChangePassphraseDialog
from ui.dialogs.export_data import export_to
from ui.dialogs.preferences import PreferencesDialog
from ui.main_window import MainWindow
from ui.pages.calendar_page import CalendarPage
from ui.pages.partner_page import PartnerPage
from ui.pages.timeline_page import TimelinePage
from ui.unlock import UnlockScreen
from ui.wizard import SetupWizard

NEW_PASSPHRASE = "lantern orchard pebble willow"


def _window(tmp_path: Path, qtbot, name: str, settings: str = "") -> MainWindow:
    """A window on ``name``'s vault folder, syncing every 150 ms once paired."""
    folder = tmp_path / name.lower()
    window = make_window(tmp_path / (settings or name[0].lower()), qtbot, folder)
    window.bridge.enable_sync(150)
    return window


def _lock(qtbot, window: MainWindow) -> UnlockScreen:
    """The sidebar's Lock button; returns the unlock screen that replaces the pages."""
    lock = next(b for b in window.findChildren(QPushButton) if b.text() == "Lock")
    click(qtbot, lock)
    assert not window.bridge.is_unlocked
    return _unlock_screen(window)


def _unlock_screen(window: MainWindow) -> UnlockScreen:
    screen = window.gate
    assert isinstance(screen, UnlockScreen) and screen.isVisible()
    return screen


def _unlock(qtbot, window: MainWindow, passphrase: str, *, press_enter: bool) -> None:
    screen = _unlock_screen(window)
    type_into(qtbot, screen.passphrase, passphrase)
    if press_enter:
        qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    else:
        click(qtbot, screen.unlock_button)
    qtbot.waitUntil(lambda: window.bridge.is_unlocked, timeout=WAIT)


def _tick(qtbot, box: QCheckBox, on: bool) -> None:
    """Click the check box's square (its middle may be empty space beside a short label)."""
    assert box.isVisible() and box.isChecked() != on
    option = QStyleOptionButton()
    option.initFrom(box)
    square = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=square.center())
    assert box.isChecked() == on


def _menu_item(window: MainWindow, text: str) -> None:
    vault_menu = window.menuBar().actions()[0].menu()
    next(a for a in vault_menu.actions() if a.text() == text).trigger()  # type: ignore[union-attr]


# -- create and unlock ---------------------------------------------------------------------


def _create_in_wizard(qtbot, window: MainWindow, name: str) -> None:
    wizard = window.gate
    assert isinstance(wizard, SetupWizard) and wizard.isVisible()
    assert wizard.next_button.text() == "I understand, continue"
    click(qtbot, wizard.next_button)
    type_into(qtbot, wizard.name, name)
    click(qtbot, wizard.next_button)
    type_into(qtbot, wizard.passphrase, PASSPHRASE)
    type_into(qtbot, wizard.repeat, PASSPHRASE)
    click(qtbot, wizard.next_button)
    assert wizard.folder.text() == str(window.folder)
    assert wizard.next_button.text() == "Create my vault"
    click(qtbot, wizard.next_button)
    qtbot.waitUntil(lambda: window.bridge.is_unlocked, timeout=WAIT)
    assert window.windowTitle() == f"TrustVault — {name}"


@pytest.mark.crossing("create", "unlock", face="app")
def test_vaults_made_in_the_wizard_pair_and_keep_syncing_after_unlock(
    tmp_path: Path, qtbot
) -> None:
    """The name typed in Alex's wizard is the one Sam's window shows; after both lock and
    unlock on the unlock screen (Enter for Alex, the button for Sam), entries still cross."""
    alex, sam = _window(tmp_path, qtbot, "Alex"), _window(tmp_path, qtbot, "Sam")
    _create_in_wizard(qtbot, alex, "Alex")
    _create_in_wizard(qtbot, sam, "Sam")
    send_at_once(qtbot, alex)  # a new vault holds a share five minutes: not what this is about
    pair(qtbot, alex, sam, tmp_path / "sync")  # its headings name each other as typed
    go_to(qtbot, alex, TimelinePage)
    share_new(qtbot, alex, "Milestone", "Our vaults are made")
    first = wait_for_row(qtbot, sam, "Our vaults are made")
    assert row_words(sam, first.id).removeprefix("New. ").startswith("Milestone by Alex:")

    _lock(qtbot, alex)
    _lock(qtbot, sam)
    assert row_titled(sam, "Our vaults are made") is None  # locked: nothing left on screen
    _unlock(qtbot, alex, PASSPHRASE, press_enter=True)
    _unlock(qtbot, sam, PASSPHRASE, press_enter=False)
    assert row_titled(sam, "Our vaults are made") is not None
    share_new(qtbot, alex, "Milestone", "Unlocked again")
    wait_for_row(qtbot, sam, "Unlocked again")
    sams = go_to(qtbot, sam, PartnerPage)
    assert sams.partner_heading.text() == "You and Alex are connected"


# -- the key on this device ----------------------------------------------------------------


@pytest.mark.crossing("remember_key", "open_remembered", "forget_key", face="app")
def test_a_remembered_key_opens_unasked_until_forgotten(
    tmp_path: Path, qtbot, memory_keyring: MemoryKeyring
) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    screen = _lock(qtbot, alex)
    _tick(qtbot, screen.remember, True)  # "Remember on this device"
    _unlock(qtbot, alex, PASSPHRASE, press_enter=True)
    assert len(memory_keyring.items) == 1
    alex.close()

    again = _window(tmp_path, qtbot, "Alex", settings="a-again")  # the app started anew
    qtbot.waitUntil(lambda: again.bridge.is_unlocked, timeout=WAIT)  # nothing typed
    share_new(qtbot, again, "Milestone", "Opened without the passphrase")
    wait_for_row(qtbot, sam, "Opened without the passphrase")

    _menu_item(again, "Preferences…")
    preferences = open_dialog(again, PreferencesDialog)
    assert preferences.remember.isChecked()
    _tick(qtbot, preferences.remember, False)
    qtbot.waitUntil(lambda: not memory_keyring.items, timeout=WAIT)
    buttons = preferences.findChild(QDialogButtonBox)
    assert buttons is not None
    click(qtbot, buttons.button(QDialogButtonBox.StandardButton.Close))
    again.close()

    third = _window(tmp_path, qtbot, "Alex", settings="a-third")
    screen = _unlock_screen(third)  # the passphrase is asked again
    assert not third.bridge.is_unlocked and screen.saved_key_button.isHidden()
    _unlock(qtbot, third, PASSPHRASE, press_enter=True)
    share_new(qtbot, third, "Milestone", "Typed the passphrase again")
    wait_for_row(qtbot, sam, "Typed the passphrase again")
    assert not memory_keyring.items


@pytest.mark.crossing("change_passphrase", face="app")
def test_after_a_new_passphrase_the_partner_still_receives(tmp_path: Path, qtbot) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    number = page(sam, PartnerPage).safety_number.text()
    _menu_item(alex, "Change passphrase…")
    dialog = open_dialog(alex, ChangePassphraseDialog)
    type_into(qtbot, dialog.current, PASSPHRASE)
    type_into(qtbot, dialog.new, NEW_PASSPHRASE)
    type_into(qtbot, dialog.repeat, NEW_PASSPHRASE)
    click(qtbot, dialog.change_button)
    qtbot.waitUntil(lambda: dialog.done_note.isVisible(), timeout=WAIT)
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Close))

    screen = _lock(qtbot, alex)
    type_into(qtbot, screen.passphrase, PASSPHRASE)  # the old one no longer opens it
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.message.isVisible(), timeout=WAIT)
    assert not alex.bridge.is_unlocked
    assert screen.message.text() == WrongPassphrase().message
    _unlock(qtbot, alex, NEW_PASSPHRASE, press_enter=False)

    share_new(qtbot, alex, "Milestone", "A new lock, the same vault")
    wait_for_row(qtbot, sam, "A new lock, the same vault")
    sams = go_to(qtbot, sam, PartnerPage)
    assert sams.partner_heading.text() == "You and Alex are connected"
    assert sams.safety_number.text() == number  # the same keys: nothing to compare again


@pytest.mark.crossing("rekey", face="app")
def test_after_re_encrypting_old_key_files_open_nothing_and_sync_goes_on(
    tmp_path: Path, qtbot
) -> None:
    """The dialog's check box re-encrypts Alex's vault: a copy of the old key file with the old
    passphrase opens nothing current, and both windows keep exchanging entries with the same
    safety number (the pairing keys are inside the database, not the key file)."""
    alex, sam = paired_couple(tmp_path, qtbot)
    share_new(qtbot, alex, "Milestone", "Before the new key")
    wait_for_row(qtbot, sam, "Before the new key")
    number = page(sam, PartnerPage).safety_number.text()
    old_key_file = (alex.folder / "vault.key").read_bytes()  # a backup or a synced copy

    _menu_item(alex, "Change passphrase…")
    dialog = open_dialog(alex, ChangePassphraseDialog)
    _tick(qtbot, dialog.rekey, True)  # "My passphrase may be known to someone: ..."
    type_into(qtbot, dialog.current, PASSPHRASE)
    type_into(qtbot, dialog.new, NEW_PASSPHRASE)
    type_into(qtbot, dialog.repeat, NEW_PASSPHRASE)
    click(qtbot, dialog.change_button)
    qtbot.waitUntil(lambda: dialog.done_note.isVisible(), timeout=WAIT)
    assert dialog.done_note.text() == DONE_REKEYED
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Close))

    screen = _lock(qtbot, alex)
    assert alex.bridge.wait_idle()  # the database is closed once queued work is done
    stolen = tmp_path / "stolen"  # the current database beside the old key file
    stolen.mkdir()
    for path in alex.folder.iterdir():
        if path.name.startswith("vault.db"):
            (stolen / path.name).write_bytes(path.read_bytes())
    (stolen / "vault.key").write_bytes(old_key_file)
    with pytest.raises(CorruptFile):
        Vault.unlock(stolen, PASSPHRASE)
    type_into(qtbot, screen.passphrase, PASSPHRASE)  # nor does the old passphrase
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.message.isVisible(), timeout=WAIT)
    assert not alex.bridge.is_unlocked
    _unlock(qtbot, alex, NEW_PASSPHRASE, press_enter=False)

    assert row_titled(alex, "Before the new key") is not None  # nothing was lost
    share_new(qtbot, alex, "Milestone", "Under the new key")
    wait_for_row(qtbot, sam, "Under the new key")
    share_new(qtbot, sam, "Milestone", "Sam's reply")
    reply = wait_for_row(qtbot, alex, "Sam's reply")
    assert row_words(alex, reply.id).removeprefix("New. ").startswith("Milestone by Sam:")
    sams = go_to(qtbot, sam, PartnerPage)
    assert sams.partner_heading.text() == "You and Alex are connected"
    assert sams.safety_number.text() == number


# -- calendar files ------------------------------------------------------------------------

THERAPY_DAY = date(2026, 11, 12)
THERAPY_ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
    "UID:therapy-1112@example.org\r\nDTSTART;TZID=Europe/Paris:20261112T170000\r\n"
    "DTEND;TZID=Europe/Paris:20261112T175000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
    "SUMMARY:Couples therapy\r\nLOCATION:Dr Okafor's office\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:therapy-1112@example.org\r\n"
    "RECURRENCE-ID;TZID=Europe/Paris:20261119T170000\r\n"
    "DTSTART;TZID=Europe/Paris:20261120T090000\r\nDTEND;TZID=Europe/Paris:20261120T095000\r\n"
    "SUMMARY:Couples therapy (moved)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
INTERVIEW_ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
    "UID:interview@example.org\r\nDTSTART:20261113T090000Z\r\nSUMMARY:Job interview\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _import_choosing(qtbot, window: MainWindow, path: Path, choice: str) -> CalendarPage:
    """Start an import on ``window``'s calendar page and press ``choice`` in the dialog that
    asks whether to share."""
    calendar = go_to(qtbot, window, CalendarPage)
    calendar.import_from(path)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(ImportChoice)),
                    timeout=WAIT)  # fmt: skip
    dialog = open_dialog(window, ImportChoice)
    click(qtbot, dialog.share if choice == "share" else dialog.keep_private)
    return calendar


@pytest.mark.crossing("import_calendar", "export_calendar", face="app")
def test_imported_events_reach_the_partner_and_their_export(tmp_path: Path, qtbot) -> None:
    """Alex imports two .ics files, sharing one and keeping the other private, in the dialog
    that asks; Sam's calendar shows the shared one (its moved occurrence too) and Sam's own
    export holds it, but nothing Alex kept private. (Native file dialogs cannot be driven: the
    page's method that takes the chosen path is called instead.)"""
    alex, sam = paired_couple(tmp_path, qtbot)
    dialog = new_entry(alex, "Event")
    type_into(qtbot, dialog.title, "Dentist, on my own")  # type: ignore[attr-defined]
    assert dialog.visibility is not None
    choose(dialog.visibility, "private")
    save(qtbot, dialog)

    (private := tmp_path / "interview.ics").write_text(INTERVIEW_ICS, encoding="utf-8")
    alexs = _import_choosing(qtbot, alex, private, "private")
    qtbot.waitUntil(lambda: alexs.message_text() == "Added 1 event (private) from interview.ics.",
                    timeout=WAIT)  # fmt: skip
    (ics := tmp_path / "therapy.ics").write_text(THERAPY_ICS, encoding="utf-8")
    alexs = _import_choosing(qtbot, alex, ics, "share")
    qtbot.waitUntil(lambda: alexs.message_text() == "Added 1 event (shared) from therapy.ics.",
                    timeout=WAIT)  # fmt: skip
    event = wait_for_row(qtbot, sam, "Couples therapy")
    assert (
        row_words(sam, event.id).removeprefix("New. ").startswith("Event by Alex: Couples therapy.")
    )
    sams = go_to(qtbot, sam, CalendarPage)
    sams.show_day(THERAPY_DAY)

    def agenda() -> list[str]:
        return [sams.agenda.item(i).text() for i in range(sams.agenda.count())]

    shows(qtbot, "Sam's agenda for 12 Nov", lambda: "\n".join(agenda()), "Couples therapy")
    assert "Dr Okafor's office" in "\n".join(agenda())
    assert agenda()[0].startswith("17:00")  # Paris wall-clock time, as the file says
    sams.show_day(date(2026, 11, 19))  # the occurrence that was moved away
    shows(qtbot, "Sam's agenda for 19 Nov", lambda: "\n".join(agenda()), "Nothing planned")
    sams.show_day(date(2026, 11, 20))
    shows(qtbot, "Sam's agenda for 20 Nov", lambda: "\n".join(agenda()),
          "09:00\u201309:50  Couples therapy (moved)")  # fmt: skip
    cell = sams.model.index_of(date(2026, 11, 20))
    assert "Couples therapy (moved)" in str(sams.model.data(cell, Qt.ItemDataRole.DisplayRole))

    exported = tmp_path / "sams-calendar.ics"
    sams.export_to(exported, neutral_titles=False)
    qtbot.waitUntil(lambda: sams.message_text() == "Exported 1 event to sams-calendar.ics.",
                    timeout=WAIT)  # fmt: skip
    text = exported.read_text(encoding="utf-8")
    assert "SUMMARY:Couples therapy" in text and "TZID=Europe/Paris" in text
    assert "RECURRENCE-ID;TZID=Europe/Paris:20261119T170000" in text
    assert "Dentist" not in text  # Alex's private event never reached Sam's vault
    assert "interview" not in text
    neutral = tmp_path / "neutral.ics"
    sams.export_to(neutral, neutral_titles=True)
    qtbot.waitUntil(lambda: "with neutral titles" in sams.message_text(), timeout=WAIT)
    assert "Couples therapy" not in neutral.read_text(encoding="utf-8")


@pytest.mark.crossing("set_daily_receipts", face="app")
def test_daily_receipts_from_preferences(tmp_path: Path, qtbot) -> None:
    """Sam ticks "once a day" in Preferences: Alex's window keeps "Sending…" though Sam's has
    the entry; unticked, Alex's row says Delivered."""
    alex, sam = paired_couple(tmp_path, qtbot)
    _menu_item(sam, "Preferences…")
    preferences = open_dialog(sam, PreferencesDialog)
    _tick(qtbot, preferences.daily_receipts, True)
    sam.bridge.wait_idle()
    share_new(qtbot, alex, "Milestone", "Said on a Tuesday")
    entry = wait_for_row(qtbot, sam, "Said on a Tuesday")
    qtbot.wait(1500)  # several sync rounds on both sides
    assert "Sending…" in row_words(alex, entry.id)
    _tick(qtbot, preferences.daily_receipts, False)
    shows(qtbot, "Alex's timeline row", lambda: row_words(alex, entry.id), "Delivered")


@pytest.mark.crossing("export_data", face="app")
def test_export_my_data_warns_then_writes_mine_and_my_copies(tmp_path: Path, qtbot) -> None:
    """Vault → Export my data… warns that the file is not encrypted before anything is written
    (Cancel writes nothing); Sam's export then holds Sam's own entry and, marked apart, the
    copy of what Alex shared. (The native file dialog cannot be driven: the function it hands
    the chosen path to is called instead.)"""
    alex, sam = paired_couple(tmp_path, qtbot)
    share_new(qtbot, alex, "Milestone", "Six months of honesty")
    wait_for_row(qtbot, sam, "Six months of honesty")
    go_to(qtbot, sam, TimelinePage)
    share_new(qtbot, sam, "Milestone", "Our first calm weekend")
    answer_next_box(qtbot, "Cancel")
    sam.export_action.trigger()
    assert list(tmp_path.glob("*.json")) == []

    out = tmp_path / "sam-export.json"
    export_to(sam, sam.bridge, out, "json")
    qtbot.waitUntil(lambda: out.exists(), timeout=WAIT)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [e["title"] for e in doc["written_by_me"]] == ["Our first calm weekend"]
    assert [(e["title"], e["author"]) for e in doc["shared_with_me"]] == [
        ("Six months of honesty", "Alex")
    ]
    qtbot.waitUntil(lambda: "not encrypted" in sam.statusBar().currentMessage(), timeout=WAIT)
