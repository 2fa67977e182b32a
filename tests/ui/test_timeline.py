"""The timeline page offscreen: lazy paging, filters, search, the 'edited' mark and history."""

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog

from tests.ui.shell_helpers import create_vault, make_window, unlock
from trustvault.entries.kinds import validate
from trustvault.entries.model import Entry
from trustvault.ids import new_id
from trustvault.vault import Vault
from ui.dialogs.history_dialog import HistoryDialog, changed_fields
from ui.main_window import MainWindow
from ui.models.timeline_model import PAGE_SIZE, disclosure_latency, latency_words, row_summary
from ui.pages.checkins_page import CheckinsPage
from ui.pages.timeline_page import TimelinePage
from ui.pages.timeline_rows import row_chips

PARTNER = "0" * 32


def _disclosures(n: int) -> list[tuple[str, dict[str, object], None]]:
    first = date(2015, 1, 1)
    return [
        (
            "disclosure",
            {
                "title": f"Disclosure {i:04d}",
                "occurred_on": (first + timedelta(days=i)).isoformat(),
                "disclosed_at": "2032-06-01",
            },
            None,
        )
        for i in range(n)
    ]


def _partner_entry(vault: Vault, title: str, done_at: str = "2026-11-02") -> None:
    fields = validate("milestone", {"title": title, "done_at": done_at})
    now = "2026-11-02T10:00:00Z"
    vault.entries.insert_entry(
        Entry(new_id(), "milestone", PARTNER, now, now, "shared", fields, 1, PARTNER)
    )


def _open(tmp_path: Path, qtbot) -> tuple[MainWindow, Vault, TimelinePage]:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    vault = unlock(window, qtbot)
    page = window.page(TimelinePage)
    assert isinstance(page, TimelinePage)
    return window, vault, page


def test_the_timeline_loads_200_rows_at_a_time(tmp_path: Path, qtbot) -> None:
    window, vault, page = _open(tmp_path, qtbot)
    vault.entries.add_many(_disclosures(450))
    window.bridge.changed.emit()
    model = page.model
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    titles = [model.entry_at(i).title for i in range(3)]  # type: ignore[union-attr]
    assert titles == ["Disclosure 0449", "Disclosure 0448", "Disclosure 0447"]  # newest first
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE_SIZE
    model.fetchMore()
    assert model.rowCount() == 450
    assert not model.canFetchMore()
    assert model.entry_at(449).title == "Disclosure 0000"  # type: ignore[union-attr]
    assert len({model.entry_at(i).id for i in range(450)}) == 450  # type: ignore[union-attr]


def test_scrolling_to_the_bottom_fetches_more(tmp_path: Path, qtbot) -> None:
    window, vault, page = _open(tmp_path, qtbot)
    vault.entries.add_many(_disclosures(300))
    window.bridge.changed.emit()
    assert page.model.rowCount() == PAGE_SIZE
    page.view.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == 300, timeout=3_000)


def test_a_change_keeps_the_rows_already_scrolled_through(tmp_path: Path, qtbot) -> None:
    window, vault, page = _open(tmp_path, qtbot)
    vault.entries.add_many(_disclosures(450))
    window.bridge.changed.emit()
    page.model.fetchMore()
    vault.entries.add("checkin", {"mood": 5, "safety": 5})
    window.bridge.changed.emit()
    assert page.model.rowCount() == 2 * PAGE_SIZE  # as many rows as before, newest on top
    assert page.model.entry_at(0).kind == "checkin"  # type: ignore[union-attr]
    assert page.model.canFetchMore()


def test_filter_by_kind_and_author(tmp_path: Path, qtbot) -> None:
    window, vault, page = _open(tmp_path, qtbot)
    vault.entries.add_many([*_disclosures(250), ("checkin", {"mood": 4, "safety": 6}, None)])
    _partner_entry(vault, "Six months of honesty")
    window.bridge.set_partner_names({PARTNER: "Sam"})
    window.bridge.unlocked.emit()  # pages pick up the new name list as on a real unlock
    assert page.model.rowCount() == PAGE_SIZE
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("checkin"))
    assert page.model.rowCount() == 1
    assert page.model.entry_at(0).kind == "checkin"  # type: ignore[union-attr]
    page.kind_filter.setCurrentIndex(0)
    labels = [page.author_filter.itemText(i) for i in range(page.author_filter.count())]
    assert labels == ["Everyone", "Sam", "Alex (you)"]
    page.author_filter.setCurrentIndex(page.author_filter.findData(PARTNER))
    assert page.model.rowCount() == 1  # found beyond the first page of everyone's rows
    assert (
        page.model.data(page.model.index(0), Qt.ItemDataRole.DisplayRole) == "Six months of honesty"
    )
    accessible = page.model.data(page.model.index(0), Qt.ItemDataRole.AccessibleTextRole)
    assert accessible.startswith("Milestone by Sam: Six months of honesty.")
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("disclosure"))
    assert page.model.rowCount() == 0
    assert page.stack.currentWidget() is page.empty


def test_the_author_filter_reaches_one_entry_under_thousands(tmp_path: Path, qtbot) -> None:
    window, vault, page = _open(tmp_path, qtbot)
    vault.entries.add_many(_disclosures(6000))
    _partner_entry(vault, "Our first honest talk", done_at="2010-05-01")  # older than all
    window.bridge.set_partner_names({PARTNER: "Sam"})
    window.bridge.unlocked.emit()
    page.author_filter.setCurrentIndex(page.author_filter.findData(PARTNER))
    assert page.model.rowCount() == 1  # the store filters: no scan of 6,000 rows in the UI
    assert page.model.entry_at(0).title == "Our first honest talk"  # type: ignore[union-attr]
    assert not page.model.canFetchMore()
    page.author_filter.setCurrentIndex(page.author_filter.findData(vault.device_id))
    assert page.model.rowCount() == PAGE_SIZE
    assert {page.model.entry_at(i).author for i in range(PAGE_SIZE)} == {vault.device_id}  # type: ignore[union-attr]


