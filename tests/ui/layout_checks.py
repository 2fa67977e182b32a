"""What "usable at a size" means, page by page: shared by the 800 by 600 test (in-process) and
the 200% scaling test (a process of its own, since the scale is fixed when Qt starts)."""

from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QScrollArea, QWidget

__all__ = ["page_problems"]


def page_problems(window: QWidget, pages: list[QWidget], show_page: object) -> list[str]:
    """Every way a page is cut off at the window's current size: the window widened, a
    sideways scroll bar, a button past the right edge or squeezed below its size hint."""
    problems: list[str] = []
    width = window.width()
    for row, page in enumerate(pages):
        show_page(row)  # type: ignore[operator]
        for _ in range(5):
            QApplication.processEvents()
        title = getattr(page, "title", row)
        if window.width() != width:
            problems.append(f"{title} widened the window to {window.width()}")
        for area in page.findChildren(QScrollArea):
            bar = area.horizontalScrollBar()
            if bar.isVisible() and bar.maximum() > 0:
                problems.append(f"{title} scrolls sideways")
        for button in page.findChildren(QAbstractButton):
            if not (button.isVisible() and button.text()):
                continue
            if button.mapTo(window, button.rect().topRight()).x() > window.width():
                problems.append(f"{title}: {button.text()!r} is cut off")
            if button.width() < button.sizeHint().width() - 2:
                problems.append(f"{title}: {button.text()!r} is squeezed")
        for text in window.findChildren(QLabel):  # the page's heading lives in the window
            shown = text.isVisible() and text.text() and not text.wordWrap()
            if shown and text.width() < text.sizeHint().width() - 2:
                problems.append(f"{title}: the label {text.text()!r} is cut off")
    return problems
