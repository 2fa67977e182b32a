"""Every version of one entry, oldest first, with what changed from the version before.

Edits never erase: the store keeps each revision, and this dialog is where that shows. It closes
itself when the vault locks, taking its decrypted text with it.
"""

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from trustvault.entries.model import Revision
from trustvault.errors import TrustVaultError
from ui import theme
from ui.bridge import VaultBridge
from ui.models.timeline_model import KIND_LABELS, readable_when
from ui.widgets.basics import label
from ui.widgets.entry_content import FIELD_LABELS, escape, value_text

__all__ = ["HistoryDialog", "changed_fields"]


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """Fields whose value differs from the previous version (every field for the first one)."""
    if before is None:
        return list(after)
    return [k for k in after if before.get(k) != after.get(k)]


class HistoryDialog(QDialog):
    """Lists the revisions of ``entry_id``; selecting one shows its fields, changes highlighted."""

    def __init__(self, bridge: VaultBridge, entry_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setWindowTitle("Version history")
        self.setAccessibleName("Version history")
        self.resize(720, 460)
        self.revisions: list[Revision] = []
        self.added: dict[int, str] = {}  # revision -> "added N days after first telling"
        box = QVBoxLayout(self)
        self.heading = label("", "title")
        box.addWidget(self.heading)
        box.addWidget(label(
            "Every change is kept. Nothing written earlier disappears when an entry is edited.",
            "muted"))  # fmt: skip
        split = QSplitter(Qt.Orientation.Horizontal)
        self.versions = QListWidget()
        self.versions.setAccessibleName("Versions")
        self.versions.setUniformItemSizes(True)
        self.versions.currentRowChanged.connect(self._show)
        self.details = QTextBrowser()
        self.details.setAccessibleName("Version details")
        self.details.setOpenLinks(False)
        split.addWidget(self.versions)
        split.addWidget(self.details)
        split.setSizes([240, 480])
        box.addWidget(split, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(buttons)
        box.addLayout(row)
        bridge.locked.connect(self._on_locked)
        self._load(entry_id)

    def _load(self, entry_id: str) -> None:
        q = self.bridge.queries
        if q is None:
            return
        try:
            entry = q.entry(entry_id)
            self.revisions = q.history(entry_id)
        except TrustVaultError as exc:
            self.heading.setText(exc.message)
            return
        self.heading.setText(f"{KIND_LABELS[entry.kind]}: {entry.title}")
        told = q.telling(entry)
        self.added = {a.revision: a.words() for a in told.amendments} if told else {}
        for rev in self.revisions:
            who = self.bridge.name_of(rev.editor)
            # A change of what a disclosure tells, after it was first received, says when.
            later = f" · {self.added[rev.revision]}" if rev.revision in self.added else ""
            item = QListWidgetItem(
                theme.icon("history"),
                f"Version {rev.revision} · {who}{later}\n{readable_when(rev.updated)}",
            )
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole,
                f"Version {rev.revision} by {who}, {readable_when(rev.updated)}{later}",
            )
            self.versions.addItem(item)
        self.versions.setCurrentRow(len(self.revisions) - 1)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.revisions):
            self.details.clear()
            return
        rev = self.revisions[row]
        before = self.revisions[row - 1].fields if row > 0 else None
        changed = set(changed_fields(before, rev.fields)) if before is not None else set()
        accent = theme.colors().accent
        lines = [
            f"<p><b>Version {rev.revision}</b> by {escape(self.bridge.name_of(rev.editor))}"
            f", {escape(readable_when(rev.updated))}</p>"
        ]
        if rev.revision in self.added:
            lines.append(f"<p>{escape(self.added[rev.revision].capitalize())}.</p>")
        lines.append("<table cellpadding='4'>")
        for key, value in rev.fields.items():
            label = FIELD_LABELS.get(key, key)
            text = escape(value_text(key, value)).replace("\n", "<br>")
            mark = f" <span style='color:{accent}'>(changed)</span>" if key in changed else ""
            weight = "600" if key in changed else "400"
            lines.append(
                f"<tr><td valign='top' style='color:{theme.colors().muted}'>{label}</td>"
                f"<td style='font-weight:{weight}'>{text}{mark}</td></tr>"
            )
            if key in changed and before is not None:
                old = escape(value_text(key, before.get(key))).replace("\n", "<br>")
                lines.append(
                    f"<tr><td></td><td style='color:{theme.colors().muted}'>"
                    f"<s>{old}</s> (before)</td></tr>"
                )
        lines.append("</table>")
        self.details.setHtml("".join(lines))

    def _on_locked(self) -> None:
        self.revisions, self.added = [], {}
        self.versions.clear()
        self.details.clear()
        self.heading.clear()
        self.reject()
