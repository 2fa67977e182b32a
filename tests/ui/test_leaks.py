"""What the app leaves outside the vault: clipboard hints, and logs without entry content."""

import logging

import pytest
from PySide6.QtGui import QGuiApplication

from ui.bridge import VaultBridge, report_exception


def test_copied_text_asks_every_clipboard_history_to_skip_it(qtbot) -> None:
    bridge = VaultBridge()
    bridge.copy_to_clipboard("an invite code", seconds=5)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.data("x-kde-passwordManagerHint").data() == b"secret"
    assert mime.data("ExcludeClipboardContentFromMonitorProcessing").data() == b"1"
    assert mime.data("CanIncludeInClipboardHistory").data() == bytes(4)
    assert mime.data("CanUploadToCloudClipboard").data() == bytes(4)  # Windows cloud clipboard
    assert mime.hasFormat("application/x-nspasteboard-concealed-type")
    bridge.clear_clipboard()
    assert QGuiApplication.clipboard().text() == ""


SECRET = "the affair began in March"


def _fail() -> None:
    raise ValueError(f"Invalid isoformat string: {SECRET!r}")


def test_a_bug_on_the_worker_is_logged_without_its_message(
    qtbot, caplog: pytest.LogCaptureFixture
) -> None:
    bridge = VaultBridge()
    errors: list[str] = []
    bridge.error.connect(errors.append)
    with caplog.at_level(logging.DEBUG):
        bridge.run(_fail)
        qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert SECRET not in caplog.text
    assert "builtins.ValueError" in caplog.text and "_fail" in caplog.text  # still debuggable
    assert SECRET not in errors[0]


def test_a_bug_on_the_ui_thread_is_logged_without_its_message(
    qtbot, caplog: pytest.LogCaptureFixture
) -> None:
    bridge = VaultBridge()
    errors: list[str] = []
    bridge.error.connect(errors.append)
    try:
        _fail()
    except ValueError as exc:
        with caplog.at_level(logging.DEBUG):
            report_exception(exc)
    assert errors and SECRET not in errors[0]
    assert SECRET not in caplog.text and "builtins.ValueError" in caplog.text
