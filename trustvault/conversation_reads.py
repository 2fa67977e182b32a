"""Reading conversations (a part of :class:`trustvault.queries.Queries`)."""

from datetime import datetime

from trustvault import conversations
from trustvault.conversation_view import Conversation
from trustvault.vault import Vault

__all__ = ["ConversationReads"]


class ConversationReads:
    _vault: Vault

    def conversation(self, conversation_id: str) -> Conversation:
        """One conversation: this person's part, and the partner's only once both are done."""
        return conversations.read(self._vault.conn, conversation_id, self._vault.device_id)

    def conversations(self) -> list[Conversation]:
        """Every conversation, the newest first."""
        return conversations.read_all(self._vault.conn, self._vault.device_id)

    def conversations_of(self, event_id: str, original_start: str) -> list[Conversation]:
        """The conversations opened from one occurrence of an event, the newest first; the
        start is compared as a moment, so each device may write it in its own offset."""
        start = datetime.fromisoformat(conversations.moment(original_start))
        return [
            c
            for c in self.conversations()
            if c.event_id == event_id and datetime.fromisoformat(c.original_start) == start
        ]
