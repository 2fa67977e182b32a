"""Helpers for the shell's UI tests: real vaults in tmp folders, a window, a text sweep."""

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from tests.helpers import NO_HOLD, PASSPHRASE
from trustvault.actions import Actions
from trustvault.vault import Vault
from ui.bridge import VaultBridge
from ui.main_window import MainWindow
from ui.settings import AppSettings

SECRET = "Zanzibar lighthouse"  # a phrase that must vanish from every widget on lock


def make_window(tmp: Path, qtbot: object, folder: Path | None = None) -> MainWindow:
    settings = AppSettings(tmp / "settings.ini")
    window = MainWindow(VaultBridge(), settings, folder or tmp / "vault", kdf_profile="interactive")
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()
    return window


def create_vault(folder: Path, name: str = "Alex", hold: timedelta = NO_HOLD) -> None:
    """A new vault whose shares leave at the next sync, unless a test about the hold before
    sending gives one."""
    with Actions(Vault.create(folder, PASSPHRASE, name, kdf_profile="interactive")) as actions:
        actions.set_send_hold(hold)


def two_windows(tmp_path: Path, qtbot: object, sync_ms: int = 150) -> tuple[MainWindow, MainWindow]:
    """Alex's and Sam's windows on fresh vaults, unlocked, syncing every ``sync_ms``."""
    windows = []
    for name in ("Alex", "Sam"):
        folder = tmp_path / name.lower()
        if not folder.exists():
            create_vault(folder, name)
        window = make_window(tmp_path / name[0].lower(), qtbot, folder)
        window.bridge.enable_sync(sync_ms)
        unlock(window, qtbot)
        windows.append(window)
    return windows[0], windows[1]


def unlock(window: MainWindow, qtbot: object) -> Vault:
    """Open the window's vault directly (bypassing the unlock screen) and wait for the pages."""
    vault = Vault.unlock(window.folder, PASSPHRASE)
    window.bridge.open_vault(Actions(vault))
    return vault


def texts_in(root: QWidget) -> list[str]:
    """Every piece of text a person could read in ``root`` and its open dialogs, models included."""
    out: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    widgets += [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for w in widgets:
        if isinstance(w, QLabel | QLineEdit):
            out.append(w.text())
        elif isinstance(w, QTextEdit | QPlainTextEdit):
            out.append(w.toPlainText())
        elif isinstance(w, QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QComboBox):
            out.extend(w.itemText(i) for i in range(w.count()))
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            out.extend(_model_texts(model, QModelIndex()))
        out.append(w.windowTitle())
        out.append(w.toolTip())
        out.append(w.accessibleName())
        out.append(w.accessibleDescription())
    return out


def _model_texts(model: object, parent: QModelIndex) -> list[str]:
    out: list[str] = []
    rows = model.rowCount(parent)  # type: ignore[attr-defined]
    try:
        cols = model.columnCount(parent)  # type: ignore[attr-defined]
    except TypeError:  # list models keep columnCount private
        cols = 1
    for r in range(rows):
        for c in range(cols):
            index = model.index(r, c, parent)  # type: ignore[attr-defined]
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                value = index.data(role)
                if value is not None:
                    out.append(str(value))
            if c == 0:
                out.extend(_model_texts(model, index))
    return out
