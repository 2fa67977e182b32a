"""The doors for homework (a part of :class:`trustvault.actions.Actions`; split out to keep each
module small): writing an item for the next therapy session, and marking one's own part done.
See :mod:`trustvault.homework`.
"""

from trustvault import agreements, homework
from trustvault.clock import iso_now
from trustvault.entries.kinds import HOMEWORK_FOR
from trustvault.errors import InvalidField
from trustvault.results import Homework
from trustvault.storage import homework_store
from trustvault.storage.transaction import transaction
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

__all__ = ["HomeworkDoors"]


class HomeworkDoors:
    """Homework's part of the one door; :class:`~trustvault.actions.Actions` sets these."""

    _vault: Vault
    _sync: SyncService

    def add_homework(self, text: str, for_whom: str = "both") -> Homework:
        """Homework from the session ("each write a letter"), for ``author`` (this person),
        ``partner`` or ``both``, by either partner: it attaches to the next therapy occurrence
        on the calendar and is shared, so it reaches the partner in the same transaction."""
        if for_whom not in HOMEWORK_FOR:
            raise InvalidField("for", f"{for_whom!r} is not one of {', '.join(HOMEWORK_FOR)}")
        with transaction(self._vault.conn):
            session = homework.next_session(self._vault.entries.all("event"), self._vault.clock())
            if session is None:
                raise InvalidField(
                    "session", "there is no therapy session on the calendar: add one first"
                )
            fields = {"text": text, "for": for_whom, "event_id": session.event_id,
                      "original_start": session.original_start}  # fmt: skip
            entry = self._vault.entries.add("homework", fields, "shared")
        return self._homework(entry.id)

    def mark_homework_done(self, entry_id: str, *, done: bool = True) -> Homework:
        """Mark this person's part of a homework item done (or, with ``done`` False, not done
        after all); only the person it is for may. The partner's device learns of it."""
        with transaction(self._vault.conn):
            entry = self._vault.entries.get(entry_id)
            homework.check_mark(entry, self._vault.device_id, agreements.parties(self._vault))
            if entry.visibility != "shared":
                raise InvalidField("entry", "that homework is not shared")
            at = iso_now(self._vault.clock)
            homework_store.set_done(
                self._vault.conn, entry.id, self._vault.device_id, at if done else None
            )
            self._sync.respond("homework_done", homework.done_body(entry.id, done, at), entry.id)
        return self._homework(entry.id)

    def _homework(self, entry_id: str) -> Homework:
        entry = self._vault.entries.get(entry_id)
        people = agreements.parties(self._vault)
        return homework.homework_of(self._vault.conn, [entry], people)[0]
