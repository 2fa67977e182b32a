"""The one place a v2 envelope's message key and ratchet field come from.

Every v2 seal asks :func:`key_to_seal` and every v2 open asks :func:`key_to_open`, for every kind
(``E`` ops, ``R`` receipts, ``H`` heartbeats, ``L`` unpairing notices), inside the caller's
transaction. Ops envelopes (``E``) are ratcheted (:mod:`.ratchet_state`, :mod:`crypto.ratchet`):
each is sealed under the next key of the sending chain, with the ratchet field (sender's public,
previous chain length, index) in its sealed head, and opened with the receiving chain's key for
that field. The other kinds carry no content and use the direction's static channel key with an
all-zero ratchet field, as the shared design fixes. What the callers rely on:

- ``key_to_seal`` is called once per sealing, in the transaction that stores the sealed bytes. A
  withdrawal re-seals an ``E`` envelope under a new generation with the same ``seq``: it gets the
  same message key and ratchet field as the first sealing (the partner reads a newer copy of
  the same envelope). A resend never calls it (the stored bytes are put again).
- ``key_to_open`` is called for an authenticated head of the partner's (tag and head AEAD
  checked, pair id and sender checked), before the body is opened, and uses nothing up;
  ``None`` means "no key for this envelope here" and the envelope is treated as one already
  applied if its ``seq`` is at or below what was applied, else refused. Ops envelopes are opened
  in any order the listing gives and applied in sequence order afterwards, in later
  transactions, each calling :func:`used` in the transaction that applies it.
"""

from crypto.envelope_v2 import RATCHET_BYTES, InnerHead
from crypto.identity import ChannelKeys
from trustvault.storage.connection import Connection
from trustvault.sync import ratchet_state
from trustvault.sync.pair_state import PairState

__all__ = ["key_to_open", "key_to_seal", "used"]

_NO_RATCHET = bytes(RATCHET_BYTES)


def key_to_seal(
    conn: Connection, state: PairState, keys: ChannelKeys, kind: bytes, seq: int
) -> tuple[bytes, bytes]:
    """(message key, 40-byte ratchet field) to seal this device's envelope of ``kind`` at
    ``seq`` (an ``E``'s first op, a receipt's confirmed op, 0 for ``H`` and ``L``)."""
    if kind != b"E":
        return keys.send, _NO_RATCHET
    return ratchet_state.key_to_seal(conn, state, keys, seq)


def key_to_open(
    conn: Connection, state: PairState, keys: ChannelKeys, head: InnerHead
) -> bytes | None:
    """The message key to open the partner's envelope whose authenticated head is ``head``, or
    None if this device holds none for it (an ``E`` already applied: its key is gone)."""
    if head.kind != b"E":
        return keys.receive if head.ratchet == _NO_RATCHET else None
    return ratchet_state.key_to_open(conn, state, keys, head.ratchet)


def used(conn: Connection, state: PairState, keys: ChannelKeys, ratchets: list[bytes]) -> None:
    """The partner's ``E`` envelopes with these ratchet fields were applied, in this order
    (inside that transaction): their message keys are forgotten, the receiving chain moves on."""
    ratchet_state.applied(conn, state, keys, ratchets)
