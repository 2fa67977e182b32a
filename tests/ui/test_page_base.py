"""The page base class on its own: what runs on lock, unlock and change, shown or hidden."""

from PySide6.QtWidgets import QStackedWidget, QWidget

from ui.bridge import VaultBridge
from ui.pages.page import Page


class Recorder(Page):
    title = "Recorder"

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.calls: list[str] = []

    def refresh(self) -> None:
        self.calls.append("refresh")

    def clear(self) -> None:
        self.calls.append("clear")

    def new_entry(self) -> None:
        self.calls.append("new_entry")


class Eager(Recorder):
    reload_when_hidden = True


def _stack(qtbot, bridge: VaultBridge, page_cls: type[Recorder]) -> tuple[Recorder, QStackedWidget]:
    """``page`` behind another page in a shown stack, as the main window holds them."""
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    front = QWidget()
    page = page_cls(bridge)
    stack.addWidget(front)
    stack.addWidget(page)
    stack.show()
    assert not page.isVisible()
    return page, stack


def test_a_hidden_page_catches_up_once_when_shown(qtbot) -> None:
    bridge = VaultBridge()
    page, stack = _stack(qtbot, bridge, Recorder)
    bridge.unlocked.emit()
    bridge.changed.emit()
    bridge.changed.emit()
    assert page.calls == []
    stack.setCurrentWidget(page)
    assert page.calls == ["refresh"]  # on_unlocked, which refreshes by default
    bridge.changed.emit()
    assert page.calls == ["refresh", "refresh"]  # on screen: at once


def test_locking_clears_and_forgets_what_was_waiting(qtbot) -> None:
    bridge = VaultBridge()
    page, stack = _stack(qtbot, bridge, Recorder)
    bridge.changed.emit()
    bridge.locked.emit()
    stack.setCurrentWidget(page)
    assert page.calls == ["clear"]


def test_on_unlocked_runs_instead_of_refresh_after_an_unlock(qtbot) -> None:
    class Calendar(Recorder):
        def on_unlocked(self) -> None:
            self.calls.append("on_unlocked")

    bridge = VaultBridge()
    page, stack = _stack(qtbot, bridge, Calendar)
    bridge.unlocked.emit()
    bridge.changed.emit()
    stack.setCurrentWidget(page)
    assert page.calls == ["on_unlocked"]


def test_a_page_that_reloads_when_hidden_does_so_at_once(qtbot) -> None:
    bridge = VaultBridge()
    page, stack = _stack(qtbot, bridge, Eager)
    bridge.unlocked.emit()
    bridge.changed.emit()
    assert page.calls == ["refresh", "refresh"]
    stack.setCurrentWidget(page)
    assert page.calls == ["refresh", "refresh"]
