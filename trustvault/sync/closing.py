"""Closing the shared space: the last thing two devices exchange (PROTOCOL.md §7, §9).

Either partner closes it with a ``close`` op {at, erase}; from then on neither device sends
anything new (:data:`.closing_state.STILL_SENT`: withdrawals and deletions still go, since taking
one's own words back is always possible). ``erase`` asks the other device to delete what this
person wrote; the other may close too, with its own ask. A request is honoured
:data:`~.closing_state.COOLING_OFF` after the space closed on the holder's device, unless both
agree to keep everything (a ``keep`` op from each): the cooling-off is the time to change one's
mind, and to ask. Honouring turns each of the partner's shared entries into a tombstone ("the
shared space was closed on …") with the same erasure a withdrawal gets (:mod:`.erasure`).

At its day each device honours what it was asked and, once the partner's device has confirmed
every op of this one (so its last word arrived), takes its blobs off the medium and forgets
the pairing; the entries it keeps stay. The promise stops at the partner's app: a changed app
could keep what it was asked to delete, and what was read stays read (the faces say so).
"""

from datetime import datetime

from trustvault.clock import Clock, iso_now
from trustvault.errors import PairingError
from trustvault.results import Closing
from trustvault.storage import erasure, pairing_store
from trustvault.storage.connection import Connection
from trustvault.storage.entry_store import EntryStore
from trustvault.storage.transaction import transaction
from trustvault.sync import leaving, outbox, pairing
from trustvault.sync.apply import OpRefused, withdraw
from trustvault.sync.closing_state import COOLING_OFF, ClosingRecord, load, save
from trustvault.sync.pair_state import PairState, load_pair, save_pair
from trustvault.sync.transport import Transport

__all__ = ["apply_close", "apply_keep", "close", "finish", "honour_due", "honour_on_open", "keep"]


def close(conn: Connection, clock: Clock, *, ask_delete: bool) -> Closing:
    """This person closes the shared space (or answers the partner's closing with their own
    ask): one ``close`` op, recorded with the state in the caller's transaction."""
    state = _paired(conn)
    record = load(conn) or _new_record(conn, clock(), by_me=True)
    if record.i_closed:
        raise PairingError("You already closed your shared space; it stops on its day.")
    record.i_closed, record.i_ask = True, ask_delete
    save(conn, record)
    outbox.record(conn, state, "close", {"at": iso_now(clock), "erase": ask_delete}, None)
    save_pair(conn, state)
    return record.public()


def keep(conn: Connection, clock: Clock) -> Closing:
    """This person agrees that both keep everything; with the partner's agreement too, every
    request to delete is lifted on both devices."""
    state = _paired(conn)
    record = load(conn)
    if record is None:
        raise PairingError("Your shared space is open: there is nothing to agree to keep.")
    if not (record.i_ask or record.they_ask):
        raise PairingError("Neither of you asked to delete anything: everything stays already.")
    if not record.i_keep:
        record.i_keep = True
        save(conn, record)
        outbox.record(conn, state, "keep", {"at": iso_now(clock)}, None)
        save_pair(conn, state)
    return record.public()


def apply_close(store: EntryStore, op: dict[str, object]) -> None:
    """The partner closed the space (or answered this person's closing); idempotent."""
    erase = op.get("erase")
    if not isinstance(erase, bool):
        raise OpRefused("malformed close: erase is not yes or no")
    conn = store.connection
    record = load(conn) or _new_record(conn, store.clock(), by_me=False)
    record.they_closed, record.they_ask = True, record.they_ask or erase
    save(conn, record)


def apply_keep(store: EntryStore, op: dict[str, object]) -> None:
    record = load(store.connection)
    if record is None:
        raise OpRefused("an agreement to keep came while the shared space is open")
    record.they_keep = True
    save(store.connection, record)


def honour_due(store: EntryStore) -> bool:
    """Once the cooling-off has passed, delete what the partner asked this device to delete
    (unless both agreed to keep it), inside the caller's transaction; True if it did."""
    conn = store.connection
    record = load(conn)
    if record is None or not record.pending_request() or not record.due(store.clock()):
        return False
    partner = pairing_store.partner(conn)
    if partner is not None and partner.device:
        at = iso_now(store.clock)
        for entry_id in store.shared_ids_by(partner.device):
            withdraw(store, entry_id, partner.device, at, reason="closed")
        erasure.mark_pending(conn)
    record.honoured = True
    save(conn, record)
    return True


def honour_on_open(store: EntryStore) -> None:
    """When a vault opens: honour a request whose day came while no sync ran (the pairing may
    be gone: the partner left, or this person unpaired), and erase its old copies."""
    record = load(store.connection)
    if record is None or not record.pending_request() or not record.due(store.clock()):
        return  # the common case: one read, no write
    with transaction(store.connection):
        honour_due(store)
    erasure.finish(store.connection, erasure.ROUND_WAIT)


def finish(store: EntryStore, state: PairState, transport: Transport) -> bool:
    """At the end of a sync round: on the closing's day, honour the request and, once the
    partner's device has confirmed all of this one's ops, leave the medium and forget the
    pairing. True when the pairing ended here."""
    conn = store.connection
    record = load(conn)
    if record is None or record.ended or not record.due(store.clock()):
        return False
    with transaction(conn):
        honour_due(store)
    if state.confirmed_seq < state.send_seq:
        return False  # the partner's device has not taken in our last word yet: keep it there
    leaving.leave_medium(conn, state, transport)
    with transaction(conn):
        pairing.forget_pairing(conn)
    return True


def _paired(conn: Connection) -> PairState:
    state = load_pair(conn)
    if state is None or not state.paired:
        raise PairingError("This vault is not paired: there is no shared space to close.")
    return state


def _new_record(conn: Connection, now: datetime, *, by_me: bool) -> ClosingRecord:
    partner = pairing_store.partner(conn)
    name = partner.name if partner is not None and partner.name else "Your partner"
    at = now.astimezone()
    return ClosingRecord(
        partner=name,
        by_me=by_me,
        at=at.isoformat(timespec="seconds"),
        until=(at + COOLING_OFF).isoformat(timespec="seconds"),
    )
