"""The one place a v2 envelope's message key and ratchet field come from.

Every v2 seal asks :func:`key_to_seal` and every v2 open asks :func:`key_to_open`, for every kind
(``E`` ops, ``R`` receipts, ``H`` heartbeats, ``L`` unpairing notices), inside the caller's
transaction. Today both answer the direction's static channel key (``keys.send`` to seal,
``keys.receive`` to open) and an all-zero ratchet field: a v2 envelope is then exactly as safe as
a v1 one against a seized key, with its header hidden. A ratchet replaces the insides of these two
functions and nothing else; what it may rely on:

- ``key_to_seal`` is called once per sealing, in the transaction that stores the sealed bytes. A
  withdrawal re-seals an ``E`` envelope under a new generation with the same ``seq``: it must get
  the same message key and ratchet field as the first sealing (the partner reads a newer copy of
  the same envelope). A resend never calls it (the stored bytes are put again).
- ``key_to_open`` is called for an authenticated head of the partner's (tag and head AEAD
  checked, pair id and sender checked), before the body is opened; ``None`` means "no key for
  this envelope here" and the envelope is treated as one already applied if its ``seq`` is at or
  below what was applied, else refused. Ops envelopes are opened in any order the listing gives
  and applied in sequence order afterwards, in later transactions.
"""

from crypto.envelope_v2 import RATCHET_BYTES, InnerHead
from crypto.identity import ChannelKeys
from trustvault.storage.connection import Connection
from trustvault.sync.pair_state import PairState

__all__ = ["key_to_open", "key_to_seal"]

_NO_RATCHET = bytes(RATCHET_BYTES)


def key_to_seal(
    conn: Connection, state: PairState, keys: ChannelKeys, kind: bytes, seq: int
) -> tuple[bytes, bytes]:
    """(message key, 40-byte ratchet field) to seal this device's envelope of ``kind`` at
    ``seq`` (an ``E``'s first op, a receipt's confirmed op, 0 for ``H`` and ``L``)."""
    del conn, state, kind, seq  # the static key serves every envelope until a ratchet does
    return keys.send, _NO_RATCHET


def key_to_open(
    conn: Connection, state: PairState, keys: ChannelKeys, head: InnerHead
) -> bytes | None:
    """The message key to open the partner's envelope whose authenticated head is ``head``, or
    None if this device holds none for it."""
    del conn, state
    if head.ratchet != _NO_RATCHET:
        return None  # a ratchet this device does not run: nothing here opens it
    return keys.receive
