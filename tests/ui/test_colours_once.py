"""Every colour is written once, in the palette of ``ui/theme.py``: a check that fails, tested too.

Anywhere else under ``ui/`` a colour literal (``#2f2a26``, ``rgb(…)``, ``QColor("teal")``,
``QColor(47, 42, 38)``, ``Qt.GlobalColor.white``) or a hand-written ``setStyleSheet`` would be a
second definition that a theme switch or a palette change forgets. The stylesheet template in
``resources/`` holds placeholders only, and icons are drawn in the one ink the theme replaces.
"""

import re
from dataclasses import asdict
from pathlib import Path

import pytest
from PySide6.QtGui import QPalette

from ui import theme

ROOT = Path(__file__).resolve().parents[2]
PALETTE_MODULE = ROOT / "ui" / "theme.py"

COLOUR = re.compile(
    r"#[0-9a-fA-F]{3,8}\b"  # hex, in QSS, HTML or QColor("#…")
    r"|\b(?:rgba?|hsla?|hsva?)\s*\("  # QSS and HTML colour functions
    r"|\bQColor\s*\(\s*(?:[\"']|\d)"  # QColor("teal"), QColor(47, 42, 38)
    r"|\bQColor\.from(?:Rgb|Rgba|Hsv|Hsl|Cmyk)\w*\s*\("
    r"|\bGlobalColor\.(?!transparent\b)\w+"  # Qt's named colours (transparent is no colour)
)
STYLESHEET = re.compile(r"\bsetStyleSheet\s*\(")


def colour_literals(text: str) -> list[str]:
    """Each colour written out in ``text`` (source, stylesheet or SVG), as written."""
    return [m.group(0) for m in COLOUR.finditer(text)]


def problems_in(path: Path, text: str) -> list[str]:
    """What in ``path`` defines a colour outside the palette (nothing, when the rule holds)."""
    where = path.relative_to(ROOT) if path.is_absolute() else path
    found = [f"{where}: colour {hit!r}" for hit in colour_literals(text)]
    if path.suffix == ".py":
        found += [f"{where}: setStyleSheet" for _ in STYLESHEET.finditer(text)]
    return found


def _ui_sources() -> list[Path]:
    return sorted(p for p in (ROOT / "ui").rglob("*.py") if p != PALETTE_MODULE)


@pytest.mark.parametrize("path", _ui_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_colour_is_written_outside_the_palette(path: Path) -> None:
    assert problems_in(path, path.read_text(encoding="utf-8")) == []


def test_the_stylesheet_template_names_colours_only() -> None:
    for path in sorted((ROOT / "resources").glob("*.qss")):
        assert problems_in(path, path.read_text(encoding="utf-8")) == []


def test_icons_are_drawn_in_the_one_ink_the_theme_replaces() -> None:
    for path in sorted((ROOT / "resources" / "icons").glob("*.svg")):
        inks = set(colour_literals(path.read_text(encoding="utf-8")))
        assert inks <= {"#000000"}, f"{path.name}: {sorted(inks)}"


@pytest.mark.parametrize("palette", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_the_stylesheet_is_made_from_the_palette(palette: theme.Colors) -> None:
    qss = theme.stylesheet(palette)
    assert "${" not in qss
    values = {v for v in asdict(palette).values() if isinstance(v, str)}
    assert set(re.findall(r"#[0-9a-fA-F]{6}\b", qss)) <= values
    assert re.findall(r"url\(tv:[\w-]+\.svg\)", qss)  # the tinted arrows


def _palette_roles_read() -> set[str]:
    """The QPalette roles that painting code and the stylesheet read (``Mid``, ``Midlight``...)."""
    roles = set()
    for path in _ui_sources():
        roles.update(re.findall(r"ColorRole\.(\w+)", path.read_text(encoding="utf-8")))
    for path in (ROOT / "resources").glob("*.qss"):
        for name in re.findall(r"palette\(([\w-]+)\)", path.read_text(encoding="utf-8")):
            roles.add("".join(part.capitalize() for part in name.split("-")))
    return roles


def test_every_palette_role_read_is_filled_from_the_palette(qapp) -> None:
    """A role left unset shows Qt's own grey, in both themes (it drew the cards' edge light grey
    on the dark theme once)."""
    roles = _palette_roles_read()
    assert "Mid" in roles  # the month grid and the charts read it
    for palette in (theme.LIGHT, theme.DARK):
        pal = theme._palette(palette)
        unset = [
            r
            for r in sorted(roles)
            if not pal.isBrushSet(QPalette.ColorGroup.Active, getattr(QPalette.ColorRole, r))
        ]
        assert unset == [], palette.dark


# -- the detector itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        'self.setStyleSheet("color: #fff")',
        "QColor('#2f2a26')",
        'QColor("teal")',
        "QColor(47, 42, 38)",
        "QColor.fromRgbF(0.1, 0.2, 0.3)",
        "background: rgb(1, 2, 3);",
        "border: 1px solid rgba(0,0,0,40);",
        "f\"<span style='color:#b24a3b'>\"",
        "painter.setPen(Qt.GlobalColor.white)",
        "#Card { background: #ffffffcc; }",
    ],
)
def test_the_detector_catches_each_way_of_writing_a_colour(source: str) -> None:
    assert problems_in(Path("ui/widgets/x.py"), source)


@pytest.mark.parametrize(
    "source",
    [
        "QColor(c.accent)",
        "QColor(pal.color(QPalette.ColorRole.Highlight))",
        '"#Card { background: ${surface}; border: 1px solid ${border}; }"',
        'self.setObjectName("SidebarBrand")  # fmt: skip',
        "px.fill(Qt.GlobalColor.transparent)",
        "f\"<span style='color:{accent}'>(changed)</span>\"",
        'QLabel[role="error"] { color: ${danger}; }',
    ],
)
def test_the_detector_lets_palette_names_through(source: str) -> None:
    assert problems_in(Path("ui/widgets/x.py"), source) == []


def test_the_detector_reads_stylesheets_and_svgs_without_the_python_rule() -> None:
    assert problems_in(Path("resources/theme.qss"), "QWidget { color: #2f2a26; }")
    assert problems_in(Path("resources/theme.qss"), "/* setStyleSheet( is prose here */") == []
