"""The sync facade the CLI and the UI call: pair, sync, share, revoke, respond.

Each method is one transaction on the vault, then (where it helps) one push to the transport;
a transport failure after the commit loses nothing: the next sync finishes the job.
"""

import math
from datetime import datetime, timedelta
from typing import Any

from crypto.invite import relay_join_token
from trustvault.agreements import version_digest
from trustvault.clock import iso_now
from trustvault.entries.model import Entry
from trustvault.errors import InvalidField, PairingError, TrustVaultError
from trustvault.ids import new_id
from trustvault.pauses import body_of
from trustvault.results import (
    Delivery,
    DeliveryState,
    PairStatus,
    PartnerCopy,
    PartnerInfo,
    Pause,
    ResponseState,
    SyncResult,
    Visibility,
)
from trustvault.storage import erasure, pairing_store, social_store, telling_store
from trustvault.storage.transaction import transaction
from trustvault.sync import closing_state, leave_notice, leaving, outbox, pairing, send_hold
from trustvault.sync.pair_state import PairState, load_identity, load_pair, save_pair
from trustvault.sync.resend import (
    existing_held,
    release_held,
    send_own_responses,
    shareable_history,
)
from trustvault.sync.sync_round import SyncRound
from trustvault.sync.transport import Transport
from trustvault.sync.transports import check_apart, open_transport
from trustvault.sync.urgent import record_ahead
from trustvault.vault import Vault

__all__ = ["SyncService"]

RESPONSES = ("ack", "comment", "accept", "homework_done")
"""Ops that answer an entry; they carry ``seen`` (see :meth:`SyncService._record`)."""

_HONEST = (
    "Withdrawing removes it from your partner's device and from the sync folder, "
    "but it cannot undo what your partner has already read."
)


