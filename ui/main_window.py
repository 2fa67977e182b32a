"""The main window: the unlock (or setup) screen while locked; sidebar, search and pages once open.

Locking clears everything decrypted: pages clear their own models on ``bridge.locked``; this
window closes open dialogs, empties the search box and status line, and shows the unlock screen.
The title is 'TrustVault' or 'TrustVault — <your name>', never entry content.
"""

import importlib
import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from trustvault.paths import vault_exists
from ui import discretion, theme
from ui.bridge import VaultBridge
from ui.pages.page import Page
from ui.settings import AppSettings
from ui.unlock import UnlockScreen

if TYPE_CHECKING:
    from trustvault.entries.model import Entry
    from ui.widgets.entry_form import EntryDialog

__all__ = ["PAGES", "MainWindow"]

log = logging.getLogger(__name__)
SEARCH_DELAY_MS = 250

# (module, class, sidebar icon): the pages helper owns all but timeline and partner.
PAGES = (
    ("ui.pages.timeline_page", "TimelinePage", "timeline"),
    ("ui.pages.calendar_page", "CalendarPage", "calendar"),
    ("ui.pages.agreements_page", "AgreementsPage", "agreements"),
    ("ui.pages.plans_page", "PlansPage", "plans"),
    ("ui.pages.questions_page", "QuestionsPage", "question"),
    ("ui.pages.triggers_page", "TriggersPage", "trigger"),
    ("ui.pages.session_page", "SessionPage", "session"),
    ("ui.pages.checkins_page", "CheckinsPage", "checkins"),
    ("ui.pages.progress_page", "ProgressPage", "progress"),
    ("ui.pages.partner_page", "PartnerPage", "partner"),
)


P = TypeVar("P", bound=Page)


def _page_classes() -> list[tuple[type[Page], str]]:
    """Import each page; a page module not written yet is left out of the sidebar (and logged)."""
    out: list[tuple[type[Page], str]] = []
    for module_name, class_name, icon_name in PAGES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            log.warning("page %s is not available yet", module_name)
            continue
        cls = getattr(module, class_name)
        if not (isinstance(cls, type) and issubclass(cls, Page)):
            raise TypeError(f"{module_name}.{class_name} is not a Page")
        out.append((cls, icon_name))
    return out


