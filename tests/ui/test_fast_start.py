"""Issue 16, item 4: the unlock screen paints before the core and the pages are loaded.

``bench/unlock_start.py`` measures how soon; these tests hold the structure that makes it soon
(a start that paints the unlock screen with none of the heavy modules loaded) and prove the
window that started that way still unlocks into its pages, by the screen's own button.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.helpers import PASSPHRASE, MemoryKeyring
from tests.ui.shell_helpers import create_vault
from trustvault.actions import Actions
from ui.bridge import VaultBridge
from ui.main_window import PAGES, MainWindow
from ui.settings import AppSettings
from ui.unlock import UnlockScreen

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("fast_start_child.py")
WAIT = 15_000

HEAVY = (
    "trustvault.actions", "trustvault.queries", "trustvault.vault", "trustvault.sync.service",
    "trustvault.agreements", "trustvault.calendar", "trustvault.entries", "trustvault.results",
    "crypto", "nacl", "sqlcipher3", "keyring", "dateutil", "icalendar", "httpx", "segno",
    "ui.pages.timeline_page", "ui.pages.calendar_page", "ui.dialogs", "ui.wizard",
)  # fmt: skip
"""What the unlock screen does without: the door, storage, crypto, sync, the pages, dialogs."""


def test_a_fresh_start_paints_the_unlock_screen_before_the_core_then_unlocks(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "vault"
    create_vault(folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRUSTVAULT_")}
    env |= {"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / "home" / name.lower())
    done = subprocess.run(
        [sys.executable, "-P", str(CHILD), str(folder), PASSPHRASE],
        env=env, capture_output=True, text=True, timeout=90, check=True,
    )  # fmt: skip
    got = json.loads(done.stdout.strip().splitlines()[-1])
    loaded = got["loaded_at_paint"]
    assert loaded and "ui.unlock" in loaded
    early = [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert early == [], f"loaded before the unlock screen painted: {early}"
    assert got["built_at_paint"] is False
    assert got["pages"][:2] == ["Timeline", "Calendar"] and "Partner" in got["pages"]
    assert got["unlocked"] and got["shown"] == "Timeline"


def test_a_fast_start_builds_the_pages_after_paint_and_opens_a_remembered_key(
    tmp_path: Path, qtbot: QtBot, memory_keyring: MemoryKeyring
) -> None:
    folder = tmp_path / "vault"
    settings = AppSettings(tmp_path / "settings.ini")
    create_vault(folder)

    window = MainWindow(VaultBridge(), settings, folder, kdf_profile="interactive", fast_start=True)
    qtbot.addWidget(window)
    screen = window.gate
    assert isinstance(screen, UnlockScreen) and not window.body_ready
    assert screen.remember.isHidden()  # the keychain is asked on the worker, after the paint
    window.show()
    qtbot.waitUntil(lambda: window.body_ready and not screen.remember.isHidden(), timeout=WAIT)
    assert len(window.page_widgets) == len(PAGES) and not window.menuBar().isVisible()
    assert window.root.currentWidget() is screen
    screen.remember.setChecked(True)
    screen.passphrase.setText(PASSPHRASE)
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: window.bridge.is_unlocked, timeout=WAIT)
    assert len(memory_keyring.items) == 1
    window.close()

    again = MainWindow(VaultBridge(), AppSettings(tmp_path / "again.ini"), folder, fast_start=True)
    qtbot.addWidget(again)
    assert not again.bridge.is_unlocked  # nothing opened before the first paint
    again.show()
    qtbot.waitUntil(lambda: again.bridge.is_unlocked, timeout=WAIT)  # the saved key, unasked
    assert again.current_page().title == "Timeline"
    again.close()
    assert Actions.exists(folder)
