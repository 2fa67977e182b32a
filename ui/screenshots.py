"""``trustvault --screenshots DIR``: every main screen of the demo as PNG, without a display.

Renders Alex's window of the demo (see :mod:`ui.demo`) at a fixed size: the unlock screen, then
each page in the sidebar, as a person would first see it (the calendar on the next day with
plans, the partner page after a sync). Run with ``QT_QPA_PLATFORM=offscreen`` on a headless
machine. Files are saved with the strongest PNG compression, for the README.
"""

import re
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from trustvault.actions import Actions
from trustvault.conversation_view import Conversation
from trustvault.demo_seed import DEMO_PASSPHRASE, build_demo
from ui.bridge import VaultBridge
from ui.conversation_window import ConversationWindow
from ui.dialogs.trigger_dialogs import AFTER_TRIGGER
from ui.grounding import GroundingDialog
from ui.main_window import MainWindow
from ui.pages.agreements_page import AgreementsPage
from ui.pages.calendar_page import CalendarPage
from ui.pages.partner_page import PartnerPage
from ui.pages.progress_page import ProgressPage
from ui.pages.questions_page import QuestionsPage
from ui.pages.session_page import SessionPage
from ui.pages.triggers_page import TriggersPage
from ui.settings import AppSettings

__all__ = ["SIZE", "render_all"]

SIZE = (1180, 760)


def _settle(window: MainWindow, rounds: int = 20) -> None:
    """Let queued worker results arrive and layouts finish before grabbing."""
    app = QApplication.instance()
    assert app is not None
    for _ in range(rounds):
        window.bridge.wait_idle()
        app.processEvents()
        time.sleep(0.005)


