"""Heartbeats: the partner's device learns the day this one last synced, and nothing finer.

A receipt goes out only when something arrived, so a quiet partner cannot tell "nothing was
sent" from "that device has not synced for a week". Once a day, with the receipt's timing (at
once, or with daily receipts at the chosen random moment: :mod:`.receipt_timing`), this device
puts an ``H`` envelope whose sealed payload is exactly ``{"day": "YYYY-MM-DD"}``, its local day;
the header's ``seq`` is 0, so the day is only inside the ciphertext. The previous heartbeat is
deleted like an old receipt.

The receiver keeps the newest day it has believed. A medium cannot forge one (it is sealed under
the channel key, its kind bound as associated data), nor move this device's view back (an older
day, such as an old blob put back, changes nothing), nor forward beyond clock tolerance (a day
after tomorrow, by the receiver's clock, is refused: a wrong clock, or a forgery by the partner's
own client). What a heartbeat cannot hide: the medium sees when it changes, as it sees every blob.

Stored in ``meta`` (this device's own vault): ``heartbeat.sent``, ``heartbeat.name`` and
``heartbeat.blob`` for the one out, ``heartbeat.heard`` for the partner's newest day; all four are
forgotten with the pairing.
"""

from datetime import date, timedelta

from crypto.envelope import Header
from crypto.identity import ChannelKeys
from trustvault.storage import meta_store, outbox_store
from trustvault.storage.connection import Connection
from trustvault.sync.day_note import day_of, open_day, seal_day
from trustvault.sync.outbox import new_name
from trustvault.sync.pair_state import PairState
from trustvault.sync.rejection import Rejected

__all__ = [
    "KIND",
    "TOLERANCE",
    "forget",
    "hear",
    "heard",
    "judge",
    "outgoing",
    "read",
    "reseal",
    "write",
]

KIND = b"H"
TOLERANCE = timedelta(days=1)
"""How far ahead of the receiver's own day a heartbeat may be: time zones differ by up to 26
hours, and clocks drift. Beyond it the day is not believed."""

_SENT, _NAME, _BLOB = "heartbeat.sent", "heartbeat.name", "heartbeat.blob"  # the one out
_HEARD = "heartbeat.heard"  # the partner's newest day


def write(conn: Connection, state: PairState, keys: ChannelKeys, today: date) -> bool:
    """Seal today's heartbeat unless it is the one out (inside the caller's transaction);
    True if one was written. The previous one is marked for deletion from the medium."""
    if meta_store.get(conn, _SENT) == today.isoformat():
        return False
    blob = seal_day(conn, state, keys, KIND, "day", today)
    name = new_name()
    old = meta_store.get(conn, _NAME)
    if old:
        outbox_store.mark_obsolete(conn, old)
    meta_store.put(conn, _SENT, today.isoformat())
    meta_store.put(conn, _NAME, name)
    meta_store.put(conn, _BLOB, blob.hex())
    return True


def reseal(conn: Connection, state: PairState, keys: ChannelKeys) -> None:
    """Seal the heartbeat out again under a new name, in the format the pair now uses (the pair
    just moved to v2: no v1 blob stays on the medium for the rest of the day)."""
    sent = meta_store.get(conn, _SENT)
    if sent is not None:
        meta_store.delete(conn, _SENT)
        write(conn, state, keys, date.fromisoformat(sent))


def outgoing(conn: Connection) -> tuple[str, bytes] | None:
    """The name and sealed bytes of this device's heartbeat on the medium, if it has one."""
    name, blob = meta_store.get(conn, _NAME), meta_store.get(conn, _BLOB)
    return (name, bytes.fromhex(blob)) if name and blob else None


def read(keys: ChannelKeys, blob: bytes, today: date) -> date | Rejected:
    """The day a partner's heartbeat carries, or why it is refused (``today`` is this device's).

    The caller has checked the clear header's pair id and sender; the whole header is bound to
    the ciphertext, so they cannot have been changed either."""
    day = open_day(keys, blob, KIND, "day", "a heartbeat", "is a malformed heartbeat")
    return _believable(day, today)


def judge(header: Header, payload: bytes, today: date) -> date | Rejected:
    """As :func:`read`, for a heartbeat already opened (v2: its head was sealed too)."""
    return _believable(day_of(header, payload, KIND, "day", "a heartbeat", _MALFORMED), today)


_MALFORMED = "is a malformed heartbeat"


def _believable(day: date | Rejected, today: date) -> date | Rejected:
    if isinstance(day, date) and day > today + TOLERANCE:
        return Rejected("is a heartbeat dated after tomorrow (a clock is wrong)")
    return day


def hear(conn: Connection, day: date) -> bool:
    """Keep ``day`` as the partner's newest if it is newer than the one held; an older or equal
    one (a copy a medium kept or put back) changes nothing. True if it was kept."""
    held = heard(conn)
    if held is not None and day <= held:
        return False
    meta_store.put(conn, _HEARD, day.isoformat())
    return True


def heard(conn: Connection) -> date | None:
    """The newest day the partner's device said it synced, or None if none arrived yet."""
    value = meta_store.get(conn, _HEARD)
    return None if value is None else date.fromisoformat(value)


def forget(conn: Connection) -> None:
    """Unpaired: what was sent and heard belongs to the pairing that ended."""
    for key in (_SENT, _NAME, _BLOB, _HEARD):
        meta_store.delete(conn, key)
