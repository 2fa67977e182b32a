"""An editor open when the vault locks keeps its text inside the vault and offers it back.

Real windows on real vaults, driven through their keys and buttons: Ctrl+L from inside the
editor, the idle lock and "Hide now"; after unlocking, the "You were writing…" box; Continue,
Save, Discard and Not now. The words typed never reach a file outside SQLCipher.
"""

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.ui.crossing_helpers import (
    WAIT,
    answer_next_box,
    choose,
    click,
    double_click_row,
    new_entry,
    open_dialog,
    save,
    type_into,
)
from tests.ui.shell_helpers import PASSPHRASE, create_vault, make_window, texts_in, unlock
from trustvault.actions import Actions
from trustvault.vault import Vault
from ui.dialogs.entry_dialogs import DisclosureDialog, MilestoneDialog
from ui.main_window import MainWindow

MARKER = "Quillfeatherdraft"


def offered(qtbot: Any, window: MainWindow) -> QMessageBox:
    """The "You were writing…" box, once it is on screen."""
    qtbot.waitUntil(
        lambda: window.draft_offer.box is not None and window.draft_offer.box.isVisible(),
        timeout=WAIT,
    )
    box = window.draft_offer.box
    assert box is not None
    return box


def press(qtbot: Any, box: QMessageBox, text: str) -> None:
    click(qtbot, next(b for b in box.buttons() if b.text() == text))


def files_holding(root: Path, word: str) -> list[str]:
    """Every file under ``root`` (vault, settings, logs, caches) holding ``word`` readably."""
    forms = [f.encode(enc) for f in {word, word.lower()} for enc in ("utf-8", "utf-16-le")]
    return [
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and any(form in p.read_bytes() for form in forms)
    ]


def drafts_of(window: MainWindow) -> list[str]:
    window.bridge.wait_idle()
    assert window.bridge.queries is not None
    return [d.id for d in window.bridge.queries.drafts()]


def test_ctrl_l_in_an_editor_keeps_the_draft_and_continue_saves_it(
    tmp_path: Path, qtbot: Any
) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    vault = unlock(window, qtbot)
    dialog = new_entry(window, "Disclosure")
    type_into(qtbot, dialog.title, "Unfinished")  # type: ignore[attr-defined]
    type_into(qtbot, dialog.body, f"The part about {MARKER} I never said")  # type: ignore[attr-defined]
    assert dialog.visibility is not None
    choose(dialog.visibility, "private")
    qtbot.keyClick(dialog.body, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    assert not window.bridge.is_unlocked and not dialog.isVisible()
    qtbot.waitUntil(lambda: not [t for t in texts_in(window) if MARKER in t], timeout=WAIT)
    window.bridge.wait_idle()  # the vault is closed: everything it wrote is on disk
    assert files_holding(tmp_path, MARKER) == []

    vault = unlock(window, qtbot)
    box = offered(qtbot, window)
    assert box.text() == "You were writing a disclosure (“Unfinished”) when TrustVault locked."
    assert box.informativeText().startswith("It was kept inside your vault today at")
    press(qtbot, box, "Continue")
    resumed = open_dialog(window, DisclosureDialog)
    assert resumed.body.toPlainText() == f"The part about {MARKER} I never said"
    assert resumed.title.text() == "Unfinished"
    assert resumed.visibility is not None and resumed.visibility.value() == "private"
    type_into(qtbot, resumed.title, "Finished")
    save(qtbot, resumed)
    assert drafts_of(window) == []
    [entry] = vault.entries.all()
    assert entry.fields["body"] == f"The part about {MARKER} I never said"
    assert (entry.title, entry.visibility) == ("Finished", "private")
    window.bridge.lock()
    window.bridge.wait_idle()
    assert files_holding(tmp_path, MARKER) == []


def test_idle_lock_keeps_an_edit_not_now_waits_and_discard_throws_it_away(
    tmp_path: Path, qtbot: Any
) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    vault = unlock(window, qtbot)
    entry = Actions(vault).add("milestone", {"title": "First weekend away", "note": "soon"})
    window.bridge.changed.emit()
    qtbot.waitUntil(lambda: window.timeline.model.row_of(entry.id) >= 0, timeout=WAIT)
    double_click_row(qtbot, window, entry.id)
    editor = open_dialog(window, MilestoneDialog)
    type_into(qtbot, editor.note, f"in spring, {MARKER}")
    window.idle.set_interval(50)
    qtbot.waitUntil(lambda: not window.bridge.is_unlocked, timeout=WAIT)
    window.idle.set_interval(600_000)

    vault = unlock(window, qtbot)
    box = offered(qtbot, window)
    assert box.text().startswith("You were changing a milestone (“First weekend away”)")
    press(qtbot, box, "Not now")
    assert len(drafts_of(window)) == 1
    window.hide_now()  # locks too, and the next unlock offers it again
    vault = unlock(window, qtbot)
    press(qtbot, offered(qtbot, window), "Continue")
    resumed = open_dialog(window, MilestoneDialog)
    assert resumed.note.toPlainText() == f"in spring, {MARKER}"
    answer_next_box(qtbot, "Discard")  # "Discard this draft?" after Escape
    qtbot.keyClick(resumed, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not resumed.isVisible(), timeout=WAIT)
    assert drafts_of(window) == []
    assert vault.entries.get(entry.id).fields["note"] == "soon"
    assert vault.entries.get(entry.id).revision == 1

    window.bridge.lock()
    with qtbot.waitSignal(window.draft_offer.checked, timeout=WAIT) as found:
        unlock(window, qtbot)
    assert found.args == [0] and window.draft_offer.box is None


def test_a_locking_save_is_not_kept_twice(tmp_path: Path, qtbot: Any) -> None:
    """Save pressed, then the lock: the save lands before the close and no draft is kept."""
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    vault = unlock(window, qtbot)
    dialog = new_entry(window, "Milestone")
    type_into(qtbot, dialog.title, "Saved as the lock came")  # type: ignore[attr-defined]
    click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Save))
    window.bridge.lock()
    window.bridge.wait_idle()
    folder = vault.folder
    with Actions(Vault.unlock(folder, PASSPHRASE)) as after:
        assert [e.title for e in after.queries.all()] == ["Saved as the lock came"]
        assert after.queries.drafts() == []
