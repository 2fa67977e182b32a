"""One sync round: answer or await pairing, seal new ops, apply the partner's, confirm, clean up.

The round reads the transport once, applies what continues the partner's chain, writes a receipt
for it (and once a day a heartbeat, :mod:`.heartbeat`), retires what the partner confirmed and
re-puts anything of ours the medium lost. Each step that changes the vault is its own transaction
and re-reads the pairing state first (another process may have written meanwhile); transport
writes happen only after the commit they follow.
"""

import contextlib
import itertools
from datetime import date

from crypto import envelope_v2
from crypto.envelope import open_envelope, parse_header
from crypto.errors import CryptoError
from crypto.identity import ChannelKeys, KeyPair
from trustvault.clock import iso_now
from trustvault.errors import MediumFull, PairingError, TransportError
from trustvault.storage import erasure, inbox_store, outbox_store
from trustvault.storage.transaction import transaction
from trustvault.sync import (
    closing,
    conversation_sync,
    heartbeat,
    leave_notice,
    leaving,
    migration,
    outbox,
    pairing,
    pake_pairing,
    pake_service,
    ratchet_state,
    receipt_bytes,
    receipt_timing,
    sealing,
    send_hold,
)
from trustvault.sync.blob_memo import memo_key, names_of
from trustvault.sync.inbox import Inbox, Incoming, incoming
from trustvault.sync.pair_state import PairState, load_identity, refresh, save_pair
from trustvault.sync.rejection import Rejected
from trustvault.sync.resend import on_paired
from trustvault.sync.results import SyncResult
from trustvault.sync.transport import Transport, delete_each, get_each, put_each
from trustvault.vault import Vault

__all__ = ["SyncRound"]

_PUT_BATCH = 200  # envelopes handed to the medium at once (one relay request)
_HELD_UP = (
    "Your partner's device gets nothing you share after it until the relay's operator raises"
    " that limit or you withdraw the entry with the longest text."
)


