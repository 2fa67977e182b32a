"""The typed answers of the action layer and the read-only queries, for the CLI and the app.

Faces compare enums and read dataclass fields; they never parse a status string. Each enum is a
``StrEnum`` whose value is the word stored in the vault and printed in ``--json``, so the stored
form and the documented output stay one vocabulary.
"""

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from trustvault.entries.model import Entry, Revision

__all__ = [
    "NEUTRAL_TITLE",
    "AcceptResult",
    "AgreementStatus",
    "CalendarExport",
    "Comment",
    "Delivery",
    "DeliveryState",
    "Entry",
    "ImportResult",
    "PairStatus",
    "PartnerInfo",
    "RekeyResult",
    "Response",
    "ResponseState",
    "Revision",
    "SavedKeyProblem",
    "SyncResult",
    "Visibility",
    "Withdrawal",
]


NEUTRAL_TITLE = "Appointment"
"""The one title a calendar exported with neutral titles gives every event."""


class Visibility(StrEnum):
    """Who can see an entry: its author alone, both partners, or nobody (a tombstone)."""

    PRIVATE = "private"
    SHARED = "shared"
    WITHDRAWN = "withdrawn"  # the partner's entry, withdrawn by its author: content deleted here


class PairStatus(StrEnum):
    UNPAIRED = "unpaired"
    INVITING = "inviting"  # an invite code exists; the partner has not joined yet
    JOINING = "joining"  # a join request is out; the inviter's device has not answered yet
    PAIRED = "paired"


class DeliveryState(StrEnum):
    NEVER_SHARED = "never shared"
    SENDING = "sending"  # shared here, still in its hold: withdrawing now means never sent
    PENDING = "pending"  # shared here, not yet confirmed by the partner's device
    DELIVERED = "delivered"
    WITHDRAWING = "withdrawal pending"  # withdrawn here; the partner's device has not confirmed
    WITHDRAWN = "withdrawn"
    HELD = "waits for verification"  # shared before this pairing: sent once the key is verified
    FROM_PARTNER = "from partner"


@dataclass(frozen=True)
class Delivery:
    """Where an entry stands between the two devices; ``at`` is the ISO time of the state
    (for ``SENDING``, the moment it leaves, and ``left`` the whole seconds until then)."""

    state: DeliveryState
    at: str = ""
    left: int = 0

    @property
    def day(self) -> str:
        return self.at[:10]

    @property
    def countdown(self) -> str:
        """``4:12``: minutes and seconds until a share in its hold leaves."""
        return f"{self.left // 60}:{self.left % 60:02d}"

    def __str__(self) -> str:
        """The documented ``delivery`` word: ``delivered 2026-05-03``, ``sending in 4:12``,
        ``pending``, ..."""
        if self.state is DeliveryState.SENDING:
            return f"sending in {self.countdown}"
        return f"{self.state} {self.day}" if self.day else str(self.state)


class ResponseState(StrEnum):
    READ = "read"
    NEED_TIME = "need_time"


@dataclass(frozen=True)
class Response:
    """A person's acknowledgement of an entry (``person`` is a device id)."""

    person: str
    state: ResponseState
    at: str


@dataclass(frozen=True)
class Comment:
    id: str
    person: str
    text: str
    at: str


@dataclass(frozen=True)
class Withdrawal:
    """The tombstone of a partner's entry: who withdrew it and when."""

    author: str
    at: str


class AgreementStatus(StrEnum):
    PROPOSED = "proposed"
    IN_FORCE = "in force"
    DUE_FOR_REVIEW = "due for review"


@dataclass(frozen=True)
class AcceptResult:
    """What accepting an agreement did: ``new`` is False when this person had accepted already."""

    entry: Entry
    digest: str
    new: bool
    status: AgreementStatus


@dataclass(frozen=True)
class ImportResult:
    added: list[Entry]
    skipped: int  # events already in the vault (same calendar UID)


@dataclass(frozen=True)
class RekeyResult:
    """What re-keying did besides the database: ``forgot_remembered_key`` is True when this
    device had remembered the (now useless) old key and forgot it."""

    forgot_remembered_key: bool


class SavedKeyProblem(StrEnum):
    """Why a key remembered on this device did not open the vault."""

    NOT_REMEMBERED = "not remembered"  # this device keeps no key for the folder
    KEY_GONE = "key gone"  # the keychain no longer holds it (the note is dropped)
    WRONG_VAULT = "wrong vault"  # a key kept for an older vault once at the same path


@dataclass(frozen=True)
class CalendarExport:
    data: bytes  # the .ics file
    events: int


@dataclass
class SyncResult:
    """Counts of one sync round. Reasons in ``problems`` never contain entry content."""

    sent: int = 0
    received: int = 0
    rejected: int = 0
    confirmed: int = 0  # of this device's ops, newly confirmed by the partner's device
    duplicates: int = 0
    refused_ops: int = 0
    pending: int = 0
    waiting: int = 0
    paired_now: bool = False
    holding: int = 0
    """Shares still in their hold (:mod:`trustvault.sync.send_hold`), sent by a later round."""
    next_send: str = ""
    """When the next of them may leave (ISO, UTC), so a face can sync then; "" when none waits."""
    status: str = ""
    problems: list[str] = field(default_factory=list)
    erase_pending: bool = False
    """Content the partner withdrew is deleted, but an old copy is still in the vault's log:
    another connection was reading. It is erased at the next sync or when the vault closes or
    opens; until then, do not tell the person it is gone from this device."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PartnerInfo:
    name: str
    device: str
    status: PairStatus
    safety_number: str
    verified: bool
    key_changed: bool

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["status"] = str(self.status)
        return out