def test_search_from_the_main_window(tmp_path: Path, qtbot) -> None:
    window, vault, page = _open(tmp_path, qtbot)
    vault.entries.add_many([
        *_disclosures(30),
        ("agreement", {"title": "Phones stay open", "text": "We show each other our phones"}, None),
    ])  # fmt: skip
    window.bridge.changed.emit()
    window.show_page(1)
    qtbot.keyClicks(window.search_box, "phone")
    with qtbot.waitSignal(page.search_finished, timeout=15_000) as blocker:  # a loaded CI
        pass
    assert blocker.args == [1]
    assert window.pages.currentWidget() is page
    assert page.model.searching
    assert page.model.entry_at(0).title == "Phones stay open"  # type: ignore[union-attr]
    assert "1 match" in page.search_label.text()
    page.clear_search_button.click()
    assert not page.model.searching
    assert page.model.rowCount() == 31


def test_the_edited_chip_opens_the_history(tmp_path: Path, qtbot) -> None:
    window, vault, page = _open(tmp_path, qtbot)
    entry = vault.entries.add("agreement", {"title": "Phones", "text": "Open when asked"})
    window.bridge.write(lambda a: a.propose_revision(entry.id, {"text": "Open any time"}))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.model.entry_at(0).edited)  # type: ignore[union-attr]
    rect = page.view.visualRect(page.model.index(0))
    entry = page.model.entry_at(0)
    assert entry is not None
    state = page.model.state_of(entry)
    assert state == ("Shared", "shared", 0)
    chips = {
        name: box
        for name, _t, _i, box in row_chips(
            rect.adjusted(8, 4, -8, -4), entry, state, page.view.font()
        )
    }
    assert set(chips) == {"edited", "state"}
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=chips["edited"].center())
    dialogs = [d for d in window.findChildren(HistoryDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.versions.count() == 2
    assert dialog.versions.currentRow() == 1
    html = dialog.details.toPlainText()
    assert "Open any time" in html and "Open when asked" in html and "(changed)" in html
    dialog.versions.setCurrentRow(0)
    assert "(changed)" not in dialog.details.toPlainText()
    window.bridge.lock()
    assert not [d for d in window.findChildren(QDialog) if d.isVisible()]


def test_clicking_elsewhere_on_a_row_opens_no_history(tmp_path: Path, qtbot) -> None:
    window, vault, page = _open(tmp_path, qtbot)
    vault.entries.add("milestone", {"title": "First honest month"})
    window.bridge.changed.emit()
    rect = page.view.visualRect(page.model.index(0))
    qtbot.mouseClick(
        page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center() - QPoint(200, 0)
    )
    assert not [d for d in window.findChildren(HistoryDialog) if d.isVisible()]
    assert page.view.currentIndex().row() == 0


def test_row_wording() -> None:
    fields = validate(
        "disclosure", {"title": "t", "occurred_on": "2026-03-01", "disclosed_at": "2026-03-05"}
    )
    assert disclosure_latency(fields) == 4
    assert latency_words(0) == "told the same day"
    assert latency_words(1) == "told a day later"
    assert latency_words(45, approximate=True) == "told about 45 days later"
    assert latency_words(400) == "told 13 months later"
    assert latency_words(1000) == "told 3 years later"
    entry = Entry("x", "disclosure", "d", "2026-03-05T00:00:00Z", "", "shared", fields, 1, "d")
    assert row_summary(entry) == "Happened 1 Mar 2026 · told 4 days later"
    assert changed_fields(None, {"a": 1}) == ["a"]
    assert changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3}) == ["b"]


def test_a_change_keeps_the_selection_and_scroll_position(tmp_path: Path, qtbot) -> None:
    window, vault, page = _open(tmp_path, qtbot)
    vault.entries.add_many(_disclosures(150))
    window.bridge.changed.emit()
    page.view.setCurrentIndex(page.model.index(60))
    page.view.scrollTo(page.model.index(60))
    chosen, scroll = page.current_entry(), page.view.verticalScrollBar().value()
    assert chosen is not None and scroll > 0
    vault.entries.add("milestone", {"title": "Long ago", "done_at": "2001-01-01"})
    window.bridge.changed.emit()
    assert page.current_entry() == chosen
    assert page.view.verticalScrollBar().value() == scroll


def test_hidden_pages_reload_only_when_shown(tmp_path: Path, qtbot) -> None:
    window, _vault, timeline = _open(tmp_path, qtbot)
    checkins = window.page(CheckinsPage)
    assert isinstance(checkins, CheckinsPage)
    assert not checkins.isVisible()  # the timeline is in front
    reads: list[object] = []
    original = window.bridge.read
    window.bridge.read = lambda fn, done, error=None: (reads.append(fn), original(fn, done, error))  # type: ignore[method-assign]
    window.bridge.write(lambda a: a.add("checkin", {"mood": 6, "safety": 7}))
    qtbot.waitUntil(lambda: timeline.model.rowCount() == 1)
    assert reads == []  # no whole-vault reload queued for pages nobody is looking at
    window.show_page(window.page_widgets.index(checkins))
    assert len(reads) == 1
    qtbot.waitUntil(lambda: bool(checkins._data), timeout=5_000)
