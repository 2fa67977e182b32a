"""A structured conversation in two real windows syncing through a real folder: the crossings of
:meth:`Actions.start_conversation`, :meth:`Actions.write_part`, :meth:`Actions.finish_part` and
:meth:`Actions.set_aside_conversation` for the face ``app``. What the partner's window shows
(nothing of the other's part before both are done; both parts after) is the test, and that the
windows and the calendar's menu read the conversations on the bridge's worker, never on the UI
thread."""

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from tests.ui.crossing_helpers import (
    answer_next_box,
    click,
    go_to,
    open_dialog,
    paired_couple,
    send_at_once,
    share_new,
    shows,
    type_into,
)
from tests.ui.shell_helpers import PASSPHRASE
from trustvault.actions import Actions
from trustvault.conversation_view import PROMISE, SET_ASIDE, Conversation, PartState
from trustvault.queries import Queries
from trustvault.storage import outbox_store
from trustvault.vault import Vault
from ui.conversation_window import ConversationWindow
from ui.main_window import MainWindow
from ui.pages.calendar_page import CalendarPage
from ui.pages.checkins_page import CheckinsPage
from ui.pages.partner_page import PartnerPage

ALEX_FEELING = "Nervous but hopeful"
SAM_APPRECIATION = "You asked how my day was"


def _on_screen(window: ConversationWindow) -> str:
    """Every word the conversation window shows, typed fields included."""
    labels = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    fields = [w.toPlainText() for w in window.findChildren(QPlainTextEdit) if w.isVisible()]
    return "\n".join(labels + fields)


def _opened(qtbot, window: MainWindow) -> ConversationWindow:
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in window.findChildren(ConversationWindow)),
        timeout=15_000,
    )
    return open_dialog(window, ConversationWindow)


def _open_from_checkins(qtbot, window: MainWindow) -> ConversationWindow:
    checkins = go_to(qtbot, window, CheckinsPage)
    listed = checkins.talks.list
    qtbot.waitUntil(lambda: listed.count() == 1, timeout=15_000)
    listed.setFocus()
    listed.setCurrentRow(0)
    qtbot.keyClick(listed, Qt.Key.Key_Return)
    return _opened(qtbot, window)


def _read_on_ui_thread(monkeypatch: pytest.MonkeyPatch, *names: str) -> dict[str, list[bool]]:
    """For each Queries method named, whether each call ran on the UI (main) thread."""
    calls: dict[str, list[bool]] = {name: [] for name in names}
    for name in names:
        real: Callable[..., object] = getattr(Queries, name)

        def spy(self: Queries, *args: object, _real=real, _name=name) -> object:
            calls[_name].append(threading.current_thread() is threading.main_thread())
            return _real(self, *args)

        monkeypatch.setattr(Queries, name, spy)
    return calls


