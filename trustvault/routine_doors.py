"""The door for routines that count: marking an occurrence held, skipped or moved (a part of
:class:`trustvault.actions.Actions`, split out to keep each module small)."""

from trustvault import routines
from trustvault.results import OccurrenceMark
from trustvault.storage.transaction import transaction
from trustvault.vault import Vault

__all__ = ["RoutineDoors"]


class RoutineDoors:
    """Marks on occurrences; :class:`~trustvault.actions.Actions` sets ``_vault``."""

    _vault: Vault

    def mark_occurrence(self, event_id: str, on: str, state: str) -> OccurrenceMark:
        """Mark the event's occurrence ``on`` (a day with one occurrence, or its original
        start, :attr:`OccurrenceRef.original`) held, skipped or moved, by either partner; it
        replaces any earlier mark, and reaches the partner's device if the event is shared.
        "Held" is refused for an occurrence that has not begun."""
        with transaction(self._vault.conn):
            return routines.mark(self._vault, event_id, on, state)
