"""Homework from the session ("each write a letter"), for the next therapy session: the text
and whom it is for, nothing else (:meth:`Actions.add_homework` finds the session)."""

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from ui.bridge import VaultBridge
from ui.widgets.basics import label

__all__ = ["FOR_CHOICES", "HomeworkDialog"]

FOR_CHOICES = (("Both of us", "both"), ("Me", "author"), ("My partner", "partner"))


class HomeworkDialog(QDialog):
    """Write one homework item; it attaches to the next therapy session on the calendar."""

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setWindowTitle("New homework")
        self.setMinimumWidth(440)
        self.text = QLineEdit()
        self.text.setAccessibleName("Homework")
        self.text.setPlaceholderText("e.g. Each write a letter")
        self.for_whom = QComboBox()
        self.for_whom.setAccessibleName("For")
        for words, value in FOR_CHOICES:
            self.for_whom.addItem(words, value)
        self.error = label("", "error", selectable=True)
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton("Add", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(label("It is for your next therapy session, and your partner sees it.",
                            "muted"))  # fmt: skip
        box.addWidget(label("Homework"))
        box.addWidget(self.text)
        box.addWidget(label("For"))
        box.addWidget(self.for_whom)
        box.addWidget(self.error)
        box.addWidget(self.buttons)

    def save(self) -> None:
        text, for_whom = self.text.text(), str(self.for_whom.currentData())
        self.buttons.setEnabled(False)
        self.bridge.write(
            lambda a: a.add_homework(text, for_whom), lambda _h: self.accept(), self._failed
        )

    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)
        self.buttons.setEnabled(True)
