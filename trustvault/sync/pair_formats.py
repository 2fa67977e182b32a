"""Which envelope formats each device reads, said while pairing, so a new pair starts at v2.

A device from protocol v2 on adds ``"formats": [1, 2]`` to what it seals in its pairing
messages: the long code's join request and answer (:mod:`.pairing`, read by
:mod:`.join_messages`) and the short code's keys message (:mod:`.pake_pairing`). A client from
before v2 reads only the fields it names and ignores this one, and its own messages lack it,
which reads as "v1 only". When both devices said they read v2, the pair starts at v2 in both
directions: the history sent at pairing and the first round trip are v2, and no ``V``
announcement is ever put (:mod:`.migration`). Otherwise the pair starts at v1 and moves to v2
as any v1 pair does. The field travels inside the messages' sealed payloads, so the medium does
not learn it.
"""

from trustvault.storage.connection import Connection
from trustvault.sync import sealing
from trustvault.sync.pair_state import PairState

__all__ = ["FIELD", "offer", "read", "start"]

FIELD = "formats"
_READS = (1, 2)


def offer(conn: Connection) -> dict[str, list[int]]:
    """The field this device adds to its pairing message (nothing, while a test makes it act
    as a client from before v2: :func:`.sealing._behave_as_v1`)."""
    return {} if sealing.acts_as_v1(conn) else {FIELD: list(_READS)}


def read(doc: dict[str, object]) -> tuple[int, ...] | None:
    """The formats a peer's pairing message says it reads: ``(1,)`` when it says nothing (a
    client from before v2), None when the field is there but is not a list of format numbers."""
    value = doc.get(FIELD, [1])
    if (
        not isinstance(value, list)
        or not 0 < len(value) <= 16
        or not all(type(v) is int and 0 < v < 256 for v in value)
    ):
        return None
    return tuple(value)


def start(conn: Connection, state: PairState, peer: tuple[int, ...]) -> None:
    """The pairing completes (inside the caller's transaction, which saves ``state``): start
    at v2 when the peer said it reads v2 and this device does."""
    if 2 in peer and not sealing.acts_as_v1(conn):
        state.seal_format = state.partner_format = 2
