"""What a face shows of a conversation (:meth:`trustvault.queries.Queries.conversation`).

The partner's answers are here only once both parts are done and the partner's has been
checked against what it committed to; until then ``partner.answers`` is empty whatever the
partner's device sent.
"""

from dataclasses import dataclass
from enum import StrEnum

from trustvault.conversation_templates import Template

__all__ = ["PROMISE", "SET_ASIDE", "Conversation", "PartState", "PartView"]

PROMISE = (
    "Your part stays on this device until you are both done; then both parts are shown"
    " together. Neither of you sees the other's before writing your own, or can change yours"
    " after. It cannot make your partner finish, and what you have read stays read."
)
"""Where the promise stops, in the words both faces show (:mod:`trustvault.conversations`)."""

SET_ASIDE = (
    "Set aside: you are no longer paired, so it cannot be finished. What you wrote stays on"
    " this device only; nothing of it was sent."
)
"""What both faces say of a conversation set aside after unpairing."""


class PartState(StrEnum):
    WRITING = "writing"
    """Not done yet (the partner's: not heard to be done)."""
    DONE = "done"
    """Done and committed; the part itself has not been revealed here."""
    REVEALED = "revealed"
    """Both are done and the part is shown (the partner's: it matched its commitment)."""


@dataclass(frozen=True)
class PartView:
    person: str
    state: PartState
    answers: dict[str, str]
    done: str


@dataclass(frozen=True)
class Conversation:
    """``mine`` and ``partner`` are the two parts; ``both_shown`` once both are revealed here.
    ``event_id`` and ``original_start`` name the occurrence it was opened from ('' if none);
    ``set_aside`` when this person set it aside after unpairing ('' while it goes on)."""

    id: str
    template: Template
    event_id: str
    original_start: str
    started_by: str
    started: str
    mine: PartView
    partner: PartView
    set_aside: str = ""

    @property
    def both_shown(self) -> bool:
        # The partner's part is taken in only after this person's is done (conversations.py).
        return self.mine.state is not PartState.WRITING and self.partner.state is PartState.REVEALED

    @property
    def can_set_aside(self) -> bool:
        """Unfinished and not set aside yet (the door asks, besides, that the pair is gone)."""
        return not self.both_shown and not self.set_aside
