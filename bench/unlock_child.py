"""The child process of :mod:`bench.unlock_start`: the app's start up to the painted unlock screen.

Run as a script (``python -P bench/unlock_child.py FOLDER``), not with ``-m``, so the process loads
the app and nothing of the benchmark harness (``bench/__init__`` pulls in statistics, subprocess
and the registry): what is timed is what ``trustvault`` itself loads. It replaces
``QApplication.exec`` (the one line after which ``main`` would wait for the person) with a wait
for the unlock screen's first paint, renders the window with ``grab()``, prints the paint's wall
time as JSON and exits.
"""

import json
import sys
import time
from pathlib import Path


def main(folder: Path) -> None:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from ui import app

    def exec_until_painted(self: QApplication) -> int:
        from ui.main_window import MainWindow
        from ui.unlock import UnlockScreen

        (window,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        assert isinstance(window.gate, UnlockScreen), "the vault exists: unlock screen expected"
        painted: list[float] = []

        class PaintWatch(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint and not painted:
                    painted.append(time.time())
                return False

        watch = PaintWatch()
        window.gate.installEventFilter(watch)
        while not painted:
            QApplication.processEvents()
        assert not window.grab().isNull()
        print(json.dumps({"painted_wall": painted[0]}), flush=True)
        return 0

    QApplication.exec = exec_until_painted  # type: ignore[method-assign,assignment]
    app.main(["--vault", str(folder), "--theme", "light"])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
