"""The doors of a structured conversation (a part of :class:`trustvault.actions.Actions`):
open one, write this person's part, say "I'm done", and set one aside once unpaired. Nothing of
a part leaves this device before both are done (:mod:`trustvault.conversations`)."""

from collections.abc import Mapping

from trustvault import conversations
from trustvault.clock import iso_now
from trustvault.conversation_view import Conversation
from trustvault.storage import conversation_store
from trustvault.storage.transaction import transaction
from trustvault.sync import conversation_sync
from trustvault.sync.pair_state import load_pair
from trustvault.vault import Vault

__all__ = ["ConversationDoors"]


class ConversationDoors:
    """Set up by :class:`~trustvault.actions.Actions`."""

    _vault: Vault

    def start_conversation(
        self, template: str, *, event_id: str = "", original_start: str = ""
    ) -> Conversation:
        """Open a conversation from ``template`` (``fanos``, ``state_of_the_union``), from a
        calendar occurrence (the event's id and the occurrence's original start) or on its
        own; the partner's device has it at the next sync, with nothing written yet."""
        with transaction(self._vault.conn):
            cid = conversations.start(self._vault, template, event_id, original_start)
            row = conversation_store.get(self._vault.conn, cid)
            assert row is not None
            conversation_sync.record(
                self._vault.conn, "conversation", conversation_sync.start_body(row)
            )
            return self._read(cid)

    def write_part(self, conversation_id: str, answers: Mapping[str, str]) -> Conversation:
        """Keep this person's answers to the parts given; they stay on this device (nothing is
        sent) and can change until :meth:`finish_part`."""
        with transaction(self._vault.conn):
            conversations.write(self._vault, conversation_id, answers)
            return self._read(conversation_id)

    def finish_part(
        self, conversation_id: str, answers: Mapping[str, str] | None = None
    ) -> Conversation:
        """ "I'm done": this person's part (with ``answers`` written first, if given) is fixed,
        and only a commitment to it goes to the partner; the part itself goes once the partner
        is done too (at once, if they are)."""
        with transaction(self._vault.conn):
            if answers is not None:
                conversations.write(self._vault, conversation_id, answers)
            commitment = conversations.finish(self._vault, conversation_id)
            now = iso_now(self._vault.clock)
            body = {"cid": conversation_id, "commit": commitment, "at": now}
            conversation_sync.record(self._vault.conn, "done", body)
            conversation_sync.reveal_due(self._vault.conn, self._vault.device_id, now)
            return self._read(conversation_id)

    def set_aside_conversation(self, conversation_id: str) -> Conversation:
        """Set aside a conversation that can no longer finish because the two devices are no
        longer paired: it stops waiting, this person's part stays here read-only, and nothing
        is sent (there is no partner to send to). Refused while paired."""
        with transaction(self._vault.conn):
            state = load_pair(self._vault.conn)
            paired = state is not None and state.paired
            conversations.set_aside(self._vault, conversation_id, paired=paired)
            return self._read(conversation_id)

    def _read(self, cid: str) -> Conversation:
        return conversations.read(self._vault.conn, cid, self._vault.device_id)
