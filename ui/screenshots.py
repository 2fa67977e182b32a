"""``trustvault --screenshots DIR``: every main screen of the demo as PNG, without a display.

Renders Alex's window of the demo (see :mod:`ui.demo`) at a fixed size: the unlock screen, then
each page in the sidebar. Run with ``QT_QPA_PLATFORM=offscreen`` on a headless machine.
"""

import re
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from trustvault.demo_seed import DEMO_PASSPHRASE, build_demo
from trustvault.vault import Vault
from ui.bridge import VaultBridge
from ui.main_window import MainWindow
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


def render_all(out_dir: Path, theme_name: str | None = None) -> list[Path]:
    """Write unlock.png and one PNG per page into ``out_dir``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="trustvault-shots-") as tmp:
        root = Path(tmp)
        pair = build_demo(root / "data")
        bridge = VaultBridge()
        window = MainWindow(bridge, AppSettings(root / "settings.ini"), pair.alex,
                            kdf_profile="interactive", sync_interval_ms=0)  # fmt: skip
        window.resize(*SIZE)
        window.show()
        _settle(window)
        written.append(out_dir / "unlock.png")
        window.grab().save(str(written[-1]))
        bridge.open_vault(Vault.unlock(pair.alex, DEMO_PASSPHRASE))
        _settle(window)
        for row, page in enumerate(window.page_widgets):
            window.show_page(row)
            _settle(window)
            written.append(out_dir / _file_name(str(getattr(page, "title", row))))
            window.grab().save(str(written[-1]))
        window.close()
        _settle(window, 2)
    return written
