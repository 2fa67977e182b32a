"""``python -m ui.desktop_entry``: a menu entry for this install, per user (make install-desktop).

Writes, under ``$XDG_DATA_HOME`` (default ``~/.local/share``): ``applications/trustvault.desktop``
with ``Exec`` naming this install's ``trustvault`` by its full path (a venv is rarely on the
menu's PATH), the AppStream file in ``metainfo/``, and the app icon in the hicolor theme at the
sizes desktops ask for, rendered from ``resources/icons/app.svg`` (the one drawing the window
uses). The file name matches ``QApplication.setDesktopFileName("trustvault")``, so the window and
the menu entry are one app to the desktop.
"""

import argparse
import os
import shlex
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

__all__ = ["ICON_SIZES", "install"]

ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
APP_ID = "trustvault"


def _data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def _exec_line(program: Path) -> str:
    """The ``Exec`` value: the program's path, quoted as the Desktop Entry spec asks."""
    path = str(program)
    if shlex.quote(path) == path:
        return path
    escaped = path.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'


def install(data_home: Path, program: Path) -> list[Path]:
    """Write the entry, the metainfo and the icons under ``data_home``; the paths written."""
    from PySide6.QtGui import QGuiApplication

    from ui import theme

    if QGuiApplication.instance() is None:
        app = QGuiApplication([sys.argv[0] if sys.argv else APP_ID])  # noqa: F841 (kept alive)
    source = resources.files("resources") / "desktop"
    written: list[Path] = []

    entry = source.joinpath(f"{APP_ID}.desktop").read_text(encoding="utf-8")
    entry = entry.replace(f"Exec={APP_ID}\n", f"Exec={_exec_line(program)}\n")
    written.append(_write(data_home / "applications" / f"{APP_ID}.desktop", entry))
    metainfo = source.joinpath(f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    written.append(_write(data_home / "metainfo" / f"{APP_ID}.metainfo.xml", metainfo))

    accent = theme.LIGHT.accent
    icons = data_home / "icons" / "hicolor"
    svg = icons / "scalable" / "apps" / f"{APP_ID}.svg"
    written.append(_write(svg, theme.tinted_svg("app", accent)))
    for size in ICON_SIZES:
        png = icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        png.parent.mkdir(parents=True, exist_ok=True)
        if not theme.pixmap("app", size, accent, ratio=1.0).save(str(png), "PNG"):
            raise OSError(f"could not write {png}")
        written.append(png)
    return written


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.desktop_entry", description=__doc__)
    parser.add_argument("--data-home", type=Path, help="default: $XDG_DATA_HOME or ~/.local/share")
    args = parser.parse_args(argv)
    program = Path(sys.executable).with_name(APP_ID)
    if not program.exists():
        print(f"desktop_entry: {program} does not exist; install the app first.", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # drawing icons needs no screen
    home = args.data_home or _data_home()
    written = install(home, program)
    print(f"TrustVault is in your applications menu ({len(written)} files under {home}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