class SyncService:
    """Pairing and sync for one open vault. ``transport`` overrides the stored one (tests, demo).

    The implementation behind :class:`trustvault.actions.Actions`; faces never call it directly.
    """

    REVOCATION_NOTE = _HONEST

    def __init__(self, vault: Vault, transport: Transport | None = None) -> None:
        self.vault = vault
        self.conn = vault.conn
        self._transport = transport

    # -- pairing ---------------------------------------------------------------------------

    def invite(self, spec: dict[str, Any], ttl: timedelta = pairing.DEFAULT_TTL) -> str:
        """Make an invite code for the given transport spec (folder or relay)."""
        relay: tuple[str, str] = ("", "")
        secret = None
        pairing.check_can_invite(self.conn)
        check_apart(spec, self.vault.folder)
        if spec.get("type") == "relay":
            # Network I/O (with retries) before the transaction, so the vault is never locked
            # against other writers while a relay answers.
            from crypto.invite import new_invite_secret
            from trustvault.sync.relay_transport import create_mailbox

            secret = new_invite_secret()
            creds = create_mailbox(
                spec["url"], relay_join_token(secret), spec.get("creation_token")
            )  # the spec is replaced below: the creation token is never stored
            spec = {"type": "relay", "credentials": creds.to_json()}
            relay = (creds.url, creds.mailbox_id)
        with transaction(self.conn):
            identity = load_identity(self.conn)
            return pairing.make_invite(
                self.conn, identity, spec, self.vault.clock(), ttl, relay, secret
            )

    def join(self, code: str, spec: dict[str, Any] | None = None) -> PartnerInfo:
        """Join with a partner's code; pairing completes when the inviter's device answers."""
        from trustvault.sync.invite_code import decode_invite

        invite = decode_invite(code)
        with transaction(self.conn):
            pairing.check_code(self.conn, load_identity(self.conn), invite, self.vault.clock())
        if invite.relay_url:
            from trustvault.sync.relay_transport import join_mailbox

            creds = join_mailbox(invite.relay_url, invite.mailbox, relay_join_token(invite.secret))
            spec = {"type": "relay", "credentials": creds.to_json()}
        if spec is None:
            raise PairingError("Choose the sync folder you share with your partner (--folder).")
        check_apart(spec, self.vault.folder)
        transport = self._transport or open_transport(spec)
        try:
            with transaction(self.conn):
                identity = load_identity(self.conn)
                pairing.start_join(
                    self.conn,
                    identity,
                    code,
                    self.vault.name,
                    self.vault.device_id,
                    spec,
                    transport,
                    self.vault.clock(),
                )
        finally:
            if self._transport is None:
                transport.close()  # the relay client holds a connection pool
        self.vault.recorder.refresh()
        info = self.partner()
        assert info is not None
        return info

    def partner(self) -> PartnerInfo | None:
        state = load_pair(self.conn)
        if state is None or state.status == "inviting":
            return None
        identity = load_identity(self.conn)
        return PartnerInfo(
            name=state.partner_name or "your partner",
            device=state.partner_device,
            status=PairStatus(state.status),
            # A short code's joiner knows no key until the exchange ends: no number to compare.
            safety_number=state.safety_number(identity) if state.partner_public else "",
            verified=state.verified,
            key_changed=state.key_changed,
        )

    def status(self) -> PairStatus:
        state = load_pair(self.conn)
        return PairStatus.UNPAIRED if state is None else PairStatus(state.status)

    def unpair(self, *, anyway: bool = False) -> None:
        """Stop syncing with the partner (or cancel a pending invite or join); entries stay.

        Paired, it first settles with the medium and waits while a withdrawal could still
        leave its content with the partner (:mod:`.leaving`), unless ``anyway``.
        """
        state = load_pair(self.conn)
        if state is not None and state.paired:
            unreachable = None
            try:
                self.sync()
            except TrustVaultError as exc:
                unreachable = exc.message
            current = load_pair(self.conn)
            if current is None or not current.paired:
                return  # that sync brought the partner's own notice: the pairing has ended
            state = current
            partner = state.partner_name or "your partner"
            problem = leaving.why_unpair_waits(self.conn, state, partner, unreachable)
            if problem is not None and not anyway:
                raise PairingError(problem)
            today = self.vault.clock().astimezone().date()
            notice = leave_notice.seal(
                self.conn, state, state.keys(load_identity(self.conn)), today
            )
            transport = self._transport or open_transport(state.transport)
            try:
                leaving.leave_medium(self.conn, state, transport, notice)
            finally:
                if self._transport is None:
                    transport.close()
        with transaction(self.conn):
            pairing.forget_pairing(self.conn)
        self.vault.recorder.refresh()

    def verify(self) -> PartnerInfo:
        """Mark the partner's current key as verified (after comparing safety numbers aloud)."""
        with transaction(self.conn):
            state = self._paired_state()  # a joiner may verify the key its code named
            if not state.partner_public:  # a short code's joiner: no key has moved yet
                raise PairingError(
                    "There is no safety number to compare yet: sync once your partner's device"
                    " has answered the code."
                )
            pairing_store.mark_verified(self.conn, state.partner_public)
            if release_held(self.vault, state):  # what was shared before pairing goes now
                save_pair(self.conn, state)
        info = self.partner()
        assert info is not None
        return info

    # -- sharing ---------------------------------------------------------------------------

    def share(self, entry_id: str, *, with_history: bool = False) -> Entry:
        """Make an entry shared and send it: the first time, its current version, or with
        ``with_history`` every version (a private entry's earlier ones are drafts)."""
        with transaction(self.conn):
            entry = self.own(entry_id)
            sharing = social_store.sharing_row(self.conn, entry.id)
            first_time = sharing is None
            if entry.visibility == Visibility.PRIVATE and first_time:
                floor = 1 if with_history else entry.revision
                social_store.set_share_floor(self.conn, entry.id, floor)
            entry = self.vault.entries.set_visibility(entry.id, Visibility.SHARED)
            state = load_pair(self.conn)
            if state is not None and state.paired:
                prior = social_store.sharing_record(self.conn, entry.id)
                first, chain_before = state.send_seq + 1, state.send_chain
                regrant = sharing is not None and sharing[1] is not None
                if regrant and entry.editor != self.vault.device_id:
                    entry = self._reissue_as_own(entry)
                revisions = shareable_history(self.vault, entry.id) if first_time else [None]
                for rev in revisions:
                    self.vault.recorder.record_version(state, entry, rev)
                send_own_responses(self.vault, state, entry.id)
                start = (entry.id, first, chain_before, prior)
                send_hold.begin(self.conn, state, [start], self.vault.clock)
                save_pair(self.conn, state)
        return entry

    def _reissue_as_own(self, entry: Entry) -> Entry:
        """Copy the current version of an event the partner edited last into a new revision by
        this device, for a re-grant.

        A re-grant sends only the current version; were it the partner's, the partner's device
        would refuse it (it accepts no version naming itself as editor: it cannot tell such a
        version from a forgery, having deleted its copies when the entry was withdrawn).
        """
        store = self.vault.entries
        revision = store.max_revision(entry.id) + 1
        store.put_version(entry.id, revision, self.vault.device_id, self._now(), dict(entry.fields))
        return store.get(entry.id)

    def revoke(self, entry_id: str) -> Entry:
        """Withdraw the partner's view of an entry (see :data:`REVOCATION_NOTE`); a share that
        has not left this device yet is undone instead: it was never sent."""
        with transaction(self.conn):
            entry = self.own(entry_id)
            was_shared = social_store.sharing_row(self.conn, entry.id) is not None
            entry = self.vault.entries.set_visibility(entry.id, Visibility.PRIVATE)
            state = load_pair(self.conn)
            if was_shared and state is not None and state.paired:
                if send_hold.undo(self.conn, state, entry.id):
                    save_pair(self.conn, state)
                    return entry
                keys = state.keys(load_identity(self.conn))
                outbox.redact_entry(self.conn, state, keys, entry.id)
                seq = outbox.record(
                    self.conn, state, "revoke", {"id": entry.id, "at": self._now()}, entry.id
                )
                social_store.mark_withdrawn(self.conn, entry.id, self._now(), seq)
                save_pair(self.conn, state)
            elif was_shared:
                social_store.mark_withdrawn(self.conn, entry.id, self._now(), None)
        return entry

    def delete(self, entry_id: str) -> PartnerCopy:
        """Delete this device's entry for good: every version, its index row, every comment,
        answer and acceptance of it, and its content in ops the partner has not confirmed.

        A partner's device that may hold something of it (its copy, or a tombstone) is sent a
        ``delete``; a share that has not left this device is undone instead (nothing was sent).
        The caller erases the old copies after the commit (:mod:`trustvault.storage.erasure`).
        """
        with transaction(self.conn):
            entry = self.vault.entries.get(entry_id)
            if entry.author != self.vault.device_id:
                raise InvalidField("entry", "only its author can delete an entry")
            copy = PartnerCopy.NEVER_SENT
            state = load_pair(self.conn)
            paired = state is not None and state.paired
            earlier = social_store.shared_before(self.conn, entry.id)
            if social_store.sharing_row(self.conn, entry.id) is not None:
                copy = PartnerCopy.KEPT
                if state is not None and state.paired:
                    copy = self._tell_deleted(state, entry.id)
            elif earlier is not None:
                # Sent under a pairing that ended: that device keeps it, unless it is the one
                # paired now (re-paired), which is told. Another partner never hears the id.
                copy = PartnerCopy.KEPT
                if state is not None and paired and state.partner_device == earlier:
                    copy = self._tell_deleted(state, entry.id)
            self.vault.entries.delete(entry.id)
            social_store.forget_entry(self.conn, entry.id)
            telling_store.forget(self.conn, entry.id)
            erasure.mark_pending(self.conn)
        return copy

    def _tell_deleted(self, state: PairState, entry_id: str) -> PartnerCopy:
        """Inside :meth:`delete`: take back what has not left, and send a ``delete`` if the
        partner's device may hold anything of the entry."""
        undone = send_hold.undo(self.conn, state, entry_id)
        if undone and social_store.sharing_row(self.conn, entry_id) is None:
            save_pair(self.conn, state)  # a first share, undone: the partner never heard of it
            return PartnerCopy.NEVER_SENT
        keys = state.keys(load_identity(self.conn))
        outbox.redact_entry(self.conn, state, keys, entry_id)
        now = self._now()
        seq = outbox.record(self.conn, state, "delete", {"id": entry_id, "at": now}, entry_id)
        social_store.mark_withdrawn(self.conn, entry_id, now, seq)  # unpairing waits for it
        save_pair(self.conn, state)
        return PartnerCopy.DELETED

    def delivery(self, entry_id: str) -> Delivery:
        row = social_store.sharing_row(self.conn, entry_id)
        if row is None:
            entry = self.vault.entries.get(entry_id)
            if entry.author != self.vault.device_id:
                return Delivery(DeliveryState.FROM_PARTNER)
            if entry.visibility == Visibility.SHARED and existing_held(self.conn):
                return Delivery(DeliveryState.HELD)
            return Delivery(DeliveryState.NEVER_SHARED)
        delivered, withdrawn = row
        hold = send_hold.pending(self.conn, entry_id)
        if hold is not None and not withdrawn:
            left = (datetime.fromisoformat(hold.until) - self.vault.clock()).total_seconds()
            if left > 0:
                return Delivery(DeliveryState.SENDING, hold.until, math.ceil(left))
            return Delivery(DeliveryState.PENDING)
        if withdrawn:
            state = load_pair(self.conn)
            if (
                state is not None
                and state.paired
                and not social_store.withdrawal_confirmed(self.conn, entry_id, state.confirmed_seq)
            ):
                return Delivery(DeliveryState.WITHDRAWING, withdrawn)
            return Delivery(DeliveryState.WITHDRAWN, withdrawn)
        if delivered:
            return Delivery(DeliveryState.DELIVERED, delivered)
        return Delivery(DeliveryState.PENDING)

    # -- responding to the partner ---------------------------------------------------------

    def ack(self, entry_id: str, need_time: bool = False) -> None:
        state_word = ResponseState.NEED_TIME if need_time else ResponseState.READ
        with transaction(self.conn):
            entry = self._partners(entry_id)
            social_store.set_response(
                self.conn, entry.id, self.vault.device_id, state_word, self._now()
            )
            self._record("ack", {"id": entry.id, "state": state_word, "at": self._now()}, None)

    def comment(self, entry_id: str, text: str) -> str:
        text = text.strip()
        if not text:
            raise InvalidField("comment", "must not be empty")
        with transaction(self.conn):
            entry = self.vault.entries.get(entry_id)
            if entry.visibility != Visibility.SHARED:
                raise InvalidField("entry", "comments are for shared entries")
            cid = new_id()
            social_store.add_comment(
                self.conn, cid, entry.id, self.vault.device_id, text, self._now()
            )
            # Recorded against the entry, so withdrawing the entry also withdraws the author's
            # comments that have not reached the partner (outbox.redact_entry).
            self._record(
                "comment",
                {"cid": cid, "id": entry.id, "text": text, "at": self._now()},
                entry.id,
            )
        return cid

    def accept(self, entry_id: str) -> str:
        """Accept the agreement's current version on behalf of this device; returns its digest."""
        with transaction(self.conn):
            entry = self.vault.entries.get(entry_id)
            if entry.kind not in ("agreement", "plan") or entry.visibility == Visibility.WITHDRAWN:
                raise InvalidField("entry", "only an agreement or a plan can be accepted")
            digest = version_digest(entry.fields)
            social_store.add_acceptance(
                self.conn, entry.id, digest, self.vault.device_id, self._now()
            )
            if entry.visibility == Visibility.SHARED:
                # Recorded against the entry, as a comment is: withdrawing one's own agreement
                # before the partner fetched it withdraws the acceptance too.
                body = {"id": entry.id, "digest": digest, "at": self._now()}
                self._record("accept", body, entry.id)
        return digest

    # -- who this person is ----------------------------------------------------------------

    def tell_name(self, name: str) -> bool:
        """Queue a ``profile`` op with this person's new display name (inside the caller's
        transaction); False when none goes: not paired (the next pairing carries the name), or
        the shared space is closed (nothing new goes, :data:`.closing_state.STILL_SENT`)."""
        state = load_pair(self.conn)
        if state is None or not state.paired or not closing_state.may_send(self.conn, "profile"):
            return False
        self._record("profile", {"name": name}, None)
        return True

    def send_pause(self, pause: Pause) -> Pause:
        """Tell the partner's device the pause as it is now, ahead of any share in its hold
        (inside the caller's transaction; nothing is sent while not paired)."""
        state = load_pair(self.conn)
        if state is not None and state.paired:
            record_ahead(self.conn, state, "pause", body_of(pause))
            save_pair(self.conn, state)
        return pause

    # -- syncing ---------------------------------------------------------------------------

    def sync(self) -> SyncResult:
        """One round: answer joins, seal new ops, apply the partner's, confirm, clean up."""
        state = load_pair(self.conn)
        if state is None:
            today = self.vault.clock().astimezone().date()
            closed = closing_state.load(self.conn)
            if closed is not None and closed.ended:
                raise PairingError(
                    f"{closed.public().sentence(today)} To share again, pair anew ('invite'"
                    " and 'join')."
                )
            ended = leave_notice.ended(self.conn)
            if ended is not None:
                raise PairingError(
                    f"{ended.sentence(today)} To sync again, pair anew ('invite' and 'join')."
                )
            raise PairingError(
                "This vault is not paired yet. Use 'invite' on one device and 'join' on the other."
            )
        transport = self._transport or open_transport(state.transport)
        try:
            return SyncRound(self.vault, transport, state).run()
        finally:
            if self._transport is None:
                transport.close()

    def respond(self, op_type: str, body: dict[str, Any], entry_id: str) -> None:
        """Tell the partner this person's word on an entry (a ``done`` op of
        :mod:`trustvault.homework`), inside the caller's transaction; nothing while unpaired."""
        self._record(op_type, body, entry_id)

    # -- helpers ---------------------------------------------------------------------------

    def _record(self, op_type: str, body: dict[str, Any], entry_id: str | None) -> None:
        state = load_pair(self.conn)
        if state is None or not state.paired:
            return
        if op_type in RESPONSES:
            # How many of the partner's ops this device had applied: the partner tells a
            # response written before its withdrawal arrived here from one written after.
            body = {**body, "seen": state.recv_seq}
        outbox.record(self.conn, state, op_type, body, entry_id)
        save_pair(self.conn, state)

    def _paired_state(self) -> PairState:
        state = load_pair(self.conn)
        if state is None or state.status == "inviting":
            raise PairingError("This vault is not paired yet.")
        return state

    def own(self, entry_id: str) -> Entry:
        """The entry, if this device wrote it (only the author decides who sees it)."""
        entry = self.vault.entries.get(entry_id)
        if entry.author != self.vault.device_id:
            raise InvalidField("entry", "only its author can share or withdraw it")
        return entry

    def _partners(self, entry_id: str) -> Entry:
        entry = self.vault.entries.get(entry_id)
        if entry.author == self.vault.device_id:
            raise InvalidField("entry", "you can acknowledge your partner's entries, not your own")
        return entry

    def _now(self) -> str:
        return iso_now(self.vault.clock)
