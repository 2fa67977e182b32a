"""Reads for triggers and anniversaries (a part of :class:`trustvault.queries.Queries`, split
out to keep each module small)."""

from datetime import date

from trustvault import anniversaries, triggers
from trustvault.anniversaries import Coming
from trustvault.calendar import Occurrence
from trustvault.entries.model import Entry
from trustvault.storage import pairing_store
from trustvault.storage.entry_store import EntryStore
from trustvault.triggers import TriggerPatterns
from trustvault.vault import Vault

__all__ = ["TriggerReads"]


class TriggerReads:
    """The trigger log's patterns, the partner's request for reassurance, anniversaries."""

    _vault: Vault
    _entries: EntryStore

    def _today(self) -> date:
        return self._vault.clock().astimezone().date()  # as Queries.today

    def trigger_patterns(self, today: date | None = None) -> TriggerPatterns:
        """Counts over this person's own triggers by week, place, strength and time of day
        (a worker's read: it reads every trigger)."""
        return triggers.patterns(
            self._entries.all("trigger"), self._vault.device_id, today or self._today()
        )

    def reassurance_prompt(self, entry: Entry) -> str | None:
        """What this device asks of its person on the partner's shared trigger ("What would
        help Alex feel safe right now?"); None for anything else. Replies are comments."""
        if entry.kind != "trigger" or entry.author == self._vault.device_id or not entry.fields:
            return None
        partner = pairing_store.partner(self._vault.conn)
        return triggers.reassurance_prompt(partner.name if partner and partner.name else "them")

    def anniversaries(self, today: date | None = None) -> list[Coming]:
        """Every anniversary on this device (its own, and the partner's shared ones) with its
        next return, soonest first."""
        return anniversaries.coming(self._entries.all("anniversary"), today or self._today())

    def anniversary_moments(self, first: date, last: date) -> list[Occurrence]:
        """The anniversaries' days and flags ahead on the days ``first`` to ``last``."""
        return anniversaries.calendar_moments(self._entries.all("anniversary"), first, last)