class SyncRound:
    """One round for one vault over one transport, starting from the stored pairing ``state``."""

    def __init__(self, vault: Vault, transport: Transport, state: PairState) -> None:
        self.vault = vault
        self.conn = vault.conn
        self.transport = transport
        self.state = state
        self._taken: list[str] = []  # the partner's envelopes present and applied here
        self._left: tuple[str, date] | None = None  # the partner's notice that it unpaired

    def run(self) -> SyncResult:
        transport, state = self.transport, self.state
        result = SyncResult()
        identity = load_identity(self.conn)
        names = transport.names()
        if state.pake and state.status in ("inviting", "joining"):
            result.paired_now = self._short_code_step()
            names = transport.names()
        elif state.status == "inviting":
            outcome = self._answer_joins(identity, names)
            result.rejected += outcome.rejected
            result.paired_now = outcome.accepted
            if outcome.expired:
                result.problems.append(pairing.EXPIRED_NOTE)
            names = transport.names()
        elif state.status == "joining":
            result.paired_now = self._await_answer(identity)
            names = transport.names()
        if not state.paired:
            result.status = state.status
            return result
        self.vault.recorder.refresh()
        keys = state.keys(identity)
        with transaction(self.conn):
            refresh(self.conn, state)  # each transaction re-reads it: see refresh()
            outbox.pack(self.conn, state, keys, self.vault.clock())
            migration.prepare(self.conn, state)
            save_pair(self.conn, state)
        try:
            late_joins = self._receive(transport, state, identity, names, result)
        finally:
            ratchet_state.forget_in_memory()
        if late_joins and state.role == "inviter":
            # Someone else used our (already used) code: answer "no" so their device says so
            # instead of waiting forever. The partner is never replaced (answer_joins checks).
            result.rejected += self._answer_joins(identity, late_joins).rejected
        if self._left is not None:
            return self._partner_left(state, result, *self._left)
        self._push(transport, state, names, result)
        result.closed = closing.finish(self.vault.entries, state, transport)
        # Withdrawn content is deleted; its old copies in the index and the log go now, last,
        # so the partner's receipt and our envelopes never wait for them.
        result.erase_pending = not erasure.finish(self.conn, erasure.ROUND_WAIT)
        if result.closed:
            self.vault.recorder.refresh()
            result.status = "unpaired"
            return result
        result.pending = state.send_seq - state.confirmed_seq
        result.holding, result.next_send = send_hold.departures(self.conn, self.vault.clock())
        result.status = state.status
        return result

    def _partner_left(
        self, state: PairState, result: SyncResult, notice: str, day: date
    ) -> SyncResult:
        """The partner's device unpaired: what it sent before is applied (above); now take this
        device's blobs and the notice off the medium, and forget the pairing here too."""
        leaving.leave_medium(self.conn, state, self.transport)
        with contextlib.suppress(TransportError):
            self.transport.delete(notice)
        with transaction(self.conn):
            pairing.partner_left(self.conn, day)
        self.vault.recorder.refresh()
        result.partner_left = day.isoformat()
        result.status = "unpaired"
        return result

    def _answer_joins(self, identity: KeyPair, names: list[str]) -> pairing.JoinOutcome:
        """Inviter: answer join requests; on accepting one, send what this device holds."""
        with transaction(self.conn):
            refresh(self.conn, self.state)
            outcome = pairing.answer_joins(
                self.conn,
                self.state,
                identity,
                self.vault.name,
                self.vault.device_id,
                self.transport,
                names,
                self.vault.clock(),
                lambda: on_paired(self.vault, self.state),
            )
        pairing.deliver(self.transport, outcome)  # only now: see pairing's docstring
        return outcome

    def _short_code_step(self) -> bool:
        """A short code's exchange (:mod:`.pake_pairing`): True once paired; a wrong code or an
        expired one forgets it (committed), then raises the plain reason on this device."""
        try:
            done = pake_service.run_step(
                self.vault,
                self.state,
                self.transport,
                self.vault.clock(),
                lambda: on_paired(self.vault, self.state),
            )
        finally:
            self.vault.recorder.refresh()
        if done.refusal:
            raise PairingError(done.refusal)
        return done.paired

    def _await_answer(self, identity: KeyPair) -> bool:
        """Joiner: True once the inviter said yes; a "no" clears the pairing, then raises."""
        try:
            with transaction(self.conn):
                refresh(self.conn, self.state)
                answer = pairing.read_answer(
                    self.conn,
                    self.state,
                    identity,
                    self.transport,
                    self.vault.clock(),
                    lambda: on_paired(self.vault, self.state),
                )
        finally:
            self.vault.recorder.refresh()
        for name in answer.settled:  # only now: see pairing's docstring
            self.transport.delete(name)
        if answer.refusal:
            raise PairingError(answer.refusal)
        return answer.paired

    def _receive(
        self,
        transport: Transport,
        state: PairState,
        identity: KeyPair,
        names: list[str],
        result: SyncResult,
    ) -> list[str]:
        """Apply the partner's envelopes; returns the names of join requests seen."""
        keys = state.keys(identity)
        own = outbox_store.envelope_names(self.conn)
        own.update(outbox_store.obsolete_names(self.conn))
        own.add(state.receipt_name)
        own.add(state.announce_name)
        if (beat := heartbeat.outgoing(self.conn)) is not None:
            own.add(beat[0])
        # Rejected blobs are remembered by name *and* content, so each is counted once, but a
        # blob repaired under the same name (re-put by the partner, fixed by the file-sync tool)
        # is read afresh instead of being skipped forever, which would stall the pair.
        skip = inbox_store.rejected_names(self.conn)
        skip_names = names_of(skip)
        incoming_envs: list[Incoming] = []
        joins: list[str] = []
        saw_v2 = announced = False
        publics: list[bytes] = []  # the partner's ratchet publics its receipts carried
        confirmed_through = state.confirmed_seq
        # The day as this person lives it (local), not the UTC one.
        today = self.vault.clock().astimezone().date()
        heard: date | None = None
        fetched = get_each(transport, [name for name in names if name not in own])
        round_keys = sealing.round_keys(keys)  # derived once, not per blob
        hold_v2 = migration.read_ahead(self.conn, state, keys, fetched)  # the ratchet's seed
        for name in names:
            if name in own:
                continue
            blob = fetched.get(name)
            if blob is None or (hold_v2 and envelope_v2.is_v2(blob)):
                continue
            if name in skip_names and memo_key(name, blob) in skip:
                continue
            opened = self._open(round_keys, name, blob, result, joins)
            if opened is None:
                continue
            header, payload = opened.header, opened.payload
            if opened.format >= 2:
                saw_v2 = True
            if header.kind == migration.KIND:
                announced = True
            elif header.kind == leave_notice.KIND:
                left = leave_notice.judge(header, payload or b"")
                if isinstance(left, Rejected):
                    self._reject_blob(name, blob, left.reason, result)
                else:
                    self._left = (name, left)
            elif header.kind == heartbeat.KIND:
                day = heartbeat.judge(header, payload or b"", today)
                if isinstance(day, Rejected):
                    self._reject_blob(name, blob, day.reason, result)
                elif heard is None or day > heard:
                    heard = day  # an older one (the previous day's, not yet deleted) is no news
            elif header.kind == b"R":
                receipt = receipt_bytes.read(header.seq, payload, opened.format)
                if receipt is None:
                    self._reject_blob(name, blob, "receipt did not authenticate", result)
                else:
                    confirmed_through = max(confirmed_through, receipt[0])
                    if receipt[1] is not None:
                        publics.append(receipt[1])
            elif payload is None:  # no key here for it (a ratchet forgot it): applied already?
                if header.seq <= state.recv_seq:
                    result.duplicates += 1
                else:
                    self._reject_blob(name, blob, "could not be opened on this device", result)
            else:
                env = incoming(
                    keys, state.pair_id, name, header, payload, opened.format, opened.ratchet, blob
                )
                if isinstance(env, Rejected):
                    self._reject_blob(name, blob, env.reason, result)
                else:
                    incoming_envs.append(env)
        inbox = Inbox(self.vault.entries, state, keys)
        inbox.apply_in_order(incoming_envs)
        result.received += inbox.applied_ops
        result.arrived.extend(inbox.arrived)
        result.rejected += inbox.rejected
        result.duplicates += inbox.duplicates
        result.refused_ops += inbox.refused_ops
        result.waiting = inbox.waiting(incoming_envs)
        result.problems.extend(inbox.problems)
        with transaction(self.conn):
            refresh(self.conn, state)
            # The partner's "done" may have come: this person's part goes now if theirs is done.
            conversation_sync.reveal_due(self.conn, self.vault.device_id, self._now(), state)
            if confirmed_through > state.confirmed_seq:
                before = state.confirmed_seq
                outbox.confirm(self.conn, state, confirmed_through, today.isoformat())
                result.confirmed = state.confirmed_seq - before
            if heard is not None:
                heartbeat.hear(self.conn, heard)
            migration.heard(self.conn, state, keys, announced, saw_v2)
            if sealing.seals_v2(self.conn, state):
                ratchet_state.note_use(self.conn, state, keys, today)
            for public in publics:
                ratchet_state.partner_public(self.conn, state, keys, public)
            self._tell_partner(state, keys)
            if state.send_seq > state.packed_seq:  # what applying wrote back (received, reveal)
                outbox.pack(self.conn, state, keys, self.vault.clock())
            save_pair(self.conn, state)
        self._taken = [e.name for e in incoming_envs if e.last_seq <= state.recv_seq]
        return joins

    def _open(
        self,
        keys: sealing.RoundKeys,
        name: str,
        blob: bytes,
        result: SyncResult,
        joins: list[str],
    ) -> sealing.Opened | None:
        """Sort one blob of the listing and open it if it is the partner's; None when there is
        nothing more to do with it (refused and counted, ours and deleted, a pairing frame)."""
        state, legacy = self.state, sealing.acts_as_v1(self.conn)
        forged = "did not authenticate (tampered or foreign)"
        if envelope_v2.is_v2(blob) and not legacy:
            whose = sealing.whose(keys, blob)
            if whose == "mine":  # ours, from an older copy of the medium
                if sealing.opens_as_mine(keys, blob):
                    self.transport.delete(name)
                else:
                    self._reject_blob(name, blob, forged, result)
                return None
            if whose == "foreign":
                self._reject_blob(name, blob, "belongs to another pair", result)
                return None
            opened = sealing.open_theirs(self.conn, state, keys, blob)
            if isinstance(opened, Rejected):
                self._reject_blob(name, blob, opened.reason, result)
                return None
            return opened
        try:
            header = parse_header(blob)
        except CryptoError:
            self._reject_blob(name, blob, "not an envelope", result)
            return None
        if header.kind in (b"J", b"W", pake_pairing.KIND):
            if header.kind == b"J":
                joins.append(name)
            return None
        if header.pair_id != state.pair_id:
            self._reject_blob(name, blob, "belongs to another pair", result)
            return None
        if header.sender == sealing.sender_role(keys.channel):
            # Claims to be ours. Only a blob that opens under our own key is one of ours from
            # an older copy of the folder (delete it); the clear sender byte alone proves
            # nothing, and deleting on its say-so would hide a tampered envelope.
            if sealing.opens_as_mine(keys, blob):
                self.transport.delete(name)
            else:
                self._reject_blob(name, blob, forged, result)
            return None
        if header.kind == migration.KIND and not legacy:
            refused = migration.read(self.conn, keys.channel, blob)
            if isinstance(refused, Rejected):
                self._reject_blob(name, blob, refused.reason, result)
                return None
            return sealing.Opened(header, None, 1)
        if migration.refuses_v1(state, header):
            self._reject_blob(name, blob, "is in the old format, after the new one began", result)
            return None
        try:
            header, payload = open_envelope(keys.channel.receive, blob)
        except CryptoError:
            self._reject_blob(name, blob, _UNAUTHENTIC.get(header.kind, _UNAUTHENTIC[b"E"]), result)
            return None
        if header.kind not in sealing.KINDS:
            self._reject_blob(name, blob, "belongs to another pair", result)
            return None
        return sealing.Opened(header, payload, 1)

    def _push(
        self, transport: Transport, state: PairState, names: list[str], result: SyncResult
    ) -> None:
        """Room first, then what unblocks the partner, then what is new: delete confirmed and
        obsolete blobs, put the receipt, then our envelopes in order until the medium is full.
        Putting first is what stalled a full medium for good: nothing could ever leave it."""
        obsolete = list(outbox_store.obsolete_names(self.conn))
        delete_each(transport, obsolete)  # forgotten only once gone: a crash between re-deletes
        for name in obsolete:
            outbox_store.forget_obsolete(self.conn, name)
        present = set(transport.names()) if names else set()
        if state.receipt_name and state.receipt_name not in present:
            self._put_receipt(state, result)
        if (beat := heartbeat.outgoing(self.conn)) is not None and beat[0] not in present:
            with contextlib.suppress(MediumFull):  # a day's "still here" can wait for room
                self.transport.put(*beat)
        keys = state.keys(load_identity(self.conn))
        news = migration.announcement(self.conn, state, keys)
        if news is not None and news[0] not in present:
            with contextlib.suppress(MediumFull):  # it can wait for room too
                self.transport.put(*news)
        full: MediumFull | None = None
        waiting = 0  # ops not in the medium, once it is full
        rows = enumerate(outbox_store.envelopes(self.conn))
        while chunk := list(itertools.islice(rows, _PUT_BATCH)):
            if full is None:  # once full, nothing after the gap: the partner applies in order
                full = self._put_own(chunk, present, result)
            if full is not None:
                waiting += sum(
                    last - first + 1 for _, (n, _, first, last) in chunk if n not in present
                )
        if full is not None:
            verb = "change waits" if waiting == 1 else "changes wait"
            result.problems.append(
                f"{full.medium} is full: {waiting:,} {verb} until {_device_of(state)} reads;"
                " they go by themselves after that."
            )

    def _put_own(
        self,
        chunk: list[tuple[int, tuple[str, bytes, int, int]]],
        present: set[str],
        result: SyncResult,
    ) -> MediumFull | None:
        """Put the envelopes of ``chunk`` the medium lacks, in order, in as few requests as it
        allows; what stops them (the medium is full), else None. Each one put is added to
        ``present``, so the caller counts only what still waits."""
        missing: list[tuple[str, bytes, int]] = []
        for i, (name, blob, first, last) in chunk:
            if name not in present:
                missing.append((name, bytes(blob), last - first + 1))
            elif i == 0 and self.transport.get(name) != bytes(blob):
                # The partner applies in order and has confirmed everything before this one, so
                # this is the envelope it waits for; its copy in the medium was damaged. Replace
                # it (delete first: a relay refuses new bytes under a held name).
                self.transport.delete(name)
                missing.insert(0, (name, bytes(blob), last - first + 1))
        outcomes = put_each(self.transport, [(name, blob) for name, blob, _ in missing])
        for (name, _, ops), refused in zip(missing, outcomes, strict=False):
            if isinstance(refused, MediumFull):
                return refused
            if refused is None:
                result.sent += ops
                present.add(name)
            else:  # too large: reported once a round, tried again next round; the rest go on
                # A withdrawal must be able to make it fit: its re-seal keeps no minimum size
                # (the medium, which refused this size, then sees the smaller one it took).
                with transaction(self.conn):
                    outbox_store.forget_bucket(self.conn, name)
                note = f"{refused} {_HELD_UP}"
                if note not in result.problems:
                    result.problems.append(note)
        return None

    def _put_receipt(self, state: PairState, result: SyncResult) -> None:
        """Put the receipt, through a full medium too: the partner's envelopes this device has
        applied make the room (the partner deletes them anyway once the receipt arrives, and
        puts back any it still sees unconfirmed). Without it, a medium filled by one side would
        never drain: that side deletes nothing until it hears what arrived."""
        for attempt in range(2):
            try:
                self.transport.put(state.receipt_name, state.receipt_blob)
                return
            except MediumFull as full:
                if attempt or not self._taken:
                    result.problems.append(
                        f"{full.medium} is full, so {_device_of(state)} does not learn yet what"
                        " arrived here; it will as soon as there is room."
                    )
                    return
            for name in self._taken:
                self.transport.delete(name)

    def _tell_partner(self, state: PairState, keys: ChannelKeys) -> None:
        """The receipt and the day's heartbeat, together: at once, or with daily receipts at
        the chosen moment (the ones out stay until then), so neither shows when this person
        opened the app."""
        now = self.vault.clock()
        if not receipt_timing.receipt_due(self.conn, now):
            return
        wrote = self._write_receipt(state, keys)
        if heartbeat.write(self.conn, state, keys, now.astimezone().date()) or wrote:
            receipt_timing.schedule_next(self.conn, now)

    def _write_receipt(self, state: PairState, keys: ChannelKeys) -> bool:
        """A new receipt when something new was applied, or (v2) only to step the ratchet: at
        the first v2 sync, and when this device's public is :data:`.ratchet_state.STEP_DAYS`
        days of use old and the partner has answered it."""
        v2 = sealing.seals_v2(self.conn, state)
        news = state.recv_seq > 0 and not (
            state.receipt_name and state.receipt_seq == state.recv_seq
        )
        if not news and not (v2 and ratchet_state.step_due(self.conn, state, keys)):
            return False
        public = ratchet_state.receipt_public(self.conn, state, keys) if v2 else None
        payload = receipt_bytes.payload(state.recv_seq, public)
        if state.receipt_name:
            outbox_store.mark_obsolete(self.conn, state.receipt_name)
        state.receipt_name, state.receipt_seq = outbox.new_name(), state.recv_seq
        state.receipt_blob = sealing.seal(self.conn, state, keys, b"R", state.recv_seq, payload)
        return True

    def _reject_blob(self, name: str, blob: bytes, reason: str, result: SyncResult) -> None:
        result.rejected += 1
        result.problems.append(f"A file in the sync folder was refused: it {reason}.")
        with transaction(self.conn):
            inbox_store.remember_rejected(self.conn, memo_key(name, blob), reason)

    def _now(self) -> str:
        return iso_now(self.vault.clock)


def _device_of(state: PairState) -> str:
    return f"{state.partner_name}'s device" if state.partner_name else "your partner's device"


_UNAUTHENTIC = {
    b"E": "did not authenticate (tampered, truncated or foreign)",
    b"R": "receipt did not authenticate",
    b"H": "is a heartbeat that did not authenticate (tampered or foreign)",
    b"L": "is an unpairing notice that did not authenticate (tampered or foreign)",
}
