"""What this device holds of a closed shared space: ``meta.closing``, one JSON object.

Kept apart from :mod:`.closing` so the outbox can ask "may this op still go?" without
importing the module that records ops. Read and written inside the caller's transaction.
"""

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from trustvault.errors import PairingError
from trustvault.results import Closing
from trustvault.storage import meta_store
from trustvault.storage.connection import Connection

__all__ = [
    "COOLING_OFF",
    "STILL_SENT",
    "ClosingRecord",
    "check_can_send",
    "clear",
    "load",
    "mark_ended",
    "may_send",
    "save",
]

COOLING_OFF = timedelta(days=7)
"""From the moment the space closed on a device until it honours the requests and stops."""

STILL_SENT = frozenset({"revoke", "delete", "close", "keep", "received", "received_versions"})
"""What goes to the partner after the space closed: taking one's own words back, the closing's
own ops, and when a disclosure sent before it arrived (``received``, a receipt's kin). Nothing new
(no entry, edit, comment or answer) goes any more."""

_KEY = "closing"


@dataclass
class ClosingRecord:
    """``at`` is when the space closed on this device (this person closed it, or the partner's
    close arrived); ``until`` is ``at`` plus :data:`COOLING_OFF`."""

    partner: str
    by_me: bool
    at: str
    until: str
    i_closed: bool = False
    they_closed: bool = False
    i_ask: bool = False
    they_ask: bool = False
    i_keep: bool = False
    they_keep: bool = False
    honoured: bool = False
    ended: bool = False

    def pending_request(self) -> bool:
        """The partner asked this device to delete what they wrote, and it has not yet."""
        return self.they_ask and not (self.i_keep and self.they_keep) and not self.honoured

    def due(self, now: datetime) -> bool:
        return now >= datetime.fromisoformat(self.until)

    def public(self) -> Closing:
        return Closing(
            partner=self.partner,
            closed_by_me=self.by_me,
            i_closed=self.i_closed,
            closed_on=_day(self.at),
            until=_day(self.until),
            i_ask=self.i_ask,
            they_ask=self.they_ask,
            i_keep=self.i_keep,
            they_keep=self.they_keep,
            ended=self.ended,
        )


def load(conn: Connection) -> ClosingRecord | None:
    value = meta_store.get(conn, _KEY)
    if not value:
        return None
    return ClosingRecord(**json.loads(value))


def save(conn: Connection, record: ClosingRecord) -> None:
    meta_store.put(conn, _KEY, json.dumps(asdict(record), sort_keys=True))


def clear(conn: Connection) -> None:
    """A new pairing begins: the old closing is history, unless the old partner's request to
    delete what they wrote still waits for its day (it is honoured then all the same)."""
    record = load(conn)
    if record is not None and record.pending_request():
        return
    meta_store.delete(conn, _KEY)


def mark_ended(conn: Connection) -> None:
    """The pairing was forgotten (unpaired, or the partner left): syncing has stopped. A request
    still waiting for its day stays, and is honoured then."""
    record = load(conn)
    if record is not None and not record.ended:
        record.ended = True
        save(conn, record)


def may_send(conn: Connection, op_type: str) -> bool:
    """Whether an op of ``op_type`` may still go to the partner: for a change made here either
    way and sent only if it may (a new display name)."""
    return _closed_for(conn, op_type) is None


def check_can_send(conn: Connection, op_type: str) -> None:
    """Refuse, inside the caller's transaction (so the change it belongs to is not made), an op
    that would give the partner something new after the space closed."""
    record = _closed_for(conn, op_type)
    if record is not None:
        raise PairingError(
            f"Your shared space with {record.partner} is closed: nothing new goes to their"
            " device. Keep this private, or pair anew to share again."
        )


def _closed_for(conn: Connection, op_type: str) -> ClosingRecord | None:
    """The closing that keeps an op of ``op_type`` from going, if one does (until syncing
    ended, after which nothing is sent anyway)."""
    if op_type in STILL_SENT:
        return None
    record = load(conn)
    return record if record is not None and not record.ended else None


def _day(moment: str) -> date:
    return datetime.fromisoformat(moment).astimezone().date()
