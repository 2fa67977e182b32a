"""Pairing as one small state machine: which event may happen in which state, and what it asks for.

    unpaired --invite made--> inviting --join request accepted--> paired
    unpaired --join sent----> joining  --answer: yes------------> paired
    inviting --join sent----> joining   (this vault uses the partner's code after all)
    inviting --invite made | stale request--> inviting
    paired   --stale request | partner's request again--> paired
    inviting | joining | paired --unpair--> unpaired;   paired --partner left--> unpaired
    inviting --invite expired--> unpaired;   joining --answer: no--> unpaired
    inviting | joining --keys exchanged--> paired   (a short code: :mod:`.pake_pairing`)
    inviting | joining --code wrong | invite expired--> unpaired

The two tables below are the whole machine. :func:`advance` applies one event: an event the table
does not list for the current state is refused with a :class:`PairingError` the person can act
on, before anything is done; otherwise the transition's side effects are asked for, in order,
and then the status is set. A side effect that fails leaves the status as it was (and the
caller's transaction rolls back). :mod:`.pairing` binds the effects to a vault and its medium;
no other code sets a pairing's status.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Protocol

from trustvault.errors import PairingError
from trustvault.results import PairStatus

__all__ = [
    "EFFECTS",
    "TRANSITIONS",
    "Effect",
    "Effects",
    "Event",
    "HasStatus",
    "advance",
    "allowed",
]

UNPAIRED, INVITING, JOINING, PAIRED = (
    PairStatus.UNPAIRED, PairStatus.INVITING, PairStatus.JOINING, PairStatus.PAIRED
)  # fmt: skip


class Event(StrEnum):
    INVITE_MADE = "invite made"
    JOIN_SENT = "join sent"
    JOIN_ACCEPTED = "join request accepted"  # a valid request for an unused, unexpired code
    PARTNER_ASKED_AGAIN = "partner's request again"  # its answer was lost: say yes again
    STALE_REQUEST = "stale request"  # for a used or expired code, or this vault is paired
    ANSWER_YES = "answer: yes"
    ANSWER_NO = "answer: no"
    INVITE_EXPIRED = "invite expired"  # every code made here expired unused
    UNPAIR = "unpair"  # also cancels an invite or a join
    PARTNER_LEFT = "partner left"  # the partner's device sent its unpairing notice
    KEYS_EXCHANGED = "keys exchanged"  # a short code: both confirmed, the partner's keys opened
    CODE_WRONG = "code wrong"  # a short code: the confirmations differ; the invitation burns


class Effect(StrEnum):
    SEND_JOIN_REQUEST = "send join request"
    SEND_ANSWER = "send answer"
    SEND_EXISTING = "send existing entries"
    TIDY_JOIN = "delete join request and answer"
    FORGET = "forget outbox"  # the pairing row, invites, outbox, received chain; not entries


TRANSITIONS: dict[tuple[PairStatus, Event], PairStatus] = {
    (UNPAIRED, Event.INVITE_MADE): INVITING,
    (INVITING, Event.INVITE_MADE): INVITING,  # another code; the earlier ones still work
    (UNPAIRED, Event.JOIN_SENT): JOINING,
    (INVITING, Event.JOIN_SENT): JOINING,
    (INVITING, Event.JOIN_ACCEPTED): PAIRED,
    (INVITING, Event.STALE_REQUEST): INVITING,
    (PAIRED, Event.STALE_REQUEST): PAIRED,
    (PAIRED, Event.PARTNER_ASKED_AGAIN): PAIRED,
    (JOINING, Event.ANSWER_YES): PAIRED,
    (JOINING, Event.ANSWER_NO): UNPAIRED,
    (INVITING, Event.INVITE_EXPIRED): UNPAIRED,
    (INVITING, Event.UNPAIR): UNPAIRED,
    (JOINING, Event.UNPAIR): UNPAIRED,
    (PAIRED, Event.UNPAIR): UNPAIRED,
    (PAIRED, Event.PARTNER_LEFT): UNPAIRED,
    (INVITING, Event.KEYS_EXCHANGED): PAIRED,
    (JOINING, Event.KEYS_EXCHANGED): PAIRED,
    (INVITING, Event.CODE_WRONG): UNPAIRED,
    (JOINING, Event.CODE_WRONG): UNPAIRED,
    (JOINING, Event.INVITE_EXPIRED): UNPAIRED,  # a short code's exchange outlived its expiry
}

EFFECTS: dict[Event, tuple[Effect, ...]] = {
    Event.INVITE_MADE: (),
    Event.JOIN_SENT: (Effect.SEND_JOIN_REQUEST,),
    Event.JOIN_ACCEPTED: (Effect.SEND_ANSWER, Effect.SEND_EXISTING),
    Event.PARTNER_ASKED_AGAIN: (Effect.SEND_ANSWER,),
    Event.STALE_REQUEST: (Effect.SEND_ANSWER,),
    Event.ANSWER_YES: (Effect.SEND_EXISTING, Effect.TIDY_JOIN),
    Event.ANSWER_NO: (Effect.FORGET, Effect.TIDY_JOIN),
    Event.INVITE_EXPIRED: (Effect.FORGET,),
    Event.UNPAIR: (Effect.FORGET,),
    Event.PARTNER_LEFT: (Effect.FORGET,),
    Event.KEYS_EXCHANGED: (Effect.SEND_EXISTING, Effect.TIDY_JOIN),
    Event.CODE_WRONG: (Effect.FORGET, Effect.TIDY_JOIN),
}

_REFUSALS = {
    Event.INVITE_MADE: "This vault is already paired (or joining). Unpair it first to invite"
    " someone else.",
    Event.JOIN_SENT: "This vault is already paired (or joining); a code can't replace the partner.",
    Event.UNPAIR: "This vault is not paired.",
}
_REFUSED = (
    "Pairing can't go on from here ({event} while {status}). Sync again; if this keeps"
    " happening, unpair and pair again."
)


class Effects(Protocol):
    """The side effects a transition may ask for, bound by the driver to a vault and medium."""

    def send_join_request(self) -> None: ...
    def send_answer(self) -> None: ...
    def send_existing(self) -> None: ...
    def tidy_join(self) -> None: ...
    def forget(self) -> None: ...


class HasStatus(Protocol):
    status: str


_PERFORM: dict[Effect, Callable[[Effects], None]] = {
    Effect.SEND_JOIN_REQUEST: lambda fx: fx.send_join_request(),
    Effect.SEND_ANSWER: lambda fx: fx.send_answer(),
    Effect.SEND_EXISTING: lambda fx: fx.send_existing(),
    Effect.TIDY_JOIN: lambda fx: fx.tidy_join(),
    Effect.FORGET: lambda fx: fx.forget(),
}


def allowed(status: str, event: Event) -> PairStatus:
    """The status ``event`` leads to from ``status``; :class:`PairingError` if it may not happen."""
    target = TRANSITIONS.get((PairStatus(status), event))
    if target is None:
        raise PairingError(_REFUSALS.get(event) or _REFUSED.format(event=event, status=status))
    return target


def advance(state: HasStatus, event: Event, effects: Effects) -> None:
    """Apply ``event`` to ``state``: refuse it untouched, or do its effects and set the status."""
    target = allowed(state.status, event)
    for effect in EFFECTS[event]:
        _PERFORM[effect](effects)
    state.status = target.value
