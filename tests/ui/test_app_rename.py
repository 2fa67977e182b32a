"""Sam changes the name Sam goes by in Preferences; Alex's window shows the new name wherever it
showed the old one (the crossing of ``Actions.rename`` for the app)."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.crossing_helpers import (
    click,
    go_to,
    open_dialog,
    paired_couple,
    row_words,
    share_new,
    sharing_of,
    shows,
    type_into,
    wait_for_row,
)
from tests.ui.shell_helpers import create_vault, make_window, unlock
from ui.dialogs.change_passphrase import ChangePassphraseDialog
from ui.dialogs.preferences import PreferencesDialog
from ui.main_window import MainWindow
from ui.pages.partner_page import PartnerPage


def _preferences(window: MainWindow) -> PreferencesDialog:
    vault_menu = window.menuBar().actions()[0].menu()
    next(a for a in vault_menu.actions() if a.text() == "Preferences…").trigger()  # type: ignore[union-attr]
    return open_dialog(window, PreferencesDialog)


@pytest.mark.crossing("rename", face="app")
def test_a_new_name_shows_in_the_partners_window(tmp_path: Path, qtbot) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    share_new(qtbot, sam, "Disclosure", "Called my sister")
    entry = wait_for_row(qtbot, alex, "Called my sister")
    assert "Disclosure by Sam:" in row_words(alex, entry.id)
    sharing = sharing_of(qtbot, alex, entry.id)  # left open: it must follow the change too
    assert "Shared with you by Sam." in sharing.state.text()

    prefs = _preferences(sam)
    assert prefs.name.text() == "Sam"
    type_into(qtbot, prefs.name, "   ")
    click(qtbot, prefs.rename_button)
    shows(qtbot, "Sam's Preferences", prefs.name_note.text, "Invalid name: must not be empty")
    type_into(qtbot, prefs.name, "Samira")
    click(qtbot, prefs.rename_button)
    shows(
        qtbot, "Sam's Preferences", prefs.name_note.text, "\u201cSamira\u201d after the next sync"
    )
    assert "Samira" in sam.windowTitle()
    assert "Disclosure by Samira:" in row_words(sam, entry.id)  # Sam's own window at once

    shows(qtbot, "Alex's timeline row", lambda: row_words(alex, entry.id), "Disclosure by Samira:")
    shows(qtbot, "Alex's sharing dialog", sharing.state.text, "Shared with you by Samira.")
    partner = go_to(qtbot, alex, PartnerPage)
    assert partner.partner_heading.text() == "You and Samira are connected"
    assert "Sam" not in partner.safety_help.text().replace("Samira", "")


def test_enter_in_the_name_field_renames_and_keeps_the_dialog(tmp_path: Path, qtbot) -> None:
    """Enter there does what the button does (not Close, nor Change passphrase…); and a rename
    whose answer comes after Close still retitles the window, without touching the dialog."""
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    unlock(window, qtbot)
    window.show()
    prefs = _preferences(window)
    type_into(qtbot, prefs.name, "Robin")
    qtbot.keyClick(prefs.name, Qt.Key.Key_Return)
    shows(qtbot, "Preferences", prefs.name_note.text, "learns it when you pair")
    assert prefs.isVisible() and window.findChild(ChangePassphraseDialog) is None
    assert "Robin" in window.windowTitle()

    type_into(qtbot, prefs.name, "Robin Ash")
    click(qtbot, prefs.rename_button)
    prefs.reject()  # before the worker answers
    qtbot.waitUntil(lambda: "Robin Ash" in window.windowTitle())
