"""Reads for routines that count: marks on occurrences and milestones' progress over them
(a part of :class:`trustvault.queries.Queries`, split out to keep each module small)."""

from datetime import date

from trustvault import routine_progress
from trustvault.occurrence_ref import OccurrenceRef
from trustvault.results import OccurrenceMark, RoutineProgress
from trustvault.storage import mark_store
from trustvault.vault import Vault

__all__ = ["RoutineQueries"]


class RoutineQueries:
    """Marks and progress; :class:`~trustvault.queries.Queries` sets ``_vault``."""

    _vault: Vault

    def marks(self) -> dict[OccurrenceRef, OccurrenceMark]:
        """The latest mark on each occurrence marked here (either partner's), by its name."""
        return {m.ref: m for m in mark_store.all_marks(self._vault.conn)}

    def mark_of(self, ref: OccurrenceRef) -> OccurrenceMark | None:
        return mark_store.get(self._vault.conn, ref)

    def routine_progress(self, today: date | None = None) -> list[RoutineProgress]:
        """Each milestone that counts held occurrences, with its count and pace, from the
        marks on this device (reads every event and milestone: a worker's read)."""
        day = today or self._vault.clock().astimezone().date()
        events = self._vault.entries.all("event")
        marks = mark_store.all_marks(self._vault.conn)
        milestones = self._vault.entries.all("milestone")
        return routine_progress.progress(milestones, events, marks, day)