def _file_name(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", title.lower()) + ".png"


def _prepare(window: MainWindow, page: QWidget) -> None:
    """Put a page in the state worth showing: the calendar on the next day with plans, the
    agreement with the most versions (so the difference between them shows), the first
    question chosen."""
    if isinstance(page, AgreementsPage) and page.views:
        most = max(range(len(page.views)), key=lambda i: len(page.views[i].versions))
        page.list.setCurrentRow(most)
    if isinstance(page, QuestionsPage) and page.list.count():
        page.list.setCurrentRow(0)  # the partner's waiting question: Answer… is offered
    if isinstance(page, CalendarPage):
        today = page.model.today
        days = [today + timedelta(days=n) for n in range(0, 14)]
        days += [today - timedelta(days=n) for n in range(1, 31)]
        chosen = next((d for d in days if page.model.occurrences_on(d)), None)
        if chosen is not None:
            page.grid.select_day(chosen)


def _routines(window: MainWindow, out_dir: Path) -> list[Path]:
    """Routines that count: last month's calendar with its held check-ins ticked and one chosen
    (who marked it, and the Held / Skipped / Moved buttons), and the Progress page's bar."""
    written = []
    calendar_page, progress = window.page(CalendarPage), window.page(ProgressPage)
    if calendar_page is not None:
        window.show_page(window.page_widgets.index(calendar_page))
        _settle(window)
        today = calendar_page.model.today
        calendar_page.show_day(today - timedelta(days=10))  # a month with marks behind it
        _settle(window)
        days = [today - timedelta(days=n) for n in range(1, 31)]
        held = next((d for d in days if any(calendar_page.model.held(o)
                     for o in calendar_page.model.occurrences_on(d))), None)  # fmt: skip
        if held is not None:
            calendar_page.show_day(held)
            _settle(window)
            rows = range(calendar_page.agenda.count())
            row = next((i for i in rows if "\u2713" in calendar_page.agenda.item(i).text()), 0)
            calendar_page.agenda.setCurrentRow(row)
            _settle(window)
        written.append(out_dir / "calendar-marks.png")
        _save(window, written[-1])
    if progress is not None:
        window.show_page(window.page_widgets.index(progress))
        _settle(window)
        scroll = progress.findChild(QScrollArea)
        if scroll is not None:
            scroll.ensureWidgetVisible(progress.routines)
        _settle(window)
        written.append(out_dir / "progress-routines.png")
        _save(window, written[-1])
    return written


def _save(window: MainWindow, path: Path) -> None:
    window.grab().save(str(path), "PNG", 0)  # quality 0: the smallest file, same pixels


def _closing(window: MainWindow, sam_vault: Path, path: Path) -> None:
    """The Partner page once Sam has closed the shared space and asked for deletion: what
    Alex reads and may answer. Last, since nothing new crosses after it."""
    with Actions.unlock(sam_vault, DEMO_PASSPHRASE) as sam:
        sam.close_shared_space(ask_delete=True)
        sam.sync()
    window.bridge.sync_now()
    _settle(window)
    page = window.page(PartnerPage)
    assert isinstance(page, PartnerPage)
    window.show_page(window.page_widgets.index(page))
    _settle(window)
    scroll = page.findChild(QScrollArea)
    if scroll is not None:
        scroll.ensureWidgetVisible(page.closing_card)
    _settle(window)
    _save(window, path)


def _pairing_code(root: Path, path: Path) -> None:
    """The Partner page of a vault not paired yet: the short code it made, shown to be said
    aloud, and the join field with a code being typed (the words complete)."""
    vault = root / "pairing-vault"
    Actions.create(vault, DEMO_PASSPHRASE, "Alex", kdf_profile="interactive").close()
    bridge = VaultBridge()
    window = MainWindow(bridge, AppSettings(root / "pairing.ini"), vault,
                        kdf_profile="interactive", sync_interval_ms=0)  # fmt: skip
    window.resize(*SIZE)
    window.show()
    bridge.open_vault(Actions.unlock(vault, DEMO_PASSPHRASE))
    _settle(window)
    page = window.page(PartnerPage)
    assert isinstance(page, PartnerPage)
    window.show_page(window.page_widgets.index(page))
    _settle(window)
    page.pairing.folder.setText(str(root / "pairing-sync"))
    page.pairing.invite()
    _settle(window)
    page.pairing.join_code.setText("7-tiger-vag")
    scroll = page.findChild(QScrollArea)
    if scroll is not None:
        scroll.ensureWidgetVisible(page.pairing.join_code)
    _settle(window)
    _save(window, path)
    window.close()
    _settle(window, 2)


def render_all(out_dir: Path, theme_name: str | None = None) -> list[Path]:
    """Write welcome.png (the first run), pairingcode.png (a short code made, one typed),
    unlock.png, one PNG per page, the screens of issue 12 (a proposal, a pause, the session
    view, ...) and closing.png (the Partner page after the partner closed the shared space) into
    ``out_dir``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="demo-") as tmp:
        root = Path(tmp)
        first = MainWindow(VaultBridge(), AppSettings(root / "first.ini"), root / "none",
                           kdf_profile="interactive", sync_interval_ms=0)  # fmt: skip
        first.resize(*SIZE)
        first.show()
        _settle(first)
        written.append(out_dir / "welcome.png")
        _save(first, written[-1])
        first.close()
        written.append(out_dir / "pairingcode.png")
        _pairing_code(root, written[-1])
        pair = build_demo(root / "data")
        bridge = VaultBridge()
        window = MainWindow(bridge, AppSettings(root / "settings.ini"), pair.alex,
                            kdf_profile="interactive", sync_interval_ms=0)  # fmt: skip
        window.resize(*SIZE)
        window.show()
        _settle(window)
        written.append(out_dir / "unlock.png")
        _save(window, written[-1])
        bridge.open_vault(Actions.unlock(pair.alex, DEMO_PASSPHRASE))
        bridge.sync_now()  # the partner page then shows when it last synced
        _settle(window)
        for row, page in enumerate(window.page_widgets):
            window.show_page(row)
            _settle(window)
            _prepare(window, page)
            _settle(window)
            written.append(out_dir / _file_name(str(getattr(page, "title", row))))
            _save(window, written[-1])
        written += _both_voices(window, out_dir)
        written += _triggers(root, pair.sam, window, out_dir)
        written += _routines(window, out_dir)
        written += _conversation(window, pair.sam, out_dir)
        written.append(out_dir / "session-view.png")
        _session_view(window, written[-1])
        written.append(out_dir / "closing.png")
        _closing(window, pair.sam, written[-1])
        window.close()
        _settle(window, 2)
    return written


def _session_view(window: MainWindow, path: Path) -> None:
    """The session view, full-screen over the window (grabbed at the window's size)."""
    page = window.page(SessionPage)
    assert isinstance(page, SessionPage)
    window.show_page(window.page_widgets.index(page))
    _settle(window)
    page.open_view()
    _settle(window)
    view = page.view
    assert view is not None
    view.showNormal()  # offscreen, full-screen is the whole virtual screen: the window's size
    view.resize(*SIZE)
    _settle(window)
    view.grab().save(str(path), "PNG", 0)
    view.reject()
    _settle(window)


def _both_voices(window: MainWindow, out_dir: Path) -> list[Path]:
    """The screens of issue 12: a proposal beside the version in force, and a pause on."""
    q = window.bridge.queries
    assert q is not None
    in_force = [a for a in q.all("agreement") if q.agreement_standing(a).in_force is not None]
    page = window.page(AgreementsPage)
    written = []
    if in_force and page is not None:
        entry = in_force[0]
        words = {"text": entry.fields["text"] + " We look at it again together in May."}
        window.bridge.write(lambda a: a.propose_revision(entry.id, words))
        window.show_page(window.page_widgets.index(page))
        _settle(window)
        page.list.setCurrentRow(next(i for i, v in enumerate(page.views) if v.entry.id == entry.id))
        _settle(window)
        written.append(out_dir / "agreements-proposal.png")
        _save(window, written[-1])
    window.bridge.write(lambda a: a.pause(timedelta(minutes=45)))
    window.show_page(0)
    _settle(window)
    written.append(out_dir / "pause.png")
    _save(window, written[-1])
    window.bridge.write(lambda a: a.end_pause())  # "I'm back": the screens after it are calm
    _settle(window)
    return written


def _triggers(root: Path, sam_vault: Path, alex: MainWindow, out_dir: Path) -> list[Path]:
    """Sam's trigger log and its patterns, with Alex's reassurance under the one shared
    (triggers-log.png); the breathing guide halfway through a breath in (grounding.png)."""
    bridge = VaultBridge()
    window = MainWindow(bridge, AppSettings(root / "sam.ini"), sam_vault,
                        kdf_profile="interactive", sync_interval_ms=0)  # fmt: skip
    window.resize(*SIZE)
    window.show()
    bridge.open_vault(Actions.unlock(sam_vault, DEMO_PASSPHRASE))
    _settle(window)
    page = window.page(TriggersPage)
    assert page is not None
    window.show_page(window.page_widgets.index(page))
    _settle(window)
    written = [out_dir / "triggers-log.png"]
    _save(window, written[-1])
    bridge.lock()  # closed before the closing's unlock of the same vault
    _settle(window, 2)
    window.close()
    elapsed = [0.0]
    breathing = GroundingDialog(alex, offer=AFTER_TRIGGER, clock=lambda: elapsed[0])
    breathing.show()
    breathing.start()
    elapsed[0] = 2.0
    breathing.tick()
    breathing.animation.setCurrentTime(breathing.animation.duration() // 2)
    breathing.animation.pause()
    _settle(alex)
    written.append(out_dir / "grounding.png")
    breathing.grab().save(str(written[-1]), "PNG", 0)
    breathing.reject()
    return written


_ALEX_PART = {
    "feelings": "Tender, and a bit scared of this week's session.",
    "appreciation": "You left me a note on the fridge on Tuesday.",
    "needs": "An evening walk together, phones at home.",
    "ownership": "I went quiet when you asked about Friday. I want to answer instead.",
    "self_care": "Two runs and an early night.",
}
_SAM_PART = {
    "feelings": "Steadier than last month. Hopeful.",
    "appreciation": "You told me about the message before I asked.",
    "needs": "To plan the weekend together on Thursday.",
    "ownership": "I checked your phone without asking once.",
    "self_care": "Yoga with Mira, and I saw my sister.",
}


def _conversation(window: MainWindow, sam_vault: Path, out_dir: Path) -> list[Path]:
    """A FANOS check-in: Alex writing (Sam has not finished), then both parts side by side."""
    talk: list[str] = []
    window.bridge.write(lambda a: a.start_conversation("fanos"), lambda t: talk.append(t.id))
    _settle(window)
    written_part: list[Conversation] = []
    window.bridge.write(lambda a: a.write_part(talk[0], _ALEX_PART), written_part.append)
    _settle(window)
    dialog = ConversationWindow(window.bridge, written_part[0], window)
    dialog.resize(*SIZE)
    dialog.show()
    _settle(window)
    written = [out_dir / "conversation-writing.png"]
    dialog.grab().save(str(written[-1]), "PNG", 0)
    window.bridge.write(lambda a: a.finish_part(talk[0]))
    window.bridge.sync_now()
    _settle(window)
    with Actions.unlock(sam_vault, DEMO_PASSPHRASE) as sam:
        sam.sync()
        sam.finish_part(talk[0], _SAM_PART)
        sam.sync()
    window.bridge.sync_now()
    _settle(window)
    written.append(out_dir / "conversation-revealed.png")
    dialog.grab().save(str(written[-1]), "PNG", 0)
    dialog.close()
    return written
