"""What changed between two versions of an agreement, word by word (difflib), made readable.

Removed words are struck through and added words are underlined in bold, so the change reads
without relying on colour; a short legend says so above the text.
"""

import html
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from ui.widgets.basics import friendly_day, label

__all__ = ["Version", "VersionDiff", "diff_counts", "word_diff_html"]

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
_DELETED = '<span style="text-decoration: line-through;">{}</span>'
_INSERTED = "<b><u>{}</u></b>"


@dataclass(frozen=True)
class Version:
    """The wording of one version of an agreement, as last saved under that number."""

    number: int
    title: str
    text: str
    saved: str  # ISO date-time of the revision that holds it


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def _chunks(a: list[str], b: list[str]) -> list[tuple[bool, str, str]]:
    """(changed, old text, new text) runs; changes separated only by spaces are merged, so
    "the same day" -> "within a few hours" reads as one replacement, not interleaved words."""
    runs: list[tuple[bool, str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        changed = op != "equal"
        if runs and runs[-1][0] and (changed or not old.strip()):
            _, prev_old, prev_new = runs.pop()
            runs.append((True, prev_old + old, prev_new + new))
        else:
            runs.append((changed, old, new))
    # whitespace absorbed at the end of a change belongs to the text that follows
    out = []
    for changed, old, new in runs:
        if changed and old.endswith(" ") and new.endswith(" ") and not old.isspace():
            out.append((True, old.rstrip(" "), new.rstrip(" ")))
            out.append((False, " ", " "))
        else:
            out.append((changed, old, new))
    return out


def word_diff_html(old: str, new: str) -> str:
    """HTML of ``new`` with the words removed from ``old`` struck through and the added ones
    underlined; line breaks kept."""
    out: list[str] = []
    for changed, removed, added in _chunks(_tokens(old), _tokens(new)):
        if not changed:
            out.append(html.escape(added))
            continue
        if removed.strip():
            out.append(_DELETED.format(html.escape(removed)))
        if removed.strip() and added.strip():
            out.append(" ")
        if added.strip():
            out.append(_INSERTED.format(html.escape(added)))
        elif not removed.strip():
            out.append(html.escape(added))
    return "".join(out).replace("\n", "<br>")


def diff_counts(old: str, new: str) -> tuple[int, int]:
    """(words added, words removed), for a one-line summary."""
    a, b = _tokens(old), _tokens(new)
    added = removed = 0
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            removed += sum(1 for t in a[i1:i2] if t.strip())
        if op in ("insert", "replace"):
            added += sum(1 for t in b[j1:j2] if t.strip())
    return added, removed


class VersionDiff(QWidget):
    """Two version pickers and the marked-up difference between them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._versions: list[Version] = []
        self.older = QComboBox()
        self.older.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.older.setAccessibleName("Compare from version")
        self.newer = QComboBox()
        self.newer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.newer.setAccessibleName("Compare to version")
        self.summary = label("", "muted", selectable=True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.view = QTextBrowser()
        self.view.setAccessibleName("Changes between the two versions")
        self.view.setOpenLinks(False)
        self.pickers = QWidget()
        row = QHBoxLayout(self.pickers)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Compare"))
        row.addWidget(self.older)
        row.addWidget(QLabel("with"))
        row.addWidget(self.newer)
        row.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.pickers)
        box.addWidget(self.summary)
        box.addWidget(self.view, 1)
        self.older.currentIndexChanged.connect(self._render)
        self.newer.currentIndexChanged.connect(self._render)

    def set_versions(self, versions: list[Version]) -> None:
        """Show ``versions`` (oldest first); picks the last two, or explains there is one."""
        self._versions = versions
        for combo in (self.older, self.newer):
            combo.blockSignals(True)
            combo.clear()
            for v in versions:
                combo.addItem(f"version {v.number}, {friendly_day(v.saved)[4:]}", v.number)
            combo.blockSignals(False)
            widest = max(
                (
                    combo.fontMetrics().horizontalAdvance(combo.itemText(i))
                    for i in range(combo.count())
                ),
                default=0,
            )
            combo.setMinimumWidth(widest + 56)
        self.older.setCurrentIndex(max(0, len(versions) - 2))
        self.newer.setCurrentIndex(max(0, len(versions) - 1))
        several = len(versions) > 1
        self.pickers.setVisible(several)
        self.view.setVisible(several)
        self._render()

    def clear(self) -> None:
        self._versions = []
        self.older.clear()
        self.newer.clear()
        self.view.clear()
        self.summary.clear()

    def html(self) -> str:
        return self.view.toHtml()

    def _render(self) -> None:
        if not self._versions:
            self.view.clear()
            self.summary.clear()
            return
        if len(self._versions) == 1:
            self.summary.setText(
                "This is the first version; changes will show here once it is revised."
            )
            self.view.clear()
            return
        old = self._versions[self.older.currentIndex()]
        new = self._versions[self.newer.currentIndex()]
        added, removed = diff_counts(f"{old.title}\n{old.text}", f"{new.title}\n{new.text}")
        self.summary.setText(
            f"From version {old.number} to {new.number}: {added} words added, {removed} removed. "
            "Struck-through words were taken out; underlined words were added."
        )
        parts = []
        if old.title != new.title:
            parts.append(f"<p><b>Title:</b> {word_diff_html(old.title, new.title)}</p>")
        parts.append(f"<p>{word_diff_html(old.text, new.text)}</p>")
        self.view.setHtml("".join(parts))
