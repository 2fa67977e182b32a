"""A visible focus ring on every kind of control a Tab reaches, in the light and the dark theme.

Each control is drawn by the app's own stylesheet with and without the keyboard focus; the focused
picture must carry pixels of the ring's colour (the accent, or the text colour on what is filled
with the accent) at least as many as the control's perimeter, which the unfocused one lacks: a
2 px ring gives about twice that, the old 1 px accent border a little less than once.
"""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.theme import Colors


def _button(primary: bool = False) -> QPushButton:
    button = QPushButton("Create an invite code")
    if primary:
        button.setProperty("primary", True)
    return button


def _chip() -> QPushButton:
    chip = QPushButton("hopeful")
    chip.setProperty("chip", True)
    chip.setCheckable(True)
    chip.setChecked(True)
    return chip


def _new_button() -> QToolButton:
    new = QToolButton()
    new.setObjectName("NewButton")
    new.setText("New")
    return new


def _sidebar() -> QListWidget:
    sidebar = QListWidget()
    sidebar.setObjectName("Sidebar")
    sidebar.addItems(["Timeline", "Calendar"])
    sidebar.setCurrentRow(0)
    return sidebar


def _combo() -> QComboBox:
    combo = QComboBox()
    combo.addItems(["All kinds", "Disclosures"])
    return combo


CONTROLS: dict[str, tuple[Callable[[], QWidget], str]] = {
    "button": (_button, "accent"),
    "primary button": (lambda: _button(primary=True), "text"),
    "checked chip": (_chip, "text"),
    "New button": (_new_button, "text"),
    "line edit": (lambda: QLineEdit("Alex"), "accent"),
    "text edit": (lambda: QPlainTextEdit("a note"), "accent"),
    "combo box": (_combo, "accent"),
    "spin box": (QSpinBox, "accent"),
    "check box": (lambda: QCheckBox("Tray icon"), "accent"),
    "sidebar": (_sidebar, "accent"),
    "list": (lambda: QListWidget(), "accent"),
}


def _ring_pixels(image: QImage, colour: QColor) -> int:
    """Pixels of ``image`` exactly ``colour`` (a ring's straight sides are; its corners, which
    are antialiased, do not count)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    pixel = bytes((colour.blue(), colour.green(), colour.red(), 0xFF))  # 0xffRRGGBB, little-endian
    return bytes(rgb.constBits()).count(pixel)


def _rings(colours: Colors, qtbot) -> list[str]:
    host = QWidget()
    qtbot.addWidget(host)
    box = QVBoxLayout(host)
    made = {name: (make(), ring) for name, (make, ring) in CONTROLS.items()}
    for widget, _ in made.values():
        tall = isinstance(widget, QListWidget | QPlainTextEdit)
        widget.setFixedHeight(80 if tall else widget.sizeHint().height())
        box.addWidget(widget)
    host.resize(320, host.sizeHint().height())
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    missing = []
    for name, (widget, ring) in made.items():
        colour = QColor(getattr(colours, ring))
        host.setFocus()
        QApplication.processEvents()
        before = _ring_pixels(widget.grab().toImage(), colour)
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
        assert widget.hasFocus(), name
        after = _ring_pixels(widget.grab().toImage(), colour)
        perimeter = 2 * (widget.width() + widget.height())
        if after - before < perimeter:
            missing.append(f"{name}: {after - before} ring pixels, fewer than {perimeter}")
    return missing


def test_every_control_shows_a_ring_when_it_has_the_focus(qtbot, qapp) -> None:
    styled = theme.Theme.instance or theme.Theme(qapp, forced="light")
    was = styled.forced
    try:
        for mode, colours in (("light", theme.LIGHT), ("dark", theme.DARK)):
            styled.set_forced(mode)
            assert _rings(colours, qtbot) == [], mode
    finally:
        styled.set_forced(was)
