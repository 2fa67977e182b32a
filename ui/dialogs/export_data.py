"""Vault → Export my data…: says first that the file will not be encrypted, then asks where.

The writing runs on the bridge's worker (:meth:`Actions.export_data`); the outcome is said in
the window's status bar, with the same warning again.
"""

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from trustvault.actions import Actions
from trustvault.results import EXPORT_WARNING, DataExport
from ui.bridge import VaultBridge

__all__ = ["choose_and_export", "export_to"]


def choose_and_export(window: QMainWindow, bridge: VaultBridge) -> None:
    """Warn, ask for a file (JSON, or HTML to print), export."""
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Export my data")
    box.setText("Export what you wrote, and your copies of what your partner shared?")
    box.setInformativeText(EXPORT_WARNING)
    go = box.addButton("Choose where…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is not go:
        return
    path, chosen = QFileDialog.getSaveFileName(
        window, "Export my data", str(Path.home() / "trustvault-export.json"),
        "JSON, for programs (*.json);;A page to print (*.html)",
    )  # fmt: skip
    if path:
        export_to(window, bridge, Path(path), "html" if "html" in chosen else "json")


def export_to(window: QMainWindow, bridge: VaultBridge, path: Path, fmt: str) -> None:
    """Export to ``path`` (what the file dialog chose; tests call this directly)."""

    def work(actions: Actions) -> DataExport:
        return actions.export_data(path, fmt=fmt)

    def done(result: DataExport) -> None:
        window.statusBar().show()
        window.statusBar().showMessage(
            f"Exported {result.mine} of your entries and {result.shared_with_me} shared with"
            f" you to {path.name}. {EXPORT_WARNING}",
            60_000,
        )

    bridge.write(work, done)
