"""A fresh ``trustvault`` start on an existing vault, for ``test_fast_start``: which modules were
loaded when the unlock screen first painted, then an unlock typed into that very screen.

Run as ``python -P tests/ui/fast_start_child.py FOLDER PASSPHRASE``; prints one JSON line.
"""

import json
import sys
from pathlib import Path

WATCHED = ("trustvault", "ui", "crypto", "nacl", "sqlcipher3", "keyring", "dateutil", "icalendar",
           "httpx", "segno")  # fmt: skip


def main(folder: Path, passphrase: str) -> None:
    from PySide6.QtCore import QDeadlineTimer, QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from ui import app

    def exec_then_unlock(self: QApplication) -> int:
        from ui.main_window import MainWindow
        from ui.unlock import UnlockScreen

        (window,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        screen = window.gate
        assert isinstance(screen, UnlockScreen)
        at_paint: list[list[str]] = []
        built_at_paint: list[bool] = []

        class PaintWatch(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint and not at_paint:
                    at_paint.append(sorted(m for m in sys.modules if m.split(".")[0] in WATCHED))
                    built_at_paint.append(window.body_ready)
                return False

        watch = PaintWatch()
        screen.installEventFilter(watch)
        deadline = QDeadlineTimer(30_000)

        def spin(until: object) -> None:
            while not until() and not deadline.hasExpired():  # type: ignore[operator]
                QApplication.processEvents()

        spin(lambda: at_paint and window.body_ready)
        screen.passphrase.setText(passphrase)
        screen.unlock_button.click()
        spin(lambda: window.bridge.is_unlocked)
        print(json.dumps({
            "loaded_at_paint": at_paint[0] if at_paint else None,
            "built_at_paint": built_at_paint[0] if built_at_paint else None,
            "pages": [p.title for p in window.page_widgets] if window.body_ready else [],
            "unlocked": window.bridge.is_unlocked,
            "shown": window.current_page().title if window.bridge.is_unlocked else "",
        }), flush=True)  # fmt: skip
        window.close()
        return 0

    QApplication.exec = exec_then_unlock  # type: ignore[method-assign,assignment]
    app.main(["--vault", str(folder), "--theme", "light"])


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
