"""``python -m tests.ui.scaled_window DIR``: the main window at 200% scaling, checked page by
page at 800 by 600 logical pixels (a 1600 by 1200 screen), in a process of its own because Qt
fixes the scale when it starts (``QT_SCALE_FACTOR=2``, set by the test). Prints each problem
on a line of its own and exits 1 if there is any."""

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.helpers import PASSPHRASE
from tests.ui.layout_checks import page_problems
from tests.ui.shell_helpers import create_vault
from trustvault.actions import Actions
from ui import theme
from ui.bridge import VaultBridge
from ui.main_window import MainWindow
from ui.settings import AppSettings


def main(root: Path) -> int:
    app = QApplication([])
    theme.Theme(app, forced="light")
    create_vault(root / "vault")
    window = MainWindow(VaultBridge(), AppSettings(root / "settings.ini"), root / "vault",
                        kdf_profile="interactive", sync_interval_ms=0)  # fmt: skip
    window.show()
    window.bridge.open_vault(Actions.unlock(root / "vault", PASSPHRASE))
    window.bridge.wait_idle()
    window.resize(800, 600)
    problems = page_problems(window, window.page_widgets, window.show_page)
    ratio = window.devicePixelRatio()
    if ratio != 2:
        problems.append(f"the window is drawn at {ratio}x, not 2x")
    shot = window.grab()
    if (shot.width(), shot.height()) != (1600, 1200):
        problems.append(f"the window's pixels are {shot.width()} by {shot.height()}")
    icon = window.sidebar.item(0).icon().pixmap(20, 20)
    if icon.devicePixelRatio() != 2:
        problems.append("the sidebar's icons are not drawn at 2x (they would be blurred)")
    for problem in problems:
        print(problem)
    window.bridge.shutdown()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