@pytest.mark.crossing("start_conversation", "write_part", "finish_part", face="app")
def test_both_parts_show_together_in_both_windows(
    tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex, sam = paired_couple(tmp_path, qtbot)
    on_ui_thread = _read_on_ui_thread(monkeypatch, "conversation", "conversations_of")
    send_at_once(qtbot, alex)
    share_new(qtbot, alex, "Event", "Sunday check-in")  # today at 19:00
    calendar = go_to(qtbot, alex, CalendarPage)
    calendar.show_day(date.today())
    qtbot.waitUntil(lambda: "Sunday check-in" in calendar.agenda.item(0).text(), timeout=15_000)
    calendar.agenda.setCurrentRow(0)
    assert calendar.talk.button.isEnabled()
    calendar.talk.fill_menu()
    new = next(a for a in calendar.talk.menu.actions() if a.text() == "New FANOS check-in")
    new.trigger()
    mine = _opened(qtbot, alex)
    assert PROMISE in _on_screen(mine)
    qtbot.waitUntil(lambda: "Sunday check-in" in calendar.agenda.item(0).text(), timeout=15_000)
    calendar.agenda.setCurrentRow(0)  # the agenda was read again after the write
    calendar.talk.fill_menu()  # the conversation just opened comes above the new ones
    qtbot.waitUntil(lambda: calendar.talk.menu.actions()[0].text().startswith("Open: FANOS"))
    type_into(qtbot, mine.fields["feelings"], ALEX_FEELING)
    type_into(qtbot, mine.fields["ownership"], "I was short with you")

    theirs = _open_from_checkins(qtbot, sam)
    assert "has not finished yet either" in theirs.state_words.text()
    click(qtbot, mine.done_button)
    shows(qtbot, "Alex's window", mine.state_words.text, "Waiting for Sam")
    assert mine.fields["feelings"].isReadOnly() and not mine.done_button.isVisible()
    shows(qtbot, "Sam's window", theirs.state_words.text, "Alex is done. Write your part")
    assert ALEX_FEELING not in _on_screen(theirs)
    read: list[Conversation] = []
    sam.bridge.read(lambda q: q.conversation(theirs.conversation_id), read.append)
    qtbot.waitUntil(lambda: bool(read), timeout=15_000)
    seen = read[0]
    assert seen.partner.state is PartState.DONE and seen.partner.answers == {}

    type_into(qtbot, theirs.fields["appreciation"], SAM_APPRECIATION)
    sam.bridge.lock()  # what Sam typed is kept, on Sam's device only, and the window closes
    qtbot.waitUntil(lambda: not theirs.isVisible(), timeout=15_000)
    sam.bridge.wait_idle()
    sam.bridge.open_vault(Actions(Vault.unlock(sam.folder, PASSPHRASE)))
    theirs = _open_from_checkins(qtbot, sam)
    assert theirs.fields["appreciation"].toPlainText() == SAM_APPRECIATION
    click(qtbot, theirs.done_button)
    for window, where, other in (
        (theirs, "Sam's", ALEX_FEELING),
        (mine, "Alex's", SAM_APPRECIATION),
    ):
        shows(qtbot, f"{where} window", window.state_words.text, "Here are both parts")
        assert window.revealed.isVisible() and not window.writing.isVisible()
        assert other in _on_screen(window)
    assert theirs.shown[("partner", "feelings")].text() == ALEX_FEELING  # type: ignore[attr-defined]
    assert mine.shown[("partner", "appreciation")].text() == SAM_APPRECIATION  # type: ignore[attr-defined]
    assert mine.shown[("mine", "ownership")].text() == "I was short with you"  # type: ignore[attr-defined]
    assert on_ui_thread["conversation"] and on_ui_thread["conversations_of"]
    assert not any(on_ui_thread["conversation"] + on_ui_thread["conversations_of"]), on_ui_thread


def _queued_ops(window: MainWindow) -> int:
    """The ops in the window's vault's outbox, read through a second connection of its own."""
    with Vault.unlock(window.folder, PASSPHRASE) as vault:
        return len(outbox_store.ops_after(vault.conn, 0, 1_000_000))


@pytest.mark.crossing("set_aside_conversation", face="app")
def test_after_unpairing_an_unfinished_conversation_can_be_set_aside(tmp_path: Path, qtbot) -> None:
    """Paired, there is no "Set aside" (the partner may still finish); once Alex unpairs, both
    windows offer it. Alex's sets it aside: nothing is queued, what Alex typed stays here."""
    alex, sam = paired_couple(tmp_path, qtbot)
    click(qtbot, go_to(qtbot, alex, CheckinsPage).talks.starts["fanos"])
    mine = _opened(qtbot, alex)
    assert not mine.set_aside_button.isVisible()
    type_into(qtbot, mine.fields["feelings"], ALEX_FEELING)
    theirs = _open_from_checkins(qtbot, sam)
    assert not theirs.set_aside_button.isVisible()

    partner = go_to(qtbot, alex, PartnerPage)
    answer_next_box(qtbot, "Unpair")
    click(qtbot, partner.unpair_button)
    qtbot.waitUntil(mine.set_aside_button.isVisible, timeout=15_000)
    # Sam's device learns Alex unpaired at its next round; opened again, the window offers it.
    qtbot.waitUntil(lambda: sam.bridge.pair_status == "unpaired", timeout=15_000)
    theirs.reject()
    theirs = _open_from_checkins(qtbot, sam)
    assert theirs.set_aside_button.isVisible()
    queued = _queued_ops(alex)
    click(qtbot, mine.set_aside_button)
    shows(qtbot, "Alex's window", mine.state_words.text, SET_ASIDE)
    assert not mine.set_aside_button.isVisible() and not mine.done_button.isVisible()
    assert mine.fields["feelings"].isReadOnly()
    assert mine.fields["feelings"].toPlainText() == ALEX_FEELING  # kept, on this device only
    assert _queued_ops(alex) == queued
    listed = go_to(qtbot, alex, CheckinsPage).talks.list
    shows(qtbot, "Alex's Check-ins", lambda: listed.item(0).text(), "Set aside")
    assert "Set aside" not in theirs.state_words.text()  # Sam's device: as it was
    assert theirs.set_aside_button.isVisible()
