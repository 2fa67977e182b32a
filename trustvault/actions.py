"""The one door: every thing a person can do to their vault is one method here.

The CLI and the app call these and nothing else that writes. Each write is one transaction that
changes the vault *and* records what the partner's device must receive (sync ops), so a change
can never be committed without its op or the reverse. Results are typed
(:mod:`trustvault.results`); reads go through :attr:`Actions.queries`.

    lifecycle   create, unlock, open_with_key, open_remembered, close
    entries     add, edit, share, withdraw, share_again, delete, acknowledge, comment,
                accept, propose_revision, review_agreement
    drafts      keep_draft, discard_draft (this device's alone, never synced)
    reading     hold_for_session, open_held, put_away, bring_back (this device's alone)
    pauses      pause, extend_pause, end_pause
    plans       propose_plan, change_plan, step_down, write_plan_needs (accept as above)
    routines    mark_occurrence
    talking     start_conversation, write_part, finish_part (:mod:`.conversation_doors`)
    homework    add_homework, mark_homework_done (:mod:`.homework_doors`)
    pairing     invite, join, unpair, verify, sync, set_daily_receipts, set_send_hold,
                close_shared_space, agree_to_keep
    the vault   rename, change_passphrase, rekey, remember_key, forget_key, import_calendar,
                export_calendar, export_data

Argon2id (create, unlock, change_passphrase, rekey), re-encrypting (rekey) and sync are slow by
design: the app runs them on its worker thread.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from trustvault import (
    agreements,
    drafts,
    keychain,
    local_zone,
    plan_withdrawal,
    questions,
    reading,
    remembered,
)
from trustvault.clock import Clock, iso_now, system_clock
from trustvault.conversation_doors import ConversationDoors
from trustvault.entries.kinds import PLAN_KINDS, REVIEW_OUTCOMES, validate_visibility
from trustvault.entries.model import Entry
from trustvault.errors import CorruptFile, EditConflict, InvalidField
from trustvault.homework_doors import HomeworkDoors
from trustvault.pake_doors import PakeDoors
from trustvault.partner_doors import PartnerDoors
from trustvault.plan_doors import PlanDoors
from trustvault.queries import Queries
from trustvault.results import (
    AcceptResult,
    Draft,
    PartnerCopy,
    SavedKeyProblem,
    Visibility,
)
from trustvault.routine_doors import RoutineDoors
from trustvault.storage import erasure
from trustvault.storage.reading_store import HELD, PUT_AWAY
from trustvault.storage.transaction import transaction
from trustvault.sync import closing
from trustvault.sync.service import SyncService
from trustvault.sync.transport import Transport
from trustvault.vault import MIN_PASSPHRASE, Vault
from trustvault.vault_doors import VaultDoors

__all__ = ["MIN_PASSPHRASE", "Actions"]

_NEW_WORDING = ("stepped down", "revised")
"""Review outcomes that change the wording; keeping or retiring an agreement keeps it."""


class Actions(
    PartnerDoors, PakeDoors, VaultDoors, PlanDoors, RoutineDoors, ConversationDoors, HomeworkDoors
):
    """Everything a person can do with one open vault. Close it (or use ``with``) when done.
    Those between the partners (pairing, sync, pauses, closing) are in :mod:`.partner_doors`,
    the vault's own (rename, passphrase, keychain, files) in :mod:`.vault_doors`, a
    transparency plan's in :mod:`.plan_doors`, homework in :mod:`.homework_doors`."""

    REVOCATION_NOTE = SyncService.REVOCATION_NOTE

    def __init__(self, vault: Vault, transport: Transport | None = None) -> None:
        """``transport`` overrides the paired medium (tests, the demo); faces never pass one."""
        self._vault = vault
        self._transport = transport
        self._sync = SyncService(vault, transport)
        self.queries = Queries(vault)
        closing.honour_on_open(vault.entries)

    # -- lifecycle ---------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        folder: Path,
        passphrase: str,
        name: str,
        *,
        kdf_profile: str = "moderate",
        remember: bool = False,
        clock: Clock = system_clock,
    ) -> "Actions":
        """Make a new vault and open it; ``remember`` also stores its key in the OS keychain
        (check :meth:`remembers_key` afterwards: there may be no keychain)."""
        actions = cls(Vault.create(folder, passphrase, name, kdf_profile=kdf_profile, clock=clock))
        if remember:
            actions.remember_key()
        return actions

    @classmethod
    def unlock(
        cls, folder: Path, passphrase: str, *, remember: bool = False, clock: Clock = system_clock
    ) -> "Actions":
        actions = cls(Vault.unlock(folder, passphrase, clock=clock))
        if remember:
            actions.remember_key()
        return actions

    @classmethod
    def open_with_key(cls, folder: Path, key: bytes, *, clock: Clock = system_clock) -> "Actions":
        return cls(Vault.open_with_key(folder, key, clock=clock))

    @classmethod
    def open_remembered(
        cls, folder: Path, *, clock: Clock = system_clock
    ) -> "Actions | SavedKeyProblem":
        """Open with the key this device remembers for ``folder``, or say why it cannot."""
        vault_id = remembered.remembered_vault_id(folder)
        if vault_id is None:
            return SavedKeyProblem.NOT_REMEMBERED
        key = keychain.recall_key(vault_id)
        if key is None:
            remembered.set_remembered_vault_id(folder, None)
            return SavedKeyProblem.KEY_GONE
        try:
            return cls.open_with_key(folder, key, clock=clock)
        except CorruptFile:
            return SavedKeyProblem.WRONG_VAULT

    @staticmethod
    def exists(folder: Path) -> bool:
        return Vault.exists(folder)

    def close(self) -> None:
        self._vault.close()

    def __enter__(self) -> "Actions":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- entries -----------------------------------------------------------------------------

    def add(
        self,
        kind: str,
        fields: Mapping[str, Any],
        visibility: str | None = None,
        *,
        draft: str | None = None,
    ) -> Entry:
        """A new entry; a shared one is queued for the partner in the same transaction, and
        the ``draft`` it was written from (:meth:`keep_draft`) is deleted in it too.

        A repeating event given with this computer's UTC offset is taken to be in this
        computer's zone, so it keeps its wall-clock time across daylight saving
        (:mod:`trustvault.local_zone`). A disclosure whose ``answers`` names the partner's
        question is its answer (:mod:`trustvault.questions`): ask one with kind ``question``."""
        if kind in PLAN_KINDS:
            raise InvalidField(
                "kind", "a plan is written with propose_plan, its needs and steps too"
            )
        if kind == "event":
            fields = local_zone.in_local_zone(fields, local_zone.local_zone_name())
        with transaction(self._vault.conn):
            entry = self._vault.entries.add(kind, fields, visibility)
            if entry.kind == "disclosure" and entry.fields.get("answers"):
                questions.check_answer(self._vault.entries, entry.fields["answers"])
            drafts.finish(self._vault, draft)
        return entry

    def edit(
        self,
        entry_id: str,
        changes: Mapping[str, Any],
        visibility: str | None = None,
        *,
        base_revision: int | None = None,
        draft: str | None = None,
    ) -> Entry:
        """Change an entry's fields (a new revision) and, if given, who sees it; all or nothing.

        Making a shared entry private withdraws it *before* the edit, so the new wording never
        reaches the partner; making a private entry shared shares it after the edit. New wording
        of an agreement is a proposal both must accept again: :meth:`propose_revision`.
        ``base_revision`` is the revision the edit was made on: if the entry has moved on (the
        partner's edit arrived meanwhile) nothing is saved (:class:`EditConflict`). ``draft``
        (:meth:`keep_draft`) is deleted in the same transaction.
        """
        return self._change(
            entry_id, changes, visibility, proposal=False, base=base_revision, draft=draft
        )

    def propose_revision(
        self,
        entry_id: str,
        changes: Mapping[str, Any],
        visibility: str | None = None,
        *,
        base_revision: int | None = None,
        draft: str | None = None,
    ) -> Entry:
        """New terms (title, text or end date) for an agreement, by either partner once it is
        shared: a new version, in force only once both accept it; until then the version in
        force stays so (:meth:`Queries.agreement_standing`). Other fields may change in the same
        revision. ``base_revision`` and ``draft`` as for :meth:`edit`."""
        return self._change(
            entry_id, changes, visibility, proposal=True, base=base_revision, draft=draft
        )

    def review_agreement(
        self,
        entry_id: str,
        outcome: str,
        changes: Mapping[str, Any] | None = None,
        *,
        base_revision: int | None = None,
    ) -> Entry:
        """Record today's review of an agreement, by either partner: its ``outcome`` (kept,
        stepped down, revised, retired), with new wording for a step-down or a revision, and
        any new review or end date in ``changes``. A review is a proposal: the version it
        reviews stays as it was until both accept it, so each review records both voices."""
        if outcome not in REVIEW_OUTCOMES:
            raise InvalidField("outcome", f"{outcome!r} is not one of {', '.join(REVIEW_OUTCOMES)}")
        changes = dict(changes or {})
        with transaction(self._vault.conn):
            entry = self._vault.entries.get(entry_id)
            if entry.kind != "agreement":
                raise InvalidField("entry", "only an agreement can be reviewed")
            if base_revision is not None and entry.revision != base_revision:
                raise EditConflict(entry_id, base_revision, entry.revision)
            rewords = any(
                k in changes and changes[k] != entry.fields.get(k) for k in ("title", "text")
            )
            if outcome in _NEW_WORDING and not rewords:
                raise InvalidField("text", f"an agreement {outcome} needs its new wording")
            if outcome not in _NEW_WORDING and rewords:
                raise InvalidField("text", f"an agreement {outcome} keeps its wording")
            today = self.queries.today().isoformat()
            return self._vault.entries.edit(
                entry_id, {**changes, "outcome": outcome, "reviewed_on": today}
            )

    def _change(
        self,
        entry_id: str,
        changes: Mapping[str, Any],
        visibility: str | None,
        *,
        proposal: bool,
        base: int | None,
        draft: str | None,
    ) -> Entry:
        target = Visibility(validate_visibility(visibility)) if visibility is not None else None
        if target is Visibility.WITHDRAWN:
            raise InvalidField("visibility", "choose private or shared")
        with transaction(self._vault.conn):
            drafts.finish(self._vault, draft)
            entry = self._vault.entries.get(entry_id)
            if base is not None and entry.revision != base:
                raise EditConflict(entry_id, base, entry.revision)
            if entry.kind in PLAN_KINDS and changes:
                raise InvalidField("entry", "a plan changes with change_plan, needs with their own")
            if entry.kind == "event" and "start" in changes and entry.fields:
                merged = local_zone.in_local_zone(
                    {**entry.fields, **changes}, local_zone.local_zone_name()
                )
                changes = {**changes, "tz": merged.get("tz", "")}
            rewords = Queries.is_revision(entry, changes)
            if proposal and not rewords:
                raise InvalidField("revision", "give the agreement a new title or text")
            if rewords and not proposal:
                raise InvalidField(
                    "text", "new wording of an agreement is a proposal: propose a revision"
                )
            if target is not None and target != entry.visibility:
                self._sync.own(entry_id)  # only the author decides who sees it
            if target is Visibility.PRIVATE and entry.visibility == Visibility.SHARED:
                entry = self._withdraw_entry(entry_id)
            if changes:
                before = entry.fields.get("answers")
                entry = self._vault.entries.edit(entry_id, changes)
                if entry.fields.get("answers") not in (None, before):
                    questions.check_answer(self._vault.entries, entry.fields["answers"])
            if target is Visibility.SHARED and entry.visibility == Visibility.PRIVATE:
                entry = self._sync.share(entry_id)
        return entry

    def keep_draft(
        self,
        kind: str,
        fields: Mapping[str, Any],
        *,
        visibility: str | None = None,
        entry_id: str | None = None,
        base_revision: int | None = None,
        draft_id: str | None = None,
    ) -> Draft:
        """Keep what an editor holds (the vault is locking) inside the vault, to offer back on
        unlock: ``entry_id`` and ``base_revision`` name the entry and revision being edited;
        ``draft_id`` replaces that draft. Never synced (:mod:`trustvault.drafts`)."""
        return drafts.keep(
            self._vault,
            kind,
            fields,
            visibility=visibility,
            entry_id=entry_id,
            base_revision=base_revision,
            draft_id=draft_id,
        )

    def discard_draft(self, draft_id: str) -> bool:
        """Throw a kept draft away; False when it was already gone."""
        return drafts.discard(self._vault, draft_id)

    # -- reading (this device's alone: never an op, the author learns nothing) --------------

    def hold_for_session(self, entry_id: str) -> Entry:
        """Keep the partner's entry closed on this device until it is opened deliberately
        (:meth:`open_held`), for a session together: only its content note and level of detail
        show meanwhile. The partner's device is not told."""
        return reading.mark(self._vault, entry_id, HELD, partners_only=True)

    def open_held(self, entry_id: str) -> Entry:
        """Open an entry held for a session: it reads as any other from now on."""
        return reading.unmark(self._vault, entry_id, HELD)

    def put_away(self, entry_id: str) -> Entry:
        """Take an entry out of this device's timeline into the "put away" view, until
        :meth:`bring_back`. The partner's device is not told."""
        return reading.mark(self._vault, entry_id, PUT_AWAY, partners_only=False)

    def bring_back(self, entry_id: str) -> Entry:
        """Put an entry that was put away back in the timeline."""
        return reading.unmark(self._vault, entry_id, PUT_AWAY)

    def share(self, entry_id: str, *, with_history: bool = False) -> Entry:
        """Share a private entry: its current version reaches the partner on the first sync
        after its hold (:meth:`set_send_hold`), or with ``with_history`` its earlier versions
        too (they were drafts for nobody else). :meth:`withdraw` within the hold undoes it."""
        return self._sync.share(entry_id, with_history=with_history)

    def share_again(self, entry_id: str) -> Entry:
        """Give the partner back a withdrawn entry (its current version only)."""
        return self._sync.share(entry_id)

    def withdraw(self, entry_id: str) -> Entry:
        """Take the partner's view of an entry away (see :data:`REVOCATION_NOTE`). While its
        share has not left this device (``queries.undoable``), nothing was sent and nothing
        will be: the share is undone. A plan takes its step-downs and needs with it."""
        return self._withdraw_entry(entry_id)

    def delete(self, entry_id: str) -> PartnerCopy:
        """Delete this person's entry from this device for good: every version, its index row,
        every comment on it, and the old copies SQLite keeps (erased once committed). The
        partner's device, if it may hold anything of it, deletes its copy and keeps a tombstone
        "deleted by …" (:class:`PartnerCopy` says which). It cannot undo what the partner read.
        A plan takes its step-downs and needs with it (:mod:`trustvault.plan_withdrawal`)."""
        with transaction(self._vault.conn):
            entry = self._vault.entries.get(entry_id)
            if entry.kind == "plan" and entry.author == self._vault.device_id:
                at = iso_now(self._vault.clock)  # its step-downs and needs go first
                plan_withdrawal.delete_children(
                    self._vault.entries, entry.id, at, self._sync.delete
                )
            copy = self._sync.delete(entry_id)
        erasure.finish(self._vault.conn, erasure.ROUND_WAIT)  # or when the vault next closes
        return copy

    def acknowledge(self, entry_id: str, *, need_time: bool = False) -> None:
        """Say "I have read this" (or "I need some time") on the partner's entry."""
        self._sync.ack(entry_id, need_time)

    def comment(self, entry_id: str, text: str) -> str:
        """Comment on a shared entry; returns the comment's id."""
        return self._sync.comment(entry_id, text)

    def accept(self, entry_id: str, *, wording: str | None = None) -> AcceptResult:
        """Accept the agreement's current wording as this person; the partner learns of it.

        ``wording`` is the version digest the person read (the app passes the one on screen):
        if the partner revised the agreement meanwhile, nothing is accepted.
        """
        with transaction(self._vault.conn):
            entry = self._vault.entries.get(entry_id)
            if wording is not None and wording != agreements.version_digest(entry.fields):
                raise InvalidField(
                    "agreement", "its wording changed since you opened it; read the new version"
                )
            before = self.queries.accepted_by(entry) if entry.kind in ("agreement", "plan") else {}
            digest = self._sync.accept(entry_id)
            new = self._vault.device_id not in before
            status = self.queries.agreement_status(entry)
        return AcceptResult(entry, digest, new, status)
