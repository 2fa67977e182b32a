"""The name of one occurrence of a calendar event: the event's entry id and the occurrence's
ORIGINAL start, before any move (RFC 5545's ``RECURRENCE-ID``).

Marks (held, skipped, moved), homework and anything else that attaches to "the check-in of
5 March" name the occurrence this way, so a later move of it, or an edit of the event's other
occurrences, leaves what is attached where it was. ``original`` is written in the event's own
form, as its ``start`` field is (a day for all-day events; wall-clock time in the event's zone;
``Z`` for UTC), which is also the form of a moved occurrence's ``of``.
"""

from dataclasses import dataclass

from trustvault.errors import InvalidField

__all__ = ["OccurrenceRef"]

_SEPARATOR = "@"


@dataclass(frozen=True, order=True)
class OccurrenceRef:
    """(event entry id, original start in the event's ISO form): equal on both devices."""

    event_id: str
    original: str

    def __str__(self) -> str:
        return f"{self.event_id}{_SEPARATOR}{self.original}"

    @property
    def day(self) -> str:
        """The original start's day (``YYYY-MM-DD``), in the event's own wall-clock time."""
        return self.original[:10]

    @classmethod
    def parse(cls, text: str) -> "OccurrenceRef":
        """Read back :meth:`__str__` (``EVENTID@ORIGINAL``), or InvalidField naming it."""
        event_id, sep, original = text.partition(_SEPARATOR)
        if not sep or not event_id or len(original) < 10:
            raise InvalidField("occurrence", f"{text!r} is not EVENT_ID@ORIGINAL_START")
        return cls(event_id, original)
