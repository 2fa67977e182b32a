"""The entry changed while it was being edited: what changed, beside what this person wrote.

Shown in the editor instead of saving (the core would refuse the stale edit anyway:
:class:`~trustvault.errors.EditConflict`). A table of every field that differs, as it was when
the editor opened, as it is now and as typed here, then two ways on: keep editing on top of the
newer version (this person's changes stay typed in), or discard them.
"""

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QTextBrowser, QVBoxLayout

from trustvault.entries.model import Entry
from ui import theme
from ui.widgets.basics import button, label
from ui.widgets.entry_content import FIELD_LABELS, escape, value_text

__all__ = ["Conflict", "ConflictPanel", "conflict_html"]

_HIDDEN = ("version", "tz", "disclosed_at")


@dataclass(frozen=True)
class Conflict:
    """The version the editor opened on (its fields) and the entry as it is now."""

    base: dict[str, Any]
    current: Entry


def conflict_html(base: dict[str, Any], now: dict[str, Any], mine: dict[str, Any]) -> str:
    """A row per field that the newer version or this person changed: before, now, yours."""
    muted = theme.colors().muted
    rows = [
        "<tr><th></th><th align='left'>Before</th><th align='left'>Now</th>"
        "<th align='left'>Yours</th></tr>"
    ]
    for key in FIELD_LABELS:
        if key in _HIDDEN or key not in now:
            continue
        was, is_now = base.get(key, ""), now.get(key, "")
        yours = mine.get(key, is_now)
        if was == is_now and yours in (was, is_now):
            continue
        cells = "".join(
            f"<td valign='top'>{escape(value_text(key, v)).replace(chr(10), '<br>')}</td>"
            for v in (was, is_now, yours)
        )
        rows.append(
            f"<tr><td valign='top' style='color:{muted}'>{FIELD_LABELS[key]}</td>{cells}</tr>"
        )
    return "<table cellpadding='4'>" + "".join(rows) + "</table>"


class ConflictPanel(QFrame):
    """The conflict, in the editor above its buttons; hidden until a save finds one."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("ConflictPanel")
        self.heading = label("", "subtitle")
        self.table = QTextBrowser()
        self.table.setAccessibleName("What changed")
        self.table.setMinimumHeight(120)
        self.keep_editing = button("Keep editing on the newer version", primary=True)
        self.discard_mine = button("Discard my changes")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.discard_mine)
        row.addWidget(self.keep_editing)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.heading)
        box.addWidget(self.table)
        box.addLayout(row)
        self.hide()

    def show_conflict(self, heading: str, html: str) -> None:
        self.heading.setText(heading)
        self.table.setHtml(html)
        self.show()
        self.keep_editing.setFocus()
