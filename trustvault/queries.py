"""Read-only views of an open vault, for the CLI and the app (writes go through the actions).

Nothing here changes the vault, so a face may call these on the UI thread for small lookups and
on a worker for whole-vault reads. Every answer is typed (:mod:`trustvault.results`).
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from trustvault import agreements, drafts, homework, pauses, questions, reading, stats
from trustvault import session_agenda as agenda
from trustvault.clock import Clock
from trustvault.conversation_reads import ConversationReads
from trustvault.entries.model import Entry, Revision
from trustvault.keychain import keychain_available, keychain_name
from trustvault.plan_queries import PlanQueries
from trustvault.remembered import remembered_vault_id
from trustvault.reminders import Reminder, reminders
from trustvault.results import (
    AgreementStanding,
    AgreementStatus,
    CalendarPreview,
    Closing,
    Comment,
    Delivery,
    DeliveryState,
    Draft,
    Homework,
    LastHeard,
    PairingEnded,
    PairStatus,
    PartnerInfo,
    Pause,
    Question,
    Reading,
    Response,
    SessionAgenda,
    SharedEarlier,
    Withdrawal,
)
from trustvault.routine_queries import RoutineQueries
from trustvault.storage import pairing_store, reading_store, social_store
from trustvault.sync import (
    closing_state,
    heartbeat,
    leave_notice,
    receipt_timing,
    send_hold,
    tellings,
)
from trustvault.sync.pair_state import load_pair
from trustvault.sync.resend import existing_held
from trustvault.sync.service import SyncService
from trustvault.telling import Telling
from trustvault.trigger_reads import TriggerReads
from trustvault.vault import Vault

__all__ = ["Queries", "keychain_available", "keychain_name", "remembered_vault_id"]


class Queries(TriggerReads, PlanQueries, RoutineQueries, ConversationReads):
    """What one open vault can tell its faces. Made by :class:`trustvault.actions.Actions`;
    triggers and anniversaries are read in :mod:`.trigger_reads`, plans in :mod:`.plan_queries`,
    routines' marks in :mod:`.routine_queries`, conversations in :mod:`.conversation_reads`."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._entries = vault.entries

    # -- the vault ---------------------------------------------------------------------------

    @property
    def device_id(self) -> str:
        return self._vault.device_id

    @property
    def vault_id(self) -> str:
        return self._vault.vault_id

    @property
    def name(self) -> str:
        return self._vault.name

    @property
    def folder(self) -> Path:
        return self._vault.folder

    @property
    def previous_opening(self) -> datetime | None:
        """When this vault was opened on this device before this time (local time), if ever."""
        at = self._vault.previous_opening
        return None if at is None else datetime.fromisoformat(at).astimezone()

    @property
    def clock(self) -> Clock:
        return self._vault.clock

    def today(self) -> date:
        """Today in the system's time zone (what a person means by "today")."""
        return self._vault.clock().astimezone().date()

    def preview_calendar(self, data: bytes, source: str = "the calendar file") -> CalendarPreview:
        """How many of an .ics file's events an import would add, before it is asked whether
        to share them; raises :class:`InvalidField` as the import would."""
        from trustvault import ics  # icalendar loads only when a file is imported or exported

        prepared = ics.prepare(self._vault, data, source)
        return CalendarPreview(len(prepared.fresh), prepared.known, prepared.notes)

    def integrity_check(self) -> str:
        return self._vault.integrity_check()

    # -- entries -----------------------------------------------------------------------------

    def entry(self, entry_id: str) -> Entry:
        return self._entries.get(entry_id)

    def find(self, prefix: str) -> Entry:
        """The entry whose id starts with ``prefix`` (at least 6 hex digits); AmbiguousId
        names the first few when more than one does."""
        return self._entries.find(prefix)

    def page(
        self,
        limit: int = 200,
        *,
        kind: str | None = None,
        author: str | None = None,
        before: tuple[str, int] | None = None,
        put_away: bool | None = None,
    ) -> list[Entry]:
        """Newest first (see :meth:`EntryStore.page`); ``put_away`` False for the timeline,
        True for the "put away" view."""
        return self._entries.page(limit, kind=kind, author=author, before=before, put_away=put_away)

    def all(self, kind: str | None = None) -> list[Entry]:
        return self._entries.all(kind)

    def count(self, kind: str | None = None) -> int:
        return self._entries.count(kind)

    def cursor_of(self, entry: Entry) -> tuple[str, int]:
        return self._entries.cursor_of(entry)

    def history(self, entry_id: str) -> list[Revision]:
        return self._entries.history(entry_id)

    def search(self, text: str, limit: int = 100) -> list[Entry]:
        return self._entries.search(text, limit)

    def drafts(self) -> list[Draft]:
        """What editors held when the vault last locked, oldest first (offered back on unlock)."""
        return drafts.all_drafts(self._vault)

    def drafts_before_sharing(self, entry: Entry) -> int:
        """How many earlier versions a first share of this private entry would hold back."""
        if (
            not self.is_mine(entry)
            or entry.visibility != "private"
            or self.delivery(entry.id).state is not DeliveryState.NEVER_SHARED
        ):
            return 0
        return len(self._entries.history(entry.id)) - 1

    def all_ids(self) -> list[str]:
        """Every entry id in order (for the CLI's shortest unambiguous prefixes)."""
        return self._entries.all_ids()

    def is_mine(self, entry: Entry) -> bool:
        return entry.author == self._vault.device_id

    # -- between the partners ----------------------------------------------------------------

    def delivery(self, entry_id: str) -> Delivery:
        return SyncService(self._vault).delivery(entry_id)

    def responses(self, entry_id: str) -> list[Response]:
        return social_store.responses(self._vault.conn, entry_id)

    def comments(self, entry_id: str) -> list[Comment]:
        return social_store.comments(self._vault.conn, entry_id)

    def withdrawal(self, entry_id: str) -> Withdrawal | None:
        return social_store.withdrawal(self._vault.conn, entry_id)

    def telling(self, entry: Entry) -> Telling | None:
        """When a disclosure happened, was dated, shared and reached the partner's device (the
        verified figure), and what was added later; None for other kinds and tombstones."""
        return tellings.read_tellings(self._entries, [entry]).get(entry.id)

    def tellings(self, entries: Sequence[Entry]) -> dict[str, Telling]:
        """:meth:`telling` of every disclosure among ``entries`` at once (a timeline page)."""
        return tellings.read_tellings(self._entries, entries)

    # -- reading (this device's own marks) ----------------------------------------------------

    def reading(self, entry_id: str) -> Reading:
        """Whether this person holds the entry for a session, or put it away, on this device."""
        return reading.reading_of(self._vault, entry_id)

    def held_ids(self) -> set[str]:
        """The entries held for a session (closed until opened) on this device."""
        return reading_store.marked(self._vault.conn, reading_store.HELD)

    def put_away_ids(self) -> set[str]:
        """The entries put away on this device."""
        return reading_store.marked(self._vault.conn, reading_store.PUT_AWAY)

    # -- questions ---------------------------------------------------------------------------

    def questions(self, today: date | None = None) -> list[Question]:
        """Both partners' questions, unanswered first, with their answers and how long each
        waited (a worker's read: it looks at every linked disclosure)."""
        return questions.questions(self._entries, today or self.today())

    def question(self, entry: Entry, today: date | None = None) -> Question:
        """One question's answers and how long it has waited."""
        return questions.status_of(self._entries, entry, today or self.today())

    def question_of(self, disclosure: Entry) -> Entry | None:
        """The question a disclosure answers, when this device holds it."""
        return questions.question_of(self._entries, disclosure)

    # -- agreements --------------------------------------------------------------------------

    def agreement_status(self, entry: Entry, today: date | None = None) -> AgreementStatus:
        """The status of the agreement's version in force (proposed when none is)."""
        return AgreementStatus(agreements.status_of(self._vault, entry, today or self.today()))

    def agreement_standing(self, entry: Entry, today: date | None = None) -> AgreementStanding:
        """The version in force and, while both have not accepted it, the proposal."""
        return agreements.standing(self._vault, entry, today or self.today())

    def accepted_by(self, entry: Entry) -> dict[str, str]:
        """Who accepted the entry's current wording, and when (device id -> ISO time)."""
        digest = agreements.version_digest(entry.fields)
        return {p: at for d, p, at in agreements.acceptances(self._vault, entry.id) if d == digest}

    def agreement_parties(self) -> tuple[str, ...]:
        return agreements.parties(self._vault)

    @staticmethod
    def is_revision(entry: Entry, changes: Mapping[str, Any]) -> bool:
        """Whether ``changes`` give an agreement new terms (wording, end date, review outcome:
        :data:`trustvault.agreements.TERMS`); then it is a proposed revision."""
        if entry.kind != "agreement":
            return False
        return any(
            key in changes and (changes[key] or "") != (entry.fields.get(key) or "")
            for key in agreements.TERMS
        )

    @staticmethod
    def wording_of(entry: Entry) -> str:
        """The digest that names an agreement's wording (what an acceptance is bound to)."""
        return agreements.version_digest(entry.fields)

    # -- homework and the session -------------------------------------------------------------

    def homework(self) -> list[Homework]:
        """Every homework item with whom it is for and who marked it done, oldest first."""
        found = self._entries.all("homework")
        return homework.homework_of(self._vault.conn, found, agreements.parties(self._vault))

    def session_agenda(self, at: datetime | None = None) -> SessionAgenda:
        """What the therapy session going on at ``at`` (now by default), or the next one,
        brings together (:mod:`trustvault.session_agenda`): a worker's read."""
        return agenda.agenda(self._vault, at or self._vault.clock())

    # -- pauses ------------------------------------------------------------------------------

    def pause(self) -> Pause | None:
        """The pause that is on (either partner's), until one of them says "I'm back"."""
        return pauses.current(self._vault.conn)

    def returns_kept(self) -> int:
        """How many pauses ended with one of them coming back (encouragement, not a score)."""
        return pauses.returns_kept(self._vault.conn)

    # -- the partner -------------------------------------------------------------------------

    def pair_status(self) -> PairStatus:
        return SyncService(self._vault).status()

    def partner(self) -> PartnerInfo | None:
        return SyncService(self._vault).partner()

    def people(self) -> dict[str, str]:
        """Device id -> display name: this device, and the partner's once paired."""
        partner = self.partner()
        names = {partner.device: partner.name} if partner is not None else {}
        return {**names, self.device_id: self.name}

    def name_of(self, device_id: str) -> str:
        """The display name of whoever wrote with ``device_id``; "Partner" before pairing.

        The partner record outlives an unpairing, so their entries keep their author's name.
        """
        if device_id == self.device_id:
            return self.name
        record = pairing_store.partner(self._vault.conn)
        return record.name if record is not None and record.name else "Partner"

    def held_for_verification(self) -> int:
        """How many entries shared before this pairing wait for the partner's key to be
        verified (0 once it is, or when nothing waits)."""
        if not existing_held(self._vault.conn):
            return 0
        return social_store.unsent_shared(self._vault.conn, self.device_id)

    def shared_earlier(self, entry_id: str) -> SharedEarlier | None:
        """Whether this device sent the entry under a pairing that has ended (that device keeps
        it), and whether that device is the one paired now."""
        device = social_store.shared_before(self._vault.conn, entry_id)
        if device is None:
            return None
        state = load_pair(self._vault.conn)
        return SharedEarlier(state is not None and state.partner_device == device)

    def closing(self) -> Closing | None:
        """The shared space's closing, from the first ``close`` until a new pairing begins."""
        record = closing_state.load(self._vault.conn)
        return None if record is None else record.public()

    def pairing_ended(self) -> PairingEnded | None:
        """Who unpaired from the other side and when, while this vault is not paired again."""
        if load_pair(self._vault.conn) is not None:
            return None
        return leave_notice.ended(self._vault.conn)

    def last_heard(self) -> LastHeard | None:
        """The day the partner's device last said it synced (see ``sync.heartbeat``), or None
        when not paired. Whether to warn that it is quiet is the face's call: only after a sync
        that reached the medium (while this device cannot reach it, the silence may be its own)."""
        state = load_pair(self._vault.conn)
        if state is None or not state.paired:
            return None
        return LastHeard(
            partner=state.partner_name or "your partner",
            day=heartbeat.heard(self._vault.conn),
            today=self.today(),
            relay=state.transport.get("type") == "relay",
        )

    def send_hold(self) -> timedelta:
        """How long a newly shared entry waits before it leaves (see ``sync.send_hold``)."""
        return send_hold.hold_length(self._vault.conn)

    def undoable(self, entry_id: str) -> bool:
        """Whether the entry's share has not left this device yet: withdrawing it now means it
        was never sent (the faces say "undo", not "withdraw")."""
        return send_hold.pending(self._vault.conn, entry_id) is not None

    def next_send(self) -> str:
        """When the next share in its hold leaves (ISO, UTC): whatever was recorded after it
        leaves then too, in order. "" when none waits."""
        return send_hold.departures(self._vault.conn, self._vault.clock())[1]

    def daily_receipts(self) -> bool:
        """Whether this device sends its receipts once a day (see ``sync.receipt_timing``)."""
        return receipt_timing.daily(self._vault.conn)

    def transport_spec(self) -> dict[str, Any] | None:
        """The paired medium's spec (for watching it for changes), or None when not paired."""
        state = load_pair(self._vault.conn)
        return state.transport if state is not None and state.paired else None

    def reminders(self, lead: timedelta | None) -> list[Reminder]:
        """Events' alarms (``lead`` before events without any; None: none), agreements'
        review dates and anniversaries' flags ahead still worth saying from now, soonest first
        (reads every event: a worker's read, once per change)."""
        return reminders(
            self.all("event"), self.all("agreement"), self.clock(), lead, self.all("anniversary")
        )

    def sync_marks(self) -> tuple[str, int, int]:
        """Where the exchange stands: (pairing status, the partner's ops applied here, ours the
        partner confirmed). A face compares two readings to learn that something it shows
        changed, whoever synced (its own round, one that failed after a commit, or the CLI)."""
        state = load_pair(self._vault.conn)
        if state is None:
            return ("unpaired", 0, 0)
        return (state.status, state.recv_seq, state.confirmed_seq)

    def pairing_spec(self) -> dict[str, Any] | None:
        """The medium of a pending or active pairing (see :mod:`trustvault.medium`)."""
        state = load_pair(self._vault.conn)
        return state.transport if state is not None else None

    # -- reports -----------------------------------------------------------------------------

    def summary(self, today: date | None = None) -> dict[str, Any]:
        """Everything ``stats --json`` prints."""
        return stats.summary(self._vault, today or self.today())
