"""The typed answers of the action layer and the read-only queries, for the CLI and the app.

Faces compare enums and read dataclass fields; they never parse a status string. Each enum is a
``StrEnum`` whose value is the word stored in the vault and printed in ``--json``, so the stored
form and the documented output stay one vocabulary.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trustvault.occurrence_ref import OccurrenceRef

if TYPE_CHECKING:
    from trustvault.entries.model import Entry, Revision

__all__ = [
    "DETAIL_WORDS",
    "EXPORT_WARNING",
    "NEUTRAL_TITLE",
    "QUIET_DAYS",
    "AcceptResult",
    "AgreementStanding",
    "AgreementStatus",
    "CalendarExport",
    "CalendarPreview",
    "CheckinTrend",
    "Comment",
    "DataExport",
    "Delivery",
    "DeliveryState",
    "Draft",
    "Entry",
    "Homework",
    "ImportResult",
    "LastHeard",
    "MarkState",
    "OccurrenceMark",
    "PairStatus",
    "PairingEnded",
    "PartnerCopy",
    "PartnerInfo",
    "Pause",
    "Question",
    "Reading",
    "RekeyResult",
    "Renamed",
    "Response",
    "ResponseState",
    "ReviewOutcome",
    "Revision",
    "RoutinePace",
    "RoutineProgress",
    "SavedKeyProblem",
    "SessionAgenda",
    "SessionMoment",
    "SharedEarlier",
    "SyncResult",
    "Visibility",
    "Withdrawal",
    "spoken_day",
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
    """The tombstone of a partner's entry: who made it one, when, and why: ``withdrawn`` (its
    author took it back and may give it again), ``deleted`` (its author deleted it for good) or
    ``closed`` (deleted at its author's request when the shared space closed)."""

    author: str
    at: str
    reason: str = "withdrawn"

    @property
    def deleted(self) -> bool:
        """Gone for good: no later version of it is taken in."""
        return self.reason in ("deleted", "closed")


@dataclass(frozen=True)
class SharedEarlier:
    """An entry of this device's sent under a pairing that has ended: ``told_now`` when that
    device is the one paired now (re-paired), so deleting it tells it."""

    told_now: bool


class PartnerCopy(StrEnum):
    """What becomes of the partner's copy of an entry its author deletes."""

    DELETED = "deleted"  # a delete goes to the partner's device, which keeps only a tombstone
    NEVER_SENT = "never sent"  # nothing of it ever left this device
    KEPT = "kept"  # shared once, but not paired now: the partner's device keeps what it had


class AgreementStatus(StrEnum):
    PROPOSED = "proposed"
    IN_FORCE = "in force"
    DUE_FOR_REVIEW = "due for review"
    ENDED = "ended"
    RETIRED = "retired"


class ReviewOutcome(StrEnum):
    """What a review of an agreement decided (recorded in the version both accept)."""

    KEPT = "kept"
    STEPPED_DOWN = "stepped down"
    REVISED = "revised"
    RETIRED = "retired"


@dataclass(frozen=True)
class AgreementStanding:
    """Where an agreement stands: the version both accepted last (``in_force``, whose status
    is ``status``), and the newest wording while both have not accepted it (``proposal``).

    ``status`` is PROPOSED only when no version was ever accepted by both; a proposal on an
    agreement in force leaves the version in force as it was until both accept it."""

    status: AgreementStatus
    in_force: Revision | None
    proposal: Revision | None
    proposal_accepted: dict[str, str]  # person -> when, for the proposal's wording


@dataclass(frozen=True)
class Pause:
    """A pause one partner asked for, with the return they promised (UTC ISO times).

    ``ended`` is when one of them said "I'm back" ('' while it is on, even past ``until``:
    nobody has come back yet); ``came_back`` says a return was kept that way."""

    id: str
    asked_by: str
    started: str
    until: str
    ended: str
    came_back: bool
    at: str

    @property
    def on(self) -> bool:
        """Still on (nobody said "I'm back"), even past ``until``."""
        return not self.ended


@dataclass(frozen=True)
class AcceptResult:
    """What accepting an agreement did: ``new`` is False when this person had accepted already."""

    entry: Entry
    digest: str
    new: bool
    status: AgreementStatus


@dataclass(frozen=True)
class Renamed:
    """What changing the display name did: ``name`` as stored; ``sent`` is whether the partner's
    device is told (not while unpaired: the next pairing carries the name; not after the
    shared space closed: nothing new goes)."""

    name: str
    sent: bool


@dataclass(frozen=True)
class Question:
    """A question either partner asked, with the disclosures shared in answer (oldest first) as
    this device holds them, and the whole days it has waited (``waited_days``: until its first
    answer, else until ``today``). Days are counted from the question's writing to the answer's
    writing, each on its writer's device."""

    entry: Entry
    answers: tuple[Entry, ...]
    waited_days: int

    @property
    def answered(self) -> bool:
        return bool(self.answers)

    @property
    def for_session(self) -> bool:
        return self.entry.fields.get("setting") == "for_session"

    @property
    def status(self) -> str:
        """ "answered after 3 days", "waiting 2 days", "answered the same day"... in words both
        faces print; never a score."""
        days = self.waited_days
        span = "the same day" if days == 0 else f"after {days} day{'s' if days != 1 else ''}"
        if self.answered:
            return f"answered {span}"
        return "asked today" if days == 0 else f"waiting {days} day{'s' if days != 1 else ''}"


@dataclass(frozen=True)
class Reading:
    """How the reader keeps an entry on this device (never told to its author): ``held`` for
    a session together (closed until opened), ``put_away`` (out of the timeline)."""

    held: bool = False
    put_away: bool = False


DETAIL_WORDS = {"outline": "An outline", "some": "Some detail", "full": "Full detail"}
"""A disclosure's level of detail, as both faces say it."""


@dataclass(frozen=True)
class ImportResult:
    """What an import did; ``notes`` says, one line each, what was not carried over."""

    added: list[Entry]
    skipped: int  # events already in the vault (same calendar UID)
    shared: bool  # the added events are queued for the partner (else private)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CalendarPreview:
    """What importing a file would add, so the person can choose to share it or not first."""

    new: int  # events that would be added
    known: int  # events already in the vault (same calendar UID)
    notes: list[str] = field(default_factory=list)  # one line each, as ImportResult.notes


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


EXPORT_WARNING = (
    "This file is not encrypted: anyone who opens it can read it. Keep it where only you can"
    " reach it (an encrypted disk or USB stick), never in a shared or synced folder, and delete"
    " it when you no longer need it."
)
"""What both faces say before and after exporting one's data (trustvault.data_export)."""


@dataclass(frozen=True)
class Draft:
    """What an editor held when the vault locked: kept on this device only, never synced.

    ``entry_id`` and ``base_revision`` name the entry being edited and the revision the editor
    opened (None for a new entry); ``fields`` are the editor's values as typed (not validated:
    a draft may be half-written); ``visibility`` is the choice made for a new entry."""

    id: str
    kind: str
    entry_id: str | None
    base_revision: int | None
    fields: dict[str, Any]
    visibility: str | None
    kept_at: str  # UTC ISO


@dataclass(frozen=True)
class DataExport:
    path: Path
    mine: int  # entries this person wrote
    shared_with_me: int  # the partner's entries, as this device holds them


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
    partner_left: str = ""
    """The day (ISO) the partner's device unpaired, when this round brought its notice: the
    pairing is forgotten here too, and ``status`` is "unpaired"."""
    closed: bool = False
    """The shared space was closed and its day came: the requests were honoured, this device
    left the medium, and ``status`` is "unpaired" (:mod:`trustvault.sync.closing`)."""
    arrived: list[str] = field(default_factory=list)
    """The ids of the entries the partner's applied ops touched this round (new, edited,
    withdrawn, commented on, answered): what a face marks unread and counts in a notice."""
    erase_pending: bool = False
    """Content the partner withdrew is deleted, but an old copy is still in the vault's log:
    another connection was reading. It is erased at the next sync or when the vault closes or
    opens; until then, do not tell the person it is gone from this device."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PairingEnded:
    """The partner's device unpaired: who, and on which day (theirs)."""

    partner: str
    day: date

    def sentence(self, today: date) -> str:
        return (
            f"{self.partner} unpaired {spoken_day(self.day, today, on=True)}: nothing more is"
            " exchanged, and what each of you has stays on each device."
        )


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


QUIET_DAYS = 7
"""After this many days without a heartbeat, a sync that reached the medium says so, calmly."""

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def spoken_day(day: date, today: date, *, on: bool = False) -> str:
    """The day in words: "today", "yesterday" or "Tuesday 1 December" (with the year when it
    is not this one); ``on`` gives "on Tuesday 1 December", to follow a verb. English names
    whatever the locale, so a sentence never mixes two languages."""
    if day == today:
        return "today"
    if day == date.fromordinal(today.toordinal() - 1):
        return "yesterday"
    words = f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
    if day.year != today.year:
        words += f" {day.year}"
    return f"on {words}" if on else words


@dataclass(frozen=True)
class LastHeard:
    """The newest day the partner's device said it synced (its heartbeat), as this device
    holds it; ``day`` is None until one arrives under this pairing (an app older than heartbeats
    sends none). The words live here so the app and the CLI say the same thing."""

    partner: str
    day: date | None
    today: date
    relay: bool = False

    @property
    def days(self) -> int | None:
        """Whole days since then (0 for a day ahead of this device's: time zones differ)."""
        return None if self.day is None else max(0, (self.today - self.day).days)

    @property
    def quiet(self) -> bool:
        """Silent for more than :data:`QUIET_DAYS`; say so only after reaching the medium."""
        return self.days is not None and self.days > QUIET_DAYS

    def when(self, *, on: bool = False) -> str:
        """When it was heard, in words ("today", "on Tuesday 1 December"); "" if never."""
        if self.day is None:
            return ""
        return spoken_day(min(self.day, self.today), self.today, on=on)

    @property
    def line(self) -> str:
        if self.day is None:
            return f"Nothing heard from {self.partner}'s device yet."
        return f"Last heard from {self.partner}'s device: {self.when()}"

    @property
    def warning(self) -> str:
        """The calm note for :attr:`quiet`: no alarm, no blame ("" when not quiet)."""
        if not self.quiet:
            return ""
        where = "on the relay" if self.relay else "in the sync folder"
        return (
            f"{self.partner}'s device has not synced for {self.days} days. Entries wait"
            f" {where} until it does."
        )

    def to_json(self) -> dict[str, Any]:
        return {"day": self.day.isoformat() if self.day else None, "days": self.days}


@dataclass(frozen=True)
class Closing:
    """The shared space is closed, or closing (:mod:`trustvault.sync.closing`): who closed it
    and when, when it stops for good on this device (``until``), and what each person asked.

    ``closed_by_me``: I closed it first; ``i_closed``: I closed it (first, or answering the
    partner's closing). ``i_ask``: I asked that the partner's device delete what I wrote;
    ``they_ask`` the reverse.
    ``i_keep``/``they_keep``: each agreed that both keep everything; only both together lift
    the requests. ``ended``: syncing has stopped here. The words live here so the app and the
    CLI say the same thing, including where the promise stops."""

    partner: str
    closed_by_me: bool
    i_closed: bool
    closed_on: date
    until: date
    i_ask: bool
    they_ask: bool
    i_keep: bool
    they_keep: bool
    ended: bool

    @property
    def kept(self) -> bool:
        return self.i_keep and self.they_keep

    def sentence(self, today: date) -> str:
        who = "You" if self.closed_by_me else self.partner
        said = [f"{who} closed your shared space {spoken_day(self.closed_on, today, on=True)}."]
        if self.ended:
            said.append("Nothing more is exchanged.")
        else:
            until = spoken_day(self.until, today, on=True)
            said.append(f"Nothing new is exchanged (withdrawals still are); syncing stops {until}.")
        return " ".join(said + self._requests(today))

    def _requests(self, today: date) -> list[str]:
        if self.kept:
            return ["You both agreed to keep everything."]
        partner = self.partner
        then = "did so" if self.ended else f"does so {spoken_day(self.until, today, on=True)}"
        unless = "" if self.ended else ", unless you both agree to keep everything"
        said = []
        if self.they_ask:
            said.append(
                f"{partner} asked that this device delete what {partner} wrote; it {then}{unless}."
            )
        if self.i_ask:
            # Its day is counted from when the closing reached it, which this device cannot see.
            said.append(
                f"You asked that {partner}'s device delete what you wrote, a week after your"
                f" closing reached it{unless}. A changed app could keep it, and what {partner}"
                f" has read stays with {partner}."
            )
        if not self.ended and self.i_keep:
            said.append(f"You agreed to keep everything; {partner} has not.")
        elif not self.ended and self.they_keep:
            said.append(f"{partner} would like you both to keep everything.")
        return said

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["closed_on"], out["until"] = self.closed_on.isoformat(), self.until.isoformat()
        out["kept"] = self.kept
        return out


class MarkState(StrEnum):
    """What became of one occurrence of an event, as either partner marks it."""

    HELD = "held"
    SKIPPED = "skipped"
    MOVED = "moved"


@dataclass(frozen=True)
class OccurrenceMark:
    """The latest mark on one occurrence: who marked it (a device id) and when (UTC ISO)."""

    ref: OccurrenceRef
    state: MarkState
    marked_by: str
    at: str

    def to_json(self) -> dict[str, str]:
        return {"event": self.ref.event_id, "of": self.ref.original, "state": self.state,
                "marked_by": self.marked_by, "at": self.at}  # fmt: skip


class RoutinePace(StrEnum):
    """Where a milestone's rule over held occurrences stands."""

    REACHED = "reached"
    ON_TRACK = "on track"
    """Not reached yet, but the occurrences still planned by the deadline are enough."""
    BEHIND = "behind"
    """Fewer occurrences are planned by the deadline than are still needed."""
    MISSED = "missed"


@dataclass(frozen=True)
class RoutineProgress:
    """A milestone's rule ("12 check-ins held by 1 March") counted from the marks here.

    ``planned``: occurrences still to come by the deadline and not marked yet."""

    milestone: Entry
    held: int
    target: int
    by: date
    planned: int
    pace: RoutinePace

    def sentence(self) -> str:
        """One line for the CLI and the Progress page."""
        counted = f"{self.held} of {self.target} held by {self.by.day} {self.by:%B %Y}"
        if self.pace is RoutinePace.REACHED:
            return f"{counted}: reached"
        if self.pace is RoutinePace.MISSED:
            return f"{counted}: the day has passed"
        more = f"{self.planned} more planned"
        return f"{counted}: {self.pace} ({more})"

    def to_json(self) -> dict[str, Any]:
        return {"milestone": self.milestone.id, "held": self.held, "target": self.target,
                "by": self.by.isoformat(), "planned": self.planned, "pace": self.pace}  # fmt: skip


@dataclass(frozen=True)
class Homework:
    """A homework item for a therapy session, named by (``event_id``, ``original_start``),
    with whom it is for (device ids) and who marked it done, and when (device id -> ISO)."""

    entry: Entry
    event_id: str
    original_start: str
    people: tuple[str, ...]
    done: dict[str, str]

    @property
    def text(self) -> str:
        return str(self.entry.fields.get("text", ""))

    @property
    def all_done(self) -> bool:
        return bool(self.people) and all(p in self.done for p in self.people)


@dataclass(frozen=True)
class SessionMoment:
    """One therapy occurrence: its event's id, its start as the homework names it (ISO), the
    start as a moment (aware), and the event's title."""

    event_id: str
    original_start: str
    start: datetime
    title: str


@dataclass(frozen=True)
class CheckinTrend:
    """One person's check-ins since the last session (the ones this device holds): how many,
    and mood and safety first and last and on average, never a score between the two."""

    person: str
    count: int
    mood_first: int
    mood_last: int
    mood_average: float
    safety_first: int
    safety_last: int
    safety_average: float


@dataclass(frozen=True)
class SessionAgenda:
    """What a therapy session brings together, the same in the CLI and the app: the session
    (ongoing or next; None when none is on the calendar), the last one before it (``since``
    what the rest counts from: None means everything), agreements due for review, questions
    kept for the session, check-in trends, disclosures since the last session, and the
    session's homework."""

    session: SessionMoment | None
    last_session: SessionMoment | None
    due_for_review: tuple[Entry, ...]
    questions: tuple[Question, ...]
    trends: tuple[CheckinTrend, ...]
    disclosures: tuple[Entry, ...]
    homework: tuple[Homework, ...]

    @property
    def empty(self) -> bool:
        return not (self.due_for_review or self.questions or self.trends or self.disclosures
                    or self.homework)  # fmt: skip


def __getattr__(name: str) -> object:
    """``Entry`` and ``Revision`` are answers too, re-exported from :mod:`trustvault.entries.model`
    on first use: that module loads the kinds' field parsing (dateutil among it), which the
    app's unlock screen, the first thing it paints, has no use for."""
    if name in ("Entry", "Revision"):
        from trustvault.entries import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
