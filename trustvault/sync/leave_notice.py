"""Telling the partner's device that this one unpaired, so it stops saying "connected".

Unpairing puts one last ``L`` envelope, sealed under the channel key like every other: its
payload is exactly ``{"left": "YYYY-MM-DD"}``, the leaver's local day, and the header's ``seq``
is 0. The partner's next sync believes it only if it authenticates (a medium cannot forge an
unpairing, only withhold it), forgets the pairing as its own unpair would (entries, and the
partner record that names their authors, stay), deletes its own blobs from the medium, and
remembers the notice: ``pairing.ended`` in ``meta``, "NAME|DAY", shown on the Partner page and by
the CLI until a new pairing begins. A relay mailbox is deleted when its pair unpairs, notice
included: there the partner's device learns it from the relay refusing it (:mod:`.relay_transport`).
"""

from datetime import date

from crypto.envelope import Header
from crypto.identity import ChannelKeys
from trustvault.results import PairingEnded
from trustvault.storage import meta_store
from trustvault.storage.connection import Connection
from trustvault.sync.day_note import day_of, open_day, seal_day
from trustvault.sync.outbox import new_name
from trustvault.sync.pair_state import PairState
from trustvault.sync.rejection import Rejected

__all__ = ["KIND", "clear", "ended", "judge", "read", "remember", "seal"]

KIND = b"L"
_KEY = "pairing.ended"


def seal(conn: Connection, state: PairState, keys: ChannelKeys, today: date) -> tuple[str, bytes]:
    """The name and sealed bytes of this device's notice that it left the pairing."""
    return new_name(), seal_day(conn, state, keys, KIND, "left", today)


_IMPOSSIBLE = "is an unpairing notice with an impossible date"


def read(keys: ChannelKeys, blob: bytes) -> date | Rejected:
    """The day the partner's notice carries, or why it is refused."""
    return open_day(keys, blob, KIND, "left", "an unpairing notice", _IMPOSSIBLE)


def judge(header: Header, payload: bytes) -> date | Rejected:
    """As :func:`read`, for a notice already opened (v2)."""
    return day_of(header, payload, KIND, "left", "an unpairing notice", _IMPOSSIBLE)


def remember(conn: Connection, partner: str, day: date) -> None:
    meta_store.put(conn, _KEY, f"{partner}|{day.isoformat()}")


def ended(conn: Connection) -> PairingEnded | None:
    """The last notice that the partner unpaired, until a new pairing begins."""
    value = meta_store.get(conn, _KEY)
    if not value or "|" not in value:
        return None
    partner, _, day = value.rpartition("|")
    try:
        return PairingEnded(partner, date.fromisoformat(day))
    except ValueError:
        return None


def clear(conn: Connection) -> None:
    meta_store.delete(conn, _KEY)
