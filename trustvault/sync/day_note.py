"""A sealed note that carries one day and nothing else: the heartbeat ("day") and the unpairing
notice ("left") are both this. Sealed under the channel key with ``seq`` 0, so the day is only
inside the ciphertext; read back only if it authenticates and is exactly ``{"KEY": "YYYY-MM-DD"}``.
"""

import re
from datetime import date

from crypto.envelope import Header, open_envelope
from crypto.errors import AuthenticationError
from crypto.identity import ChannelKeys
from trustvault.storage.connection import Connection
from trustvault.sync import sealing
from trustvault.sync.pair_state import PairState
from trustvault.sync.rejection import Rejected

__all__ = ["day_of", "open_day", "seal_day"]


def seal_day(
    conn: Connection, state: PairState, keys: ChannelKeys, kind: bytes, key: str, day: date
) -> bytes:
    return sealing.seal(conn, state, keys, kind, 0, f'{{"{key}": "{day.isoformat()}"}}'.encode())


def open_day(
    keys: ChannelKeys, blob: bytes, kind: bytes, key: str, what: str, bad_day: str
) -> date | Rejected:
    """The day a partner's note of ``kind`` carries, or why it is refused (``what`` names the
    note in the refusal, ``bad_day`` is the refusal for a date that does not exist)."""
    try:
        header, payload = open_envelope(keys.receive, blob)
    except AuthenticationError:
        return Rejected(f"is {what} that did not authenticate (tampered or foreign)")
    return day_of(header, payload, kind, key, what, bad_day)


def day_of(
    header: Header, payload: bytes, kind: bytes, key: str, what: str, bad_day: str
) -> date | Rejected:
    """As :func:`open_day`, for a note already opened (a v2 one: :mod:`.sealing`)."""
    match = re.fullmatch(rb'\{"' + key.encode() + rb'": "(\d{4}-\d{2}-\d{2})"\}', payload)
    if header.kind != kind or header.seq != 0 or match is None:
        return Rejected(f"is a malformed {what.split(' ', 1)[1]}")
    try:
        return date.fromisoformat(match.group(1).decode())
    except ValueError:
        return Rejected(bad_day)
