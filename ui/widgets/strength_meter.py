"""The passphrase strength meter shared by the setup wizard and "Change passphrase".

The estimate steers people toward several unrelated words; the only hard rule is the core's
minimum length, which :meth:`Vault.create` and :meth:`Vault.change_passphrase` enforce.
"""

import math
import re

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QWidget

from trustvault.actions import MIN_PASSPHRASE
from ui.widgets.basics import label, restyle

__all__ = ["STRENGTH_WORDS", "StrengthMeter", "passphrase_strength"]

STRENGTH_WORDS = ("Too short", "Weak", "Fair", "Good", "Strong")
_COMMON = (
    "password",
    "passwort",
    "123456",
    "qwerty",
    "letmein",
    "iloveyou",
    "trustno1",
    "welcome",
    "monkey",
    "dragon",
    "sunshine",
    "princess",
    "abc123",
    "admin",
    "loveyou",
    "trustvault",
)


def passphrase_strength(text: str) -> int:
    """0 (too short) to 4 (strong), from a rough entropy estimate with common patterns removed."""
    if len(text) < MIN_PASSPHRASE:
        return 0
    lowered = text.lower()
    words = [w for w in re.split(r"[\s\-_.,]+", text) if w]
    if len(words) >= 2 and all(w.isalpha() for w in words):
        # Several words: count each as one pick from a large vocabulary, short words less.
        bits = sum(min(len(w) * 4.0, 16.0) for w in words)
    else:
        pool = sum(
            size
            for pattern, size in (
                (r"[a-z]", 26),
                (r"[A-Z]", 26),
                (r"[0-9]", 10),
                (r"[^a-zA-Z0-9]", 33),
            )
            if re.search(pattern, text)
        )
        distinct = len(set(lowered))
        bits = min(len(text), distinct * 2) * math.log2(max(pool, 2))
    if any(c in lowered for c in _COMMON) or re.fullmatch(r"(.)\1*|\d+", text):
        bits = min(bits, 30.0)
    for limit, score in ((40, 1), (60, 2), (80, 3)):
        if bits < limit:
            return score
    return 4


class StrengthMeter(QWidget):
    """A bar and a word ('Fair', 'Strong', ...); call :meth:`show_for` as the person types."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.bar.setAccessibleName("Passphrase strength")
        self.words = label("", "muted", wrap=False)
        self.words.setMinimumWidth(80)
        row.addWidget(self.bar, 1)
        row.addWidget(self.words)
        self.show_for("")

    def show_for(self, text: str) -> None:
        score = passphrase_strength(text)
        self.bar.setValue(score)
        word = STRENGTH_WORDS[score] if text else ""
        self.words.setText(word)
        self.bar.setAccessibleDescription(word or "empty")
        restyle(self.bar, "strength", {0: "weak", 1: "weak", 2: "fair"}.get(score, "strong"))
