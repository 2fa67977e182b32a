"""Help: a short guide (F1), the promise, and About with the version, from the menu bar."""

from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.crossing_helpers import WAIT, open_dialog
from tests.ui.shell_helpers import create_vault, make_window, unlock
from trustvault.version import package_version
from ui.dialogs.help_dialogs import HelpDialog
from ui.main_window import MainWindow


def _menu_action(window: MainWindow, menu_title: str, text: str):  # type: ignore[no-untyped-def]
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == menu_title)
    return next(a for a in menu.actions() if a.text() == text)


def test_help_menu_says_how_to_start_the_promise_and_the_version(tmp_path: Path, qtbot) -> None:
    window = make_window(tmp_path, qtbot)
    create_vault(window.folder)
    window.show_gate()
    unlock(window, qtbot)
    shown: dict[str, str] = {}
    for item in ("Getting started", "Our promise, and when not to use TrustVault",
                 "About TrustVault"):  # fmt: skip
        _menu_action(window, "&Help", item).trigger()
        dialog = open_dialog(window, HelpDialog)
        shown[item] = " ".join(p.text() for p in dialog.paragraphs)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc closes, as Close does
        qtbot.waitUntil(lambda d=dialog: not d.isVisible(), timeout=WAIT)
    assert "Pair once" in shown["Getting started"] and "safety number" in shown["Getting started"]
    assert (
        "Do not use TrustVault if there is violence"
        in shown["Our promise, and when not to use TrustVault"]
    )
    assert f"Version {package_version()}." in shown["About TrustVault"]
    assert package_version() != "unknown"  # make installs the package: the real version shows
    assert _menu_action(window, "&Help", "Getting started").shortcut().toString() == "F1"
