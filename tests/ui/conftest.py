"""UI tests keep every per-user file (the remembered-vaults map, logs) inside the test's tmp dir,
and leave no window behind for the next test."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication


@pytest.fixture(autouse=True)
def user_dirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.delenv("TRUSTVAULT_HOME", raising=False)
    return home


@pytest.fixture(autouse=True)
def windows_deleted() -> Iterator[None]:
    """Delete the windows a test closed before the next test starts.

    pytest-qt closes each widget a test added and asks Qt to delete it later, but a deferred
    delete runs only when an event loop next turns: the two main windows (about 1,000 widgets) of
    one test lived on into the next, where a theme switch re-polished them all (the focus-ring
    test took 9.5 s after a two-window test instead of 0.3 s). Set up before ``qtbot`` (it does
    not ask for it), so this runs after pytest-qt has closed the test's widgets.
    """
    yield
    if QApplication.instance() is not None:
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
