"""``make install-desktop``: the menu entry, the AppStream file and the icons, per user."""

import configparser
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from trustvault.version import package_version
from ui import theme
from ui.app import make_app
from ui.desktop_entry import ICON_SIZES, _exec_line, install


def _entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_install_writes_an_entry_metainfo_and_icons_the_window_matches(
    qapp: QApplication, tmp_path: Path
) -> None:
    program = tmp_path / "venv bin" / "trustvault"
    written = install(tmp_path / "share", program)
    share = tmp_path / "share"
    assert all(p.is_relative_to(share) for p in written)

    entry = _entry(share / "applications" / "trustvault.desktop")
    assert entry["Type"] == "Application" and entry["Name"] == "TrustVault"
    assert entry["Exec"] == f'"{program}"'  # this install's own program, quoted for the space
    assert entry["Icon"] == "trustvault" and entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    # The running window says it is this entry, so the desktop groups them as one app.
    assert make_app().desktopFileName() == Path(entry["StartupWMClass"]).name == "trustvault"

    info = ET.parse(share / "metainfo" / "trustvault.metainfo.xml").getroot()  # noqa: S314 (ours)
    assert info.get("type") == "desktop-application" and info.findtext("id") == "trustvault"
    assert info.findtext("launchable") == "trustvault.desktop"
    assert info.findtext("project_license") == "GPL-3.0-or-later"
    newest = info.find("releases/release")  # software centres show it; it must be this version
    assert newest is not None and newest.get("version") == package_version()

    icons = share / "icons" / "hicolor"
    assert "<svg" in (icons / "scalable" / "apps" / "trustvault.svg").read_text(encoding="utf-8")
    for size in ICON_SIZES:
        image = QImage(str(icons / f"{size}x{size}" / "apps" / "trustvault.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
    small = QImage(str(icons / "32x32" / "apps" / "trustvault.png"))
    inked = [small.pixelColor(x, y) for x in range(32) for y in range(32)]
    assert any(c.alpha() > 200 and c.name() == theme.LIGHT.accent.lower() for c in inked)


def test_the_exec_line_quotes_only_what_needs_it() -> None:
    assert _exec_line(Path("/home/a/.venv/bin/trustvault")) == "/home/a/.venv/bin/trustvault"
    assert _exec_line(Path('/opt/my "apps"/$x')) == '"/opt/my \\"apps\\"/\\$x"'
