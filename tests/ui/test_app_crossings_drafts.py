"""A draft kept at lock is the author's alone: the partner's window never shows a trace of it.

Alex writes a shared disclosure and starts a second one, and Ctrl+L locks with both editors
open; after the unlock and sync rounds, Sam's window and vault hold nothing of either, while
Alex's window offers both back in turn: the first is continued and saved (and only then reaches
Sam), the second discarded (and never does).
"""

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.crossing_helpers import (
    WAIT,
    new_entry,
    open_dialog,
    paired_couple,
    save,
    settled,
    timeline_rows,
    type_into,
    wait_for_row,
)
from tests.ui.shell_helpers import texts_in, unlock
from tests.ui.test_drafts import offered, press
from ui.dialogs.entry_dialogs import DisclosureDialog

FIRST = "Nightjarfirstdraft"
SECOND = "Marrowsecondthoughts"


@pytest.mark.crossing("keep_draft", "discard_draft", face="app")
def test_drafts_stay_on_the_authors_device_until_saved(tmp_path: Path, qtbot: Any) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    first = new_entry(alex, "Disclosure")
    type_into(qtbot, first.title, f"About {FIRST}")  # type: ignore[attr-defined]
    type_into(qtbot, first.body, "what I started to tell you")  # type: ignore[attr-defined]
    alex.new_entry("disclosure")
    second = next(d for d in alex.findChildren(DisclosureDialog) if d is not first)
    type_into(qtbot, second.title, f"About {SECOND}")
    # Two windows in one process: Qt matches a shortcut against the active window, so the key
    # is pressed where a person would type it, in Alex's active editor.
    second.activateWindow()
    qtbot.waitUntil(second.isActiveWindow, timeout=WAIT)
    qtbot.keyClick(second.title, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not alex.bridge.is_unlocked and sam.bridge.is_unlocked

    with qtbot.waitSignal(alex.draft_offer.checked, timeout=WAIT) as found:
        unlock(alex, qtbot)
    assert found.args == [2]
    box = offered(qtbot, alex)
    assert FIRST in box.text()
    settled(qtbot, alex, sam)  # whatever Alex's device would send has reached Sam's
    for word in (FIRST, SECOND):
        assert not [t for t in texts_in(sam) if word in t], f"Sam's window shows {word}"
    assert sam.bridge.queries is not None and sam.bridge.queries.drafts() == []
    assert all(FIRST not in e.title for e in timeline_rows(sam))

    press(qtbot, box, "Continue")
    resumed = open_dialog(alex, DisclosureDialog)
    assert resumed.title.text() == f"About {FIRST}"
    assert resumed.visibility is not None and resumed.visibility.value() == "shared"
    save(qtbot, resumed)
    box = offered(qtbot, alex)  # the next draft, once the first editor closed
    assert SECOND in box.text()
    press(qtbot, box, "Discard")
    alex.bridge.wait_idle()
    assert alex.bridge.queries is not None and alex.bridge.queries.drafts() == []

    arrived = wait_for_row(qtbot, sam, f"About {FIRST}")
    assert arrived.fields["body"] == "what I started to tell you"
    settled(qtbot, alex, sam)
    assert not [t for t in texts_in(sam) if SECOND in t]
