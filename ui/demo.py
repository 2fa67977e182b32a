"""``trustvault --demo``: two windows, Alex and Sam, each with an own vault in a temp folder,
paired through a temp sync folder and seeded by :mod:`trustvault.demo_seed`.

Both windows sync every two seconds, so what one shares, withdraws or comments shows up in the
other within seconds. Everything is deleted when the demo closes.
"""

import tempfile
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication

from trustvault.actions import Actions
from trustvault.demo_seed import DEMO_PASSPHRASE, DemoPair, build_demo
from ui.bridge import VaultBridge
from ui.main_window import MainWindow
from ui.settings import AppSettings

__all__ = ["DEMO_SYNC_MS", "Demo"]

DEMO_SYNC_MS = 2000


class Demo(QObject):
    """Owns the temp folder and both windows; :meth:`close` closes them and deletes everything."""

    def __init__(self, root: Path | None = None, sync_interval_ms: int = DEMO_SYNC_MS) -> None:
        super().__init__()
        self._tmp = None if root else tempfile.TemporaryDirectory(prefix="trustvault-demo-")
        self.root = root or Path(self._tmp.name)  # type: ignore[union-attr]
        self.pair: DemoPair = build_demo(self.root / "data")
        self.windows: list[MainWindow] = []
        for name, folder in (("Alex", self.pair.alex), ("Sam", self.pair.sam)):
            bridge = VaultBridge()
            window = MainWindow(
                bridge,
                AppSettings(self.root / f"{name.lower()}.ini"),
                folder,
                kdf_profile="interactive",
                title_suffix=" (demo)",
                sync_interval_ms=sync_interval_ms,
                unlock_hint=f"Demo passphrase: {DEMO_PASSPHRASE}",
            )
            self.windows.append(window)
            bridge.run(partial(Actions.unlock, folder, DEMO_PASSPHRASE), bridge.open_vault)

    def show(self) -> None:
        screen = QGuiApplication.primaryScreen().availableGeometry()
        width = max(900, min(1180, screen.width() // 2))
        height = max(600, min(800, screen.height() - 60))
        for i, window in enumerate(self.windows):
            window.resize(width, height)
            window.move(screen.left() + i * width, screen.top() + 20)
            window.show()

    def close(self) -> None:
        for window in self.windows:
            window.close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
