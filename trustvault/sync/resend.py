"""Sending what this device already holds: on pairing, and when an entry is (re)shared."""

from trustvault.storage import social_store
from trustvault.sync import outbox
from trustvault.sync.pair_state import PairState, save_pair
from trustvault.vault import Vault

__all__ = ["send_existing", "send_own_responses"]


def send_existing(vault: Vault, state: PairState) -> None:
    """Right after pairing: send every shared entry this device wrote, with its history."""
    store = vault.entries
    for entry in store.all():
        if entry.visibility != "shared" or entry.author != store.device:
            continue
        for rev in store.history(entry.id):
            vault.recorder.record_version(state, entry, rev)
        send_own_responses(vault, state, entry.id)
    save_pair(vault.conn, state)


def send_own_responses(vault: Vault, state: PairState, entry_id: str) -> None:
    """Send this device's acceptances and comments of an entry it is (re)sending.

    They were recorded but not sent while the entry was private or the vault unpaired; without
    them an agreement accepted before sharing shows "in force" here and "proposed" on the
    partner's device forever. Applying them twice is harmless (keyed by digest / comment id).
    """
    me = vault.device_id
    for digest, at in social_store.own_acceptances(vault.conn, entry_id, me):
        body = {"id": entry_id, "digest": digest, "at": at}
        outbox.record(vault.conn, state, "accept", body, None)
    for comment in social_store.own_comments(vault.conn, entry_id, me):
        body = {"cid": comment.id, "id": entry_id, "text": comment.text, "at": comment.at}
        outbox.record(vault.conn, state, "comment", body, entry_id)