class _AfterFirstPaint(QObject):
    """Calls ``then`` once, on the turn of the event loop after ``widget`` first painted."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._then)  # not at all if the screen went meanwhile
        return False


class MainWindow(QMainWindow):
    """One partner's window onto one vault folder.

    With ``fast_start`` (the app's own start) the window first holds only the unlock screen:
    the sidebar, the pages, the menus and the modules behind them are built on the turn after
    that screen painted, so a person sees it about as soon as Qt itself is loaded (issue 16).
    Until then :attr:`body_ready` is False, and the window does not listen to the bridge.
    """

    def __init__(
        self,
        bridge: VaultBridge,
        settings: AppSettings,
        folder: Path,
        *,
        kdf_profile: str = "moderate",
        title_suffix: str = "",
        sync_interval_ms: int = 30_000,
        unlock_hint: str = "",
        fast_start: bool = False,
    ) -> None:
        super().__init__()
        self.bridge = bridge
        self.settings = settings
        self.folder = folder
        self.kdf_profile = kdf_profile
        self.title_suffix = title_suffix
        self.hidden = False  # "Hide now" was used and the vault not unlocked since
        self.unlock_hint = unlock_hint
        self.body_ready = False
        bridge.enable_sync(sync_interval_ms)
        self.setMinimumSize(QSize(800, 560))
        self.root = QStackedWidget()
        self.setCentralWidget(self.root)
        self.gate: QWidget | None = None
        geometry = settings.geometry("main")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)
        if fast_start and not bridge.is_unlocked:
            self.show_gate()
            assert self.gate is not None
            _AfterFirstPaint(self.gate, self._finish_start)
            return
        self._build_body()
        if bridge.is_unlocked:
            self._on_unlocked()
        else:
            self.show_gate()
            self._open_saved_key()

    def _finish_start(self) -> None:
        """After the unlock screen's first paint: the rest of the window, then the keychain."""
        self._build_body()
        if self.bridge.is_unlocked:  # opened before the window listened: show it now
            self._on_unlocked()
            return
        if isinstance(self.gate, UnlockScreen):
            self.gate.check_keychain()
        self._open_saved_key()

    def _open_saved_key(self) -> None:
        if isinstance(self.gate, UnlockScreen) and self.gate.has_saved_key():
            self.gate.open_with_saved_key()  # "remember on this device": no prompt at start

    def _build_body(self) -> None:
        """Everything but the gate: the app area, the menus, notices, reminders, idle lock."""
        if self.body_ready:
            return
        from trustvault import actions  # noqa: F401 (the door, loaded here before a worker needs it)
        from ui.copy_guard import CopyGuard
        from ui.draft_offer import DraftOffer
        from ui.global_keys import GlobalKeys
        from ui.input_filter import InputFilter
        from ui.lock import IdleLock
        from ui.notices import Notices
        from ui.reminders import Reminders

        self.body_ready = True
        self.copy_guard = CopyGuard(self, self.bridge)
        self.app_area = self._build_app_area()
        self.root.insertWidget(0, self.app_area)
        self._build_actions()
        self.notices = Notices(self.settings, self, on_open=self.bring_to_front,
                               on_lock=self.bridge.lock, on_hide=self.hide_now)  # fmt: skip
        self.reminders = Reminders(self.bridge, self.settings, self.notices.reminders, self)
        self.bridge.news.connect(self.notices.updates)
        keys = GlobalKeys(self, {"Ctrl+L": self.bridge.lock, "Ctrl+Shift+H": self.hide_now})
        self.idle = IdleLock(self.bridge, round(self.settings.idle_minutes * 60_000), self)
        self.input = InputFilter(
            self, self.idle.note_activity, [keys.take_key, self.copy_guard.take_key]
        )
        # In this order (the pages and helpers above hear a lock or an unlock before this
        # window does, the draft offer after it), and only once they exist.
        self.bridge.locked.connect(self._on_locked)
        self.bridge.unlocked.connect(self._on_unlocked)
        self.bridge.error.connect(self._show_error)
        self.draft_offer = DraftOffer(self, self.bridge, self.open_editor)
        if self.gate is not None:
            self.root.setCurrentWidget(self.gate)
            self.menuBar().hide()  # nothing in it is for a locked vault
            self._set_title()

    # -- building ------------------------------------------------------------------------

    def _build_app_area(self) -> QWidget:
        from ui.models.timeline_model import KIND_LABELS
        from ui.pages.timeline_page import TimelinePage
        from ui.pause_bar import PauseBar

        area = QWidget()
        area.setObjectName("AppArea")
        row = QHBoxLayout(area)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)

        side = QWidget()
        side.setObjectName("SidebarFooter")
        side.setFixedWidth(210)
        side_box = QVBoxLayout(side)
        side_box.setContentsMargins(0, 0, 0, 10)
        side_box.setSpacing(0)
        brand = QLabel("TrustVault")
        brand.setObjectName("SidebarBrand")
        side_box.addWidget(brand)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("Sidebar")
        self.sidebar.setAccessibleName("Sections")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setUniformItemSizes(True)
        side_box.addWidget(self.sidebar, 1)
        lock = self._lock_button = QPushButton("Lock")
        lock.setAccessibleName("Lock the vault")
        lock.setToolTip("Lock now (Ctrl+L)")
        lock.setFlat(True)
        lock.clicked.connect(self.bridge.lock)
        prefs = self._prefs_button = QPushButton("Preferences")
        prefs.setAccessibleName("Preferences")
        prefs.setFlat(True)
        prefs.clicked.connect(self.show_preferences)
        side_box.addWidget(prefs)
        side_box.addWidget(lock)
        row.addWidget(side)

        main = QVBoxLayout()
        main.setContentsMargins(0, 0, 0, 0)
        main.setSpacing(0)
        header = QWidget()
        header.setObjectName("Header")
        head = QHBoxLayout(header)
        head.setContentsMargins(20, 12, 16, 12)
        self.page_title = QLabel()
        self.page_title.setObjectName("PageTitle")
        head.addWidget(self.page_title)
        head.addStretch(1)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("SearchBox")
        self.search_box.setPlaceholderText("Search everything (Ctrl+F)")
        self.search_box.setAccessibleName("Search")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(160)
        self.search_box.setMaximumWidth(300)
        self._search_icon = self.search_box.addAction(
            theme.icon("search", theme.colors().muted), QLineEdit.ActionPosition.LeadingPosition
        )
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.search_box.textEdited.connect(lambda _t: self._search_timer.start())
        self.search_box.returnPressed.connect(self._run_search)
        head.addWidget(self.search_box)
        self.new_button = QToolButton()
        self.new_button.setText("New")
        self.new_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.new_button.setAccessibleName("New entry")
        self.new_button.setObjectName("NewButton")
        new_menu = QMenu(self.new_button)
        self._new_kind_actions: dict[str, QAction] = {}
        from trustvault.entries.kinds import KINDS  # after the first paint: it loads dateutil

        for kind in KINDS:  # a plan starts on its own page (New plan…, or Ctrl+N there)
            if kind == "homework":
                continue  # written on the Session page, which finds the next session
            action = self._new_kind_actions[kind] = new_menu.addAction(f"{KIND_LABELS[kind]}…")
            action.triggered.connect(lambda _c=False, k=kind: self.new_entry(k))
        self.new_button.setMenu(new_menu)
        head.addWidget(self.new_button)
        self.pause_button = QPushButton("I need a pause…")
        self.pause_button.setAccessibleName("I need a pause")
        self.pause_button.clicked.connect(self.ask_for_pause)
        head.addWidget(self.pause_button)
        main.addWidget(header)
        self.pause_bar = PauseBar(self.bridge, lambda count: self.notices.reminders(count))
        main.addWidget(self.pause_bar)

        self.pages = QStackedWidget()
        main.addWidget(self.pages, 1)
        row.addLayout(main, 1)

        self.page_widgets: list[Page] = []
        self._page_icons: list[str] = []
        for cls, icon_name in _page_classes():
            page = cls(self.bridge, self.pages)
            self.pages.addWidget(page)
            self.page_widgets.append(page)
            self._page_icons.append(icon_name)
            item = QListWidgetItem(cls.title)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, cls.title)
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self.show_page)
        self.timeline = next(p for p in self.page_widgets if isinstance(p, TimelinePage))
        theme.follow(self, self._tint_icons)
        return area

    def _tint_icons(self) -> None:
        """Icons in the current theme's colours (again after a switch to light or dark)."""
        c = theme.colors()
        self.setWindowIcon(discretion.app_icon(self.settings, hidden=self.hidden))
        self._lock_button.setIcon(theme.icon("lock", c.muted))
        self._prefs_button.setIcon(theme.icon("settings", c.muted))
        self._search_icon.setIcon(theme.icon("search", c.muted))
        self.new_button.setIcon(theme.icon("new", c.on_new_button))
        for kind, action in self._new_kind_actions.items():
            action.setIcon(theme.icon(kind, theme.kind_color(kind).name()))
        for row, name in enumerate(self._page_icons):
            item = self.sidebar.item(row)
            if item is not None:
                item.setIcon(theme.icon(name, c.muted))

    def _build_actions(self) -> None:
        """The menu bar (shown while unlocked), see :mod:`ui.window_menus`."""
        from ui.window_menus import add_action, add_help_menu

        vault_menu = self.menuBar().addMenu("&Vault")
        go_menu = self.menuBar().addMenu("&Go")
        action = partial(add_action, self)
        new, find = QKeySequence.StandardKey.New, QKeySequence.StandardKey.Find
        self.new_action = action("New entry…", new, lambda: self.new_entry(), vault_menu)
        self.find_action = action("Search", find, self.focus_search, vault_menu)
        vault_menu.addSeparator()
        self.change_passphrase_action = action(
            "Change passphrase…", None, self.change_passphrase, vault_menu
        )
        action("Preferences…", QKeySequence.StandardKey.Preferences, self.show_preferences,
               vault_menu)  # fmt: skip
        self.export_action = action("Export my data…", None, self.export_data, vault_menu)
        vault_menu.addSeparator()
        self.lock_action = action("Lock", "Ctrl+L", self.bridge.lock, vault_menu)
        self.hide_action = action("Hide now", "Ctrl+Shift+H", self.hide_now, vault_menu)
        action("Quit", QKeySequence.StandardKey.Quit, self.close, vault_menu)
        for number, page in enumerate(self.page_widgets, start=1):
            action(page.title, f"Ctrl+{number}", partial(self.show_page, number - 1), go_menu)
        add_help_menu(self)

    # -- locked / unlocked -----------------------------------------------------------------

    def show_gate(self) -> None:
        """The unlock screen for this folder's vault, or the setup wizard if there is none."""
        if self.gate is not None:
            self.root.removeWidget(self.gate)
            self.gate.deleteLater()
        if vault_exists(self.folder):
            unlock = UnlockScreen(self.bridge, self.settings, self.folder, hint=self.unlock_hint,
                                  ask_keychain=self.body_ready)  # fmt: skip
            unlock.other_folder.connect(self.choose_folder)
            self.gate = unlock
        else:
            from ui.wizard import SetupWizard

            self.gate = SetupWizard(
                self.bridge, self.settings, self.folder, kdf_profile=self.kdf_profile
            )
        self.root.addWidget(self.gate)
        self.root.setCurrentWidget(self.gate)
        self.menuBar().hide()  # nothing in it is for a locked vault
        self._set_title()
        if isinstance(self.gate, UnlockScreen):
            self.gate.reset()

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Open or create a vault in…", str(self.folder)
        )
        if chosen:
            self.folder = Path(chosen)
            self.show_gate()

    def bring_to_front(self) -> None:
        """The tray's Open: the window back, in front."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def notices_changed(self) -> None:
        """A preference about notices changed: the tray icon and the reminders follow it."""
        self.notices.apply()
        self.reminders.reschedule()

    def hide_now(self) -> None:
        """Lock, put the neutral name on the window and minimise it: for when someone comes
        near. The app's own name returns once the vault is unlocked again."""
        self.hidden = True
        self.bridge.lock()
        self._set_title()
        self.showMinimized()

    def _on_unlocked(self) -> None:
        from ui.wizard import SetupWizard

        self.hidden = False
        just_made = isinstance(self.gate, SetupWizard)
        if self.gate is not None:
            self.root.removeWidget(self.gate)
            self.gate.deleteLater()
            self.gate = None
        self.root.setCurrentWidget(self.app_area)
        self.menuBar().show()
        self._set_title()
        first = next((i for i, p in enumerate(self.page_widgets) if p.next_after_setup), 0)
        row = first if just_made else 0
        self.sidebar.setCurrentRow(row)
        self.show_page(row)
        if just_made:
            self.statusBar().show()
            self.statusBar().showMessage(
                "Your vault is ready. Next, connect with your partner here, or start writing"
                " on the Timeline: you can pair at any time.",
                30_000,
            )
        else:
            self._say_last_opening()

    def _say_last_opening(self) -> None:
        """So the owner can notice an opening that was not theirs."""
        from ui.time_words import spoken_moment

        q = self.bridge.queries
        at = q.previous_opening if q is not None else None
        if at is not None:
            self.statusBar().show()
            when = spoken_moment(at, datetime.now().astimezone().date())
            self.statusBar().showMessage(f"Last opened on this device {when}.", 20_000)

    def _on_locked(self) -> None:
        self._search_timer.stop()
        self.search_box.clear()
        self.statusBar().clearMessage()
        self.statusBar().hide()
        for dialog in self.findChildren(QDialog):
            dialog.reject()
            dialog.deleteLater()
        self.show_gate()

    def _set_title(self) -> None:
        q = self.bridge.queries
        title = discretion.window_title(self.settings, q.name if q is not None else None,
                                        hidden=self.hidden)  # fmt: skip
        self.setWindowTitle(title + self.title_suffix)
        discretion.apply_to_app(self.settings, hidden=self.hidden)
        self.setWindowIcon(discretion.app_icon(self.settings, hidden=self.hidden))
        if self.body_ready:
            self.notices.apply()  # the tray's icon and name follow discretion too

    # -- navigation & actions --------------------------------------------------------------

    def show_page(self, row: int) -> None:
        if not 0 <= row < len(self.page_widgets):
            return
        page = self.page_widgets[row]
        self.pages.setCurrentWidget(page)
        if self.sidebar.currentRow() != row:
            self.sidebar.setCurrentRow(row)
        self.page_title.setText(page.title)

    def page(self, cls: type[P]) -> P | None:
        return next((p for p in self.page_widgets if isinstance(p, cls)), None)

    def current_page(self) -> Page:
        page = self.pages.currentWidget()
        assert isinstance(page, Page)  # the stack holds nothing else
        return page

    def new_entry(self, kind: str | None = None) -> None:
        if not self.bridge.is_unlocked:
            return
        if kind is None:
            self.current_page().new_entry()
            return
        self.open_editor(kind, None)

    def open_editor(self, kind: str, entry: "Entry | None") -> "EntryDialog":
        """The editor for a new entry of ``kind`` or for ``entry`` (raised if already open)."""
        from ui.dialogs.entry_dialogs import dialog_for
        from ui.entry_windows import windows_of

        if entry is not None:
            return windows_of(self.bridge).single(
                ("edit", entry.id), lambda: dialog_for(kind, self.bridge, entry, self)
            )
        dialog = dialog_for(kind, self.bridge, entry, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def ask_for_pause(self) -> None:
        """ "I need a pause": how long, nothing else (:mod:`ui.pause_bar`)."""
        from ui.entry_windows import windows_of
        from ui.pause_bar import PauseDialog

        windows_of(self.bridge).single(("pause", ""), lambda: PauseDialog(self.bridge, parent=self))

    def export_data(self) -> None:
        from ui.dialogs import export_data

        if self.bridge.is_unlocked:
            export_data.choose_and_export(self, self.bridge)

    def change_passphrase(self) -> None:
        from ui.dialogs.change_passphrase import ChangePassphraseDialog

        if not self.bridge.is_unlocked:
            return
        dialog = ChangePassphraseDialog(self.bridge, self, kdf_profile=self.kdf_profile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_preferences(self) -> None:
        from ui.dialogs.preferences import PreferencesDialog

        if not self.bridge.is_unlocked:
            return
        dialog = PreferencesDialog(self.bridge, self.settings, self.idle, self,
                                   on_change_passphrase=self.change_passphrase,
                                   on_discretion=self._set_title,
                                   on_notices=self.notices_changed,
                                   on_renamed=self._set_title)  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def focus_search(self) -> None:
        if self.bridge.is_unlocked:
            self.search_box.setFocus()
            self.search_box.selectAll()

    def _run_search(self) -> None:
        self._search_timer.stop()
        if not self.bridge.is_unlocked:
            return
        self.show_page(self.page_widgets.index(self.timeline))
        self.timeline.search(self.search_box.text())

    def _show_error(self, message: str) -> None:
        self.statusBar().show()
        self.statusBar().showMessage(message, 10_000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.set_geometry("main", self.saveGeometry())
        self.settings.sync()
        if self.body_ready:
            self.idle.stop()
            self.input.stop()
            if self.notices.icon is not None:  # the tray icon goes with the window
                self.notices.icon.hide()
        self.bridge.shutdown()
        super().closeEvent(event)
