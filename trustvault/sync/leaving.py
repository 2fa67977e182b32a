"""Unpairing without leaving withdrawn content behind on the medium or the partner's device.

Before the pairing is forgotten, one last round puts what is waiting on the medium (withdrawals
among it) and deletes what this device marked for deletion there, among it the blobs that still
held an entry withdrawn before the partner fetched it. Unpairing then waits while the partner's
device has not confirmed a withdrawal (it would keep the content for good) or while such a blob
could not be deleted, and says why; the person may unpair anyway, knowing what stays. Leaving,
this device deletes its own blobs from the medium (a relay deletes the pair's mailbox), so
nothing more is delivered after "Unpair", and puts a sealed notice that it left, so the
partner's device stops saying "connected" (:mod:`.leave_notice`).
"""

import contextlib

from trustvault.errors import TransportError
from trustvault.storage import outbox_store, social_store
from trustvault.storage.connection import Connection
from trustvault.sync import heartbeat
from trustvault.sync.pair_state import PairState
from trustvault.sync.transport import Transport

__all__ = ["leave_medium", "why_unpair_waits"]


def why_unpair_waits(
    conn: Connection, state: PairState, partner: str, unreachable: str | None
) -> str | None:
    """The reason to wait before unpairing, in words, or None when nothing withdrawn is at risk."""
    waiting = social_store.withdrawals_unconfirmed(conn, state.confirmed_seq)
    stranded = bool(outbox_store.obsolete_names(conn))
    if not waiting and not stranded:
        return None
    what = (
        f"{partner}'s device has not yet taken in {waiting} of your withdrawals"
        if waiting
        else "an entry you withdrew may still be in the sync folder or relay"
    )
    where = (
        f" and the sync medium cannot be reached now ({unreachable})"
        if unreachable
        else ": it is on its way now"
    )
    return (
        f"Unpairing waits: {what}{where}. Unpairing now would leave it with {partner}. Sync"
        f" again once {partner}'s device has synced, then unpair; or unpair anyway, and"
        f" {partner}'s device keeps what it already has."
    )


def leave_medium(
    conn: Connection,
    state: PairState,
    transport: Transport,
    notice: tuple[str, bytes] | None = None,
) -> None:
    """Delete this device's blobs from the medium, best effort (the medium may be gone), and
    put ``notice`` (:mod:`.leave_notice`) so the partner's device learns the pairing ended."""
    own = outbox_store.envelope_names(conn) | set(outbox_store.obsolete_names(conn))
    if state.receipt_name:
        own.add(state.receipt_name)
    if (beat := heartbeat.outgoing(conn)) is not None:
        own.add(beat[0])
    with contextlib.suppress(TransportError):
        for name in sorted(own):
            transport.delete(name)
        if notice is not None:
            transport.put(*notice)
        transport.leave()
