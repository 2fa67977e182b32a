"""Help: a short guide, the promise (what the app never does, when not to use it) and About."""

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from trustvault.version import package_version
from ui.promise import BEFORE_YOU_BEGIN, GETTING_STARTED
from ui.widgets.basics import label

__all__ = ["HelpDialog", "about", "getting_started", "promise"]


class HelpDialog(QDialog):
    """A heading and paragraphs (each with an optional bold lead-in), closed by Close or Esc."""

    def __init__(
        self, title: str, paragraphs: list[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(480)
        box = QVBoxLayout(self)
        box.addWidget(label(title, "title"))
        self.paragraphs = []
        for lead, text in paragraphs:
            shown = label(f"<b>{lead}.</b> {text}" if lead else text, selectable=True)
            self.paragraphs.append(shown)
            box.addWidget(shown)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)


def getting_started(parent: QWidget) -> HelpDialog:
    return HelpDialog("Getting started", list(GETTING_STARTED), parent)


def promise(parent: QWidget) -> HelpDialog:
    return HelpDialog("Our promise, and when not to use TrustVault",
                      [("", text) for text in BEFORE_YOU_BEGIN], parent)  # fmt: skip


def about(parent: QWidget) -> HelpDialog:
    return HelpDialog("About TrustVault", [
        ("", f"Version {package_version()}."),
        ("", "Private, end-to-end encrypted transparency for a couple rebuilding trust. Each"
             " partner's vault is encrypted on their own device; shared entries travel sealed,"
             " and nobody else, the sync folder or relay included, can read them."),
        ("", "The protocol and its limits are written down in PROTOCOL.md, beside the source."),
    ], parent)  # fmt: skip
