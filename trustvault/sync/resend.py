"""Sending what this device already holds: on pairing, and when an entry is (re)shared.

Entries shared before a pairing go to the new partner only once its key is verified (compared
aloud as the safety number): re-pairing with a key nobody compared sends no history by itself.
A re-pairing of the same two devices, whose key was verified before, sends them at once.
"""

from trustvault.entries.model import Revision
from trustvault.storage import meta_store, pairing_store, social_store
from trustvault.storage.connection import Connection
from trustvault.sync import outbox
from trustvault.sync.pair_state import PairState, save_pair
from trustvault.vault import Vault

__all__ = [
    "drop_held",
    "existing_held",
    "on_paired",
    "release_held",
    "send_existing",
    "send_own_responses",
]

_HELD = "sync.earlier_held"


def on_paired(vault: Vault, state: PairState) -> None:
    """The pairing just completed: send what this device holds, or hold it for verification."""
    # The delivery record speaks of the last pairing (its sequence numbers restart now).
    social_store.forget_deliveries(vault.conn)
    partner = pairing_store.partner(vault.conn)
    if partner is not None and partner.public and partner.verified_public == partner.public:
        send_existing(vault, state)
        return
    meta_store.put(vault.conn, _HELD, "1")


def existing_held(conn: Connection) -> bool:
    """Whether entries shared before this pairing wait for the partner's key to be verified."""
    return meta_store.get(conn, _HELD) == "1"


def drop_held(conn: Connection) -> None:
    """Unpaired: nothing waits for a partner any more."""
    meta_store.delete(conn, _HELD)


def release_held(vault: Vault, state: PairState) -> bool:
    """The partner's key was just verified: send what was held. True when something was."""
    if not existing_held(vault.conn) or not state.paired:
        return False
    meta_store.delete(vault.conn, _HELD)
    send_existing(vault, state)
    return True


def send_existing(vault: Vault, state: PairState) -> None:
    """Send every shared entry this device wrote, with its history, to the partner."""
    store = vault.entries
    for entry in store.all():
        if entry.visibility != "shared" or entry.author != store.device:
            continue
        for rev in shareable_history(vault, entry.id):
            vault.recorder.record_version(state, entry, rev)
        send_own_responses(vault, state, entry.id)
    save_pair(vault.conn, state)


def shareable_history(vault: Vault, entry_id: str) -> list[Revision]:
    """The versions the partner may receive: from the entry's share floor on (see schema 6)."""
    floor = social_store.share_floor(vault.conn, entry_id)
    return [rev for rev in vault.entries.history(entry_id) if rev.revision >= floor]


def send_own_responses(vault: Vault, state: PairState, entry_id: str) -> None:
    """Send this device's acceptances and comments of an entry it is (re)sending.

    They were recorded but not sent while the entry was private or the vault unpaired; without
    them an agreement accepted before sharing shows "in force" here and "proposed" on the
    partner's device forever. Applying them twice is harmless (keyed by digest / comment id).
    """
    me = vault.device_id
    for digest, at in social_store.own_acceptances(vault.conn, entry_id, me):
        body = {"id": entry_id, "digest": digest, "at": at}
        # Recorded against the entry, as service.accept does: withdrawing it before it left
        # takes the acceptance with it (redacted, or dropped with an undone share).
        outbox.record(vault.conn, state, "accept", body, entry_id)
    for comment in social_store.own_comments(vault.conn, entry_id, me):
        body = {"cid": comment.id, "id": entry_id, "text": comment.text, "at": comment.at}
        outbox.record(vault.conn, state, "comment", body, entry_id)
