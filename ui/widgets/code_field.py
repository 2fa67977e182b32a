"""The field a joiner types the spoken pairing code into, completing each word from its list.

The code is ``N-word-word``: the first word comes from the PGP list's even words and the second
from its odd words (:mod:`trustvault.medium` lends the lists), so the completer offers, for the
word being typed, only the words that may stand there, as whole codes the field can take.
"""

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from trustvault.medium import code_words

__all__ = ["CodeField"]


class CodeField(QLineEdit):
    """A line edit for the pairing code, with word completion for the short code."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words = QStringListModel(self)
        self.completer_ = QCompleter(self.words, self)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(self.completer_)
        self.textEdited.connect(self._offer)

    def _offer(self, text: str) -> None:
        """Offer the words that may finish the word being typed (none for a long code)."""
        parts = text.lower().replace(" ", "-").split("-")
        if len(parts) not in (2, 3) or not parts[0].isdigit() or not parts[-1]:
            self.words.setStringList([])
            return
        head = text[: len(text) - len(parts[-1])]
        self.words.setStringList([head + w for w in code_words(parts[-1], len(parts) - 1)])
        if self.words.rowCount():
            self.completer_.complete()
