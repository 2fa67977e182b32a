"""The "come back to it" moment of a pause, as the calendar shows it on both devices.

It is not an entry (nothing is written or sent for it): both devices hold the same pause
(:mod:`trustvault.pauses`), so each derives the same moment from it. It shows while the pause
is on, at its promised return, and goes when one of them says "I'm back".
"""

from datetime import date, datetime, timedelta

from trustvault.calendar import Occurrence
from trustvault.entries.model import Entry
from trustvault.results import Pause

__all__ = ["COME_BACK", "come_back_occurrence"]

COME_BACK = "Come back to it"
_LENGTH = timedelta(minutes=15)


def come_back_occurrence(pause: Pause | None, first: date, last: date) -> Occurrence | None:
    """The pause's return as a calendar occurrence (in this computer's zone), if the pause is on
    and its return falls on the days ``first`` to ``last``; never editable (``virtual``)."""
    if pause is None or not pause.on:
        return None
    until = datetime.fromisoformat(pause.until.replace("Z", "+00:00")).astimezone()
    if not first <= until.date() <= last:
        return None
    entry = Entry(
        id=f"pause-{pause.id}",
        kind="event",
        author=pause.asked_by,
        created=pause.started,
        updated=pause.at,
        visibility="shared",
        fields={"title": COME_BACK, "event_kind": "other"},
        revision=1,
        editor=pause.asked_by,
    )
    return Occurrence(entry, until, until + _LENGTH, virtual=True)
