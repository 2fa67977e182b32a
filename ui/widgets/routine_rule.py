"""A milestone's count of held occurrences, in the milestone dialog: "12" "Check-in
conversation" (0: the milestone counts nothing). A rule over one event, made with the CLI's
``--counts N:EVENT``, is kept as it is unless the count or kind is changed here."""

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

__all__ = ["RuleField"]


class RuleField(QWidget):
    """A spin box (how many held) and a combo box (of which event kind)."""

    def __init__(self, kinds: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count = QSpinBox()
        self.count.setRange(0, 1000)
        self.count.setSpecialValueText("None")
        self.count.setAccessibleName("How many held occurrences it counts (None: it counts none)")
        self.kind = QComboBox()
        for value, text in kinds:
            self.kind.addItem(text, value)
        self.kind.setAccessibleName("Of which kind of event")
        self._kept: dict[str, Any] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.count)
        row.addWidget(QLabel("held of"))
        row.addWidget(self.kind, 1)

    def value(self) -> dict[str, Any]:
        if not self.count.value():
            return {}
        if self._kept.get("event") and self._kept.get("count") == self.count.value():
            return dict(self._kept)
        return {"count": self.count.value(), "event_kind": self.kind.currentData()}

    def set_value(self, rule: dict[str, Any] | None) -> None:
        self._kept = dict(rule or {})
        self.count.setValue(int(self._kept.get("count", 0)))
        index = self.kind.findData(self._kept.get("event_kind", "check_in"))
        self.kind.setCurrentIndex(max(index, 0))
