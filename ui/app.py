"""``trustvault``: the desktop app (entry point, flags, the QApplication)."""

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication

from trustvault.hardening import harden_process
from trustvault.paths import resolve_vault_dir
from ui import theme
from ui.bridge import VaultBridge, install_excepthook
from ui.main_window import MainWindow
from ui.settings import AppSettings

__all__ = ["main", "make_app"]


def make_app(argv: Sequence[str] = (), theme_name: str | None = None) -> QApplication:
    """The QApplication with TrustVault's names, icon and theme (reused if one exists)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "trustvault", *argv])
    app.setApplicationName("TrustVault")
    app.setOrganizationName("TrustVault")
    app.setApplicationDisplayName("TrustVault")
    app.setDesktopFileName("trustvault")
    theme.Theme(app, forced=theme_name)
    app.setWindowIcon(theme.icon("app", theme.colors().accent, 64))
    return app


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trustvault",
        description="TrustVault, the desktop app. Without options it opens your vault (or helps"
        " you create one). For scripting, see trustvault-cli.",
    )
    parser.add_argument(
        "--vault", metavar="DIR", help="the vault folder (default: your data folder)"
    )
    parser.add_argument("--demo", action="store_true", help="two demo partners, paired, seeded")
    parser.add_argument(
        "--screenshots", metavar="DIR", help="save each main screen as PNG and exit"
    )
    parser.add_argument(
        "--theme", choices=("light", "dark"), help="ignore the system colour scheme"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    harden_process()
    if args.screenshots and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # screenshots never need a screen
    missing = _no_display()
    if missing:
        print(f"trustvault: {missing}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = AppSettings()
    app = make_app(theme_name=args.theme or settings.theme)
    install_excepthook()
    if args.screenshots:
        from ui.screenshots import render_all

        render_all(Path(args.screenshots), theme_name=args.theme)
        return 0
    if args.demo:
        from ui.demo import Demo

        demo = Demo()
        demo.show()
        code = app.exec()
        demo.close()
        return int(code)
    folder = resolve_vault_dir(args.vault) if args.vault else None
    folder = folder or (settings.vault_dir if settings.vault_dir and not _env_home() else None)
    window = MainWindow(VaultBridge(), settings, folder or resolve_vault_dir(None), fast_start=True)
    window.show()
    return int(app.exec())


def _env_home() -> bool:
    return bool(os.environ.get("TRUSTVAULT_HOME"))


def _no_display() -> str:
    """One plain line when a Linux/BSD desktop session is missing, instead of Qt's abort."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd")):
        return ""
    if os.environ.get("QT_QPA_PLATFORM") or os.environ.get("DISPLAY"):
        return ""
    if os.environ.get("WAYLAND_DISPLAY"):
        return ""
    return (
        "no display found (neither DISPLAY nor WAYLAND_DISPLAY is set). Start it from your"
        " desktop session, or use trustvault-cli; --screenshots DIR works without a display."
    )


if __name__ == "__main__":
    sys.exit(main())
