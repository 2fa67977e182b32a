"""The desktop app opening a 100,000-entry vault to its first painted timeline page (issue 4).

A fresh process (``QT_QPA_PLATFORM=offscreen``) imports the app, opens the vault with its key (no
Argon2id: that cost is the passphrase's, measured elsewhere), shows the main window at the
timeline and waits until the timeline's viewport has painted rows and ``grab()`` has rendered the
window. Figures (medians of 5 processes):

- ``first_page_ms``: key in hand -> first painted page (open, pages load, layout, paint, grab).
- ``spawn_to_page_ms``: process start -> first painted page, what a person waits after launch.
- ``settled_ms``: key in hand -> every page's background load delivered and the window idle.
- ``qt_import_floor_ms``: ``python -c "import PySide6.QtWidgets"`` in the same run, the floor no
  Qt app can beat on this machine.

Run alone with ``python -m bench --only ui_open``; ``python -m bench.ui_open FOLDER KEYHEX`` is the
child process.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import Figures, Run, benchmark

ROOT = Path(__file__).resolve().parent.parent
SIZE = 100_000
RUNS = 5


def _child(folder: Path, key: bytes) -> dict[str, float]:
    """In the fresh process: import, open, show, wait for the first paint; times in ms."""
    started = time.perf_counter()
    from PySide6.QtCore import QEvent, QObject, QPoint
    from PySide6.QtWidgets import QApplication

    from trustvault.actions import Actions
    from trustvault.vault import Vault
    from ui.app import make_app
    from ui.bridge import VaultBridge
    from ui.main_window import MainWindow
    from ui.pages.timeline_page import TimelinePage
    from ui.settings import AppSettings

    imported = time.perf_counter()
    app = make_app(theme_name="light")
    painted: list[float] = []

    class PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and page.model.rowCount() and not painted:
                painted.append(time.perf_counter())
            return False

    settings = AppSettings(folder.parent / "ui-open-settings.ini")
    window = MainWindow(VaultBridge(), settings, folder, sync_interval_ms=0)
    window.resize(1180, 760)
    window.show()
    app.processEvents()
    timeline = window.page(TimelinePage)
    assert isinstance(timeline, TimelinePage)
    page: TimelinePage = timeline
    watch = PaintWatch()
    timeline.view.viewport().installEventFilter(watch)
    busy = [False]
    window.bridge.busy.connect(lambda on: busy.__setitem__(0, on))
    ready = time.perf_counter()
    window.bridge.open_vault(Actions(Vault.open_with_key(folder, key)))
    while not painted:
        app.processEvents()
    image = window.grab()
    first_page = time.perf_counter()
    assert not image.isNull() and timeline.view.indexAt(QPoint(10, 10)).isValid()
    while busy[0]:  # the other pages' loads, delivered (and shown) on the UI thread
        window.bridge.wait_idle(50)
        app.processEvents()
    settled = time.perf_counter()
    window.close()
    QApplication.processEvents()
    return {
        "imports_ms": (imported - started) * 1000,
        "first_page_ms": (first_page - ready) * 1000,
        "settled_ms": (settled - ready) * 1000,
        "page_wall": time.time() - (time.perf_counter() - first_page),
    }


def _build(run: Run, n: int) -> tuple[Path, bytes]:
    from bench.data import entries
    from trustvault.vault import Vault

    folder = run.folder / f"vault-{n}"
    with Vault.create(folder, "benchmark passphrase", "Bench", kdf_profile="interactive") as v:
        started = time.perf_counter()
        v.entries.add_many(entries(n))
        run.say(f"built a {n:,}-entry vault in {time.perf_counter() - started:.1f} s")
        return folder, v.key


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


def _qt_floor() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import PySide6.QtWidgets"], check=True, env=_env())
    return (time.perf_counter() - started) * 1000


@benchmark("ui_open")
def ui_open(run: Run) -> Figures:
    n = SIZE if SIZE in run.sizes else max(run.sizes)
    folder, key = _build(run, n)
    samples: list[dict[str, float]] = []
    floors: list[float] = []
    for _ in range(RUNS):
        floors.append(_qt_floor())
        spawned = time.time()
        done = subprocess.run(
            [sys.executable, "-m", "bench.ui_open", str(folder), key.hex()],
            cwd=ROOT, env=_env(), capture_output=True, text=True, check=True,
        )  # fmt: skip
        got = json.loads(done.stdout.strip().splitlines()[-1])
        got["spawn_to_page_ms"] = (got.pop("page_wall") - spawned) * 1000
        samples.append(got)
    figures: Figures = {
        name: statistics.median(s[name] for s in samples)
        for name in ("first_page_ms", "spawn_to_page_ms", "settled_ms", "imports_ms")
    }
    figures["qt_import_floor_ms"] = statistics.median(floors)
    run.say(
        f"app opens a {n:,}-entry vault with its key, first timeline page painted: "
        f"{figures['first_page_ms']:.0f} ms (median of {RUNS}; all pages loaded "
        f"{figures['settled_ms']:.0f} ms)"
    )
    run.say(
        f"fresh process to first page {figures['spawn_to_page_ms']:.0f} ms (app imports "
        f"{figures['imports_ms']:.0f} ms); floor: python -c 'import PySide6.QtWidgets' "
        f"{figures['qt_import_floor_ms']:.0f} ms"
    )
    return figures


if __name__ == "__main__":
    print(json.dumps(_child(Path(sys.argv[1]), bytes.fromhex(sys.argv[2]))), flush=True)
