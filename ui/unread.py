"""Which of the timeline's entries the partner changed since this person last opened them.

Kept in memory only, for the session: never written and never synced, so neither the disk nor
the partner learns when something was looked at (telling the partner is what "I have read
this" is for, chosen by the person). Locking forgets the marks with everything else decrypted;
what arrives at the first sync after unlocking is marked again.
"""

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

__all__ = ["UnreadMarks"]


class UnreadMarks(QObject):
    """Entry ids marked new; ``changed`` lists the entries whose mark came or went (one signal
    per batch: an initial sync may mark thousands)."""

    changed = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: set[str] = set()

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, entry_ids: Iterable[str]) -> None:
        new = [i for i in dict.fromkeys(entry_ids) if i not in self._ids]
        if new:
            self._ids.update(new)
            self.changed.emit(new)

    def discard(self, entry_id: str) -> None:
        """The person opened it."""
        if entry_id in self._ids:
            self._ids.remove(entry_id)
            self.changed.emit([entry_id])

    def clear(self) -> None:
        self._ids.clear()
