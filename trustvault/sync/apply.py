"""Applying the partner's ops to this vault. Pure data changes inside the caller's transaction.

Each handler checks everything before its first write, so a refused op leaves nothing behind
(no savepoint per op needed).

Every op is idempotent: versions are keyed by (entry, revision, editor), acknowledgements are the
partner's latest word, comments are keyed by id, acceptances by (entry, digest, person).

The partner writes only where this vault's rules allow (PROTOCOL.md §9); an op breaking one is
refused (and counted) rather than applied, whatever the partner's client claims:

- a ``version`` names the partner as editor, and as author unless it edits one of this device's
  events, agreements or plans that is shared now (not private, never shared, or withdrawn); an edit
  keeps the kind, the author and the existence of what it edits: it never creates an entry in
  this device's name. A partner's version of this device's agreement is a proposal and nothing
  more: acceptances are only ever the partner's own ``accept`` ops, so it is in force here only
  once this device's person accepts its terms too;
- a ``revoke`` or ``delete`` withdraws or deletes only the partner's own entries, and no
  ``version`` brings back an entry its author deleted;
- an ``ack``, ``comment`` or ``accept`` refers to an entry shared between the two here (not
  absent, private, or withdrawn), and an ``accept`` to an agreement or a plan;
- a ``profile`` renames only the partner (the device this pairing is with, and the one the
  partner record names), to a name that passes the same rule as one typed here.
- a ``homework_done`` marks only homework shared between the two and meant for the partner;
- a ``pause`` starts a pause only in the partner's name, keeps who asked and when, never runs
  past two days and never re-opens an ended pause (:func:`trustvault.pauses.from_op`).
- a ``mark`` marks an occurrence of an event shared between the two here, in the partner's
  name only, and never "held" before it began (:func:`trustvault.routines.from_op`).
- a ``conversation`` opens one only in the partner's name; a ``reveal`` is taken in only after
  the partner's ``done`` and this person's own, and only if it opens the partner's commitment
  (:mod:`trustvault.sync.conversation_sync`).

An op's values are read through :func:`_text`, :func:`_int` and :func:`_object`, which refuse the
op when a value is missing or could not be stored, and fields go through the same validation as
local input. :class:`OpRefused` is thus the verdict on the partner's data. Anything else raised
while applying one op is a fault of this app on an input nobody foresaw: it too refuses (and
counts) that op, in words that say the fault is this device's, and logs the exception's type
(never the op), so one odd op can never stop every later sync (issue 15). A fault of the
device itself (the database, the disk, memory) is not the op's doing: it stops the sync, and
the op is applied when the sync runs again.
"""

import logging
from collections.abc import Callable, Mapping
from typing import Any

import sqlcipher3

from trustvault import plan_withdrawal
from trustvault.entries.kinds import STORED_KINDS, sort_key_of, validate
from trustvault.entries.parsing import is_utf8_text
from trustvault.errors import InvalidField, TrustVaultError
from trustvault.names import display_name
from trustvault.storage import erasure, outbox_store, pairing_store, social_store, telling_store
from trustvault.storage.entry_store import EntryStore, NewRow, new_row
from trustvault.sync import closing_state
from trustvault.sync.prepared import Outcome, Prepared, Ready

__all__ = ["OpApplier", "OpRefused", "withdraw"]

log = logging.getLogger(__name__)
_DEVICE_FAULTS = (sqlcipher3.Error, OSError, MemoryError)
"""The database, the disk, memory: this device's trouble, not the op's; the sync stops."""


def _safe_type(op_type: object) -> str:
    """An op's type for the log only when it is one of the known names (never partner text)."""
    return str(op_type) if op_type in ("version", *_HANDLERS) else "malformed"


ACK_STATES = ("read", "need_time")
_BOTH_EDIT = ("event", "agreement", "plan")
"""The kinds of this device's shared entries the partner may send a version of."""

Row = tuple[str, str, str]
"""(author, visibility, kind) of an entry this vault holds (:meth:`EntryStore.authorship_of`)."""


class OpRefused(Exception):
    """An authenticated op that this vault cannot apply (breaks a rule or fails validation)."""


class OpApplier:
    """Applies a run of the partner's ops, inserting brand-new entries in batches.

    An initial sync is thousands of ``version`` ops for entries this vault has never seen;
    inserting each as it comes costs five statements, batching them three per batch, and
    :meth:`prefetch` looks up the envelope's entries in one query. The batch is flushed before any
    op that could read it (another op on a pending entry, or any op that is not a ``version``,
    which also drops the prefetched rows) and by :meth:`flush` at the end of an envelope.
    """

    def __init__(self, store: EntryStore, partner: str, prepared: Prepared | None = None) -> None:
        self.store = store
        self.partner = partner
        self._prepared = Prepared() if prepared is None else prepared
        self._pending: list[NewRow] = []
        self._pending_ids: set[str] = set()
        self._known: dict[str, Row | None] = {}
        self.forgot = 0
        """How many times the entries looked up were forgotten (a withdrawal may change them)."""
        self._partner_closed = False
        self._closing_read = False
        self.told: list[tuple[str, int]] = []
        """The partner's disclosure versions applied (entry id, revision): the caller notes
        when they arrived (:mod:`.tellings`)."""

    def prefetch(self, ops: list[dict[str, Any] | None]) -> None:
        """Look up, in one query, the entries the coming ``version`` ops refer to (those not
        known already), and whether the partner closed the space (once, until an op that is not
        a ``version`` may have changed it)."""
        if not self._closing_read:
            record = closing_state.load(self.store.connection)
            self._partner_closed = record is not None and record.they_closed
            self._closing_read = True
        wanted = {str(op.get("id")) for op in ops if op is not None and op.get("t") == "version"}
        known = self._known
        ids = [i for i in wanted if i not in known and is_utf8_text(i)]  # apply() refuses others
        if ids:
            self._known.update(dict.fromkeys(ids))
            self._known.update(self.store.authorship(ids))

    def apply(self, op: dict[str, Any]) -> None:
        """Apply one op; raises :class:`OpRefused` if it can't (nothing of it is written)."""
        op_type = op.get("t")
        if self._partner_closed and op_type not in closing_state.STILL_SENT:
            raise OpRefused("it came after your partner closed the shared space")
        if op_type != "version":
            self.flush()
            self._known = {}  # a withdrawal may change rows: read them afresh from here on
            self.forgot += 1
            self._closing_read = False  # and a closing's ops the record of it
        elif str(op.get("id")) in self._pending_ids:
            self.flush()
        try:
            if op_type == "version":
                ready = self._prepared.take(op)
                new = _version(self.store, self.partner, op, self._row, ready)
                if new is not None:
                    self._pending.append(new)
                    self._pending_ids.add(new[0])
                if op.get("kind") == "disclosure" and op.get("author") == self.partner:
                    self.told.append((str(op["id"]), int(op["rev"])))
                elif op.get("kind") in plan_withdrawal.CHILD_KINDS:
                    self.flush()  # a need or step-down for a plan gone here stays a tombstone
                    plan_withdrawal.take_late_child(self.store, str(op["id"]))
                return
            handler = _HANDLERS.get(str(op_type))
            if handler is None:
                raise OpRefused("this app does not apply that kind of change")
            handler(self.store, self.partner, op)
            self._partner_closed = self._partner_closed or op_type == "close"
        except InvalidField as exc:
            # The field's name only: validation messages quote the value, and the value is the
            # partner's entry content, which never goes into a sync report or a log.
            raise OpRefused(f"its {exc.field} is not valid") from None
        except (OpRefused, *_DEVICE_FAULTS):
            raise
        except TrustVaultError:
            raise OpRefused("it breaks a rule of this vault") from None
        except Exception as exc:
            log.warning("a %s op could not be applied: %s", _safe_type(op_type), type(exc).__name__)
            raise OpRefused(
                "this app could not apply it (a fault on this device, noted in its log)"
            ) from None

    def flush(self) -> None:
        if self._pending:
            self.store.insert_new_many(self._pending)
            for entry_id in self._pending_ids:
                self._known.pop(entry_id, None)
            self._pending, self._pending_ids = [], set()

    def _row(self, entry_id: str) -> Row | None:
        if entry_id in self._known:
            return self._known[entry_id]
        return self.store.authorship_of(entry_id)


def _version(
    store: EntryStore,
    partner: str,
    op: dict[str, Any],
    row_of: Callable[[str], Row | None],
    ready: Outcome | None = None,
) -> NewRow | None:
    """Apply a version; returns the entry's row instead when it is new here (the caller inserts
    it). ``ready`` is what :mod:`.prepared` worked out for the op ahead
    (its fields validated, or the validation's failure), used in place of doing it again."""
    kind, author, editor = _text(op, "kind"), _text(op, "author"), _text(op, "editor")
    if kind not in STORED_KINDS or editor != partner or author not in (partner, store.device):
        raise OpRefused("a change names the wrong author")
    if author == store.device and kind not in _BOTH_EDIT:
        raise OpRefused("only shared events, agreements and plans may be edited by both partners")
    raw = _object(op, "fields")
    if isinstance(ready, Exception):
        raise ready
    # An agreement's version too, which validation defaults to 1 if absent.
    fields = validate(kind, raw) if ready is None else ready.fields
    if kind == "agreement" and "version" not in raw:
        raise OpRefused("malformed version: no agreement version")
    entry_id, revision, updated = _text(op, "id"), _int(op, "rev"), _text(op, "updated")
    if author == store.device and _made_before_withdrawal(store, entry_id, op):
        return None
    row = row_of(entry_id)
    if row is not None and row[0] != author:
        raise OpRefused("a change names the wrong author")
    if author == store.device and row is not None and row[1] != "shared":
        raise OpRefused("a change refers to an entry that is not shared")
    if row is not None and row[1] != "withdrawn" and row[2] != kind:
        raise OpRefused("a change names the wrong kind")
    if (
        row is not None
        and row[1] == "withdrawn"
        and social_store.is_deleted(store.connection, entry_id)
    ):
        raise OpRefused("a change refers to a deleted entry")
    if (
        row is None
        and author == store.device
        and outbox_store.deleted_here(store.connection, entry_id)
    ):
        return None  # an edit of our event made before the partner's device took our delete in
    if row is not None and row[1] == "withdrawn":
        store.drop_tombstone(entry_id)
        social_store.forget_withdrawal(store.connection, entry_id)
        row = None
    if row is None:
        if author != partner:
            raise OpRefused("a change refers to an entry this vault does not hold")
        created = _text(op, "created")
        known = None if ready is None else ready.sort_at
        sort_at = _sort_key(kind, fields, created) if known is None else known
        texts = ready.texts if isinstance(ready, Ready) else None
        columns = (entry_id, kind, author, created, updated, "shared", fields, revision, editor)
        return new_row(columns, sort_at, texts)
    store.put_version(entry_id, revision, editor, updated, fields)
    return None


def _written_before_withdrawal(store: EntryStore, op: dict[str, Any]) -> bool:
    """Whether the partner's response (``ack``, ``comment``, ``accept``) to this device's entry
    was written before it applied this device's latest withdrawal of it (its ``seen``); one
    without ``seen`` (older senders) counts as such if the entry was ever withdrawn, as before
    the rule, since nothing tells it apart from a race."""
    entry_id = _text(op, "id")
    withdrawn = outbox_store.last_revoke_seq(store.connection, entry_id)
    if withdrawn is None:
        return False
    return op.get("seen") is None or _int(op, "seen") < withdrawn


def _made_before_withdrawal(store: EntryStore, entry_id: str, op: dict[str, Any]) -> bool:
    """Whether the partner edited this device's event before it had applied our latest
    withdrawal of it (the op's ``seen`` is how many of our ops it had applied when it edited).

    The partner's device deleted that edit along with the rest of the entry when the withdrawal
    arrived, so applying it here would leave the two devices disagreeing after a re-grant; it is
    dropped on both sides instead. Ops without ``seen`` (older senders) are applied as before.
    """
    if op.get("seen") is None:
        return False
    withdrawn = outbox_store.last_revoke_seq(store.connection, entry_id)
    return withdrawn is not None and _int(op, "seen") < withdrawn


def _revoke(store: EntryStore, partner: str, op: dict[str, Any]) -> None:
    # Deleted for good already: a withdrawal cannot make it "withdrawn" again.
    if _partners_to_take_back(store, partner, op, "withdraw"):
        entry_id, at = _text(op, "id"), _text(op, "at")
        withdraw(store, entry_id, partner, at)
        held = store.authorship_of(entry_id)
        if held is not None and held[2] == "plan":  # its step-downs and needs go with it
            plan_withdrawal.take_children(store, entry_id, partner, at, None)


def _delete(store: EntryStore, partner: str, op: dict[str, Any]) -> None:
    at = _text(op, "at")  # a delete without its moment is refused before anything is written
    if _partners_to_take_back(store, partner, op, "delete"):
        entry_id = _text(op, "id")
        withdraw(store, entry_id, partner, at, reason="deleted")
        social_store.delete_acceptances_by(store.connection, entry_id, partner)
        telling_store.forget(store.connection, entry_id)
        held = store.authorship_of(entry_id)
        if held is not None and held[2] == "plan":  # its step-downs and needs go with it
            plan_withdrawal.take_children(store, entry_id, partner, at, None, reason="deleted")


def _partners_to_take_back(store: EntryStore, partner: str, op: dict[str, Any], verb: str) -> bool:
    """Whether a ``revoke`` or ``delete`` has content here to take away: the partner's own
    entry, not deleted already. One never received here takes only the partner's comments on
    it with it; another's entry refuses the op."""
    entry_id = _text(op, "id")
    author = store.author_of(entry_id)
    if author is None:
        if social_store.delete_comments_by(store.connection, entry_id, partner):
            erasure.mark_pending(store.connection, index=False)
        return False
    if author != partner:
        raise OpRefused(f"only an entry's author may {verb} it")
    return not social_store.is_deleted(store.connection, entry_id)


def withdraw(
    store: EntryStore, entry_id: str, author: str, at: str, *, reason: str = "withdrawn"
) -> None:
    """Delete the content of a partner's entry and keep a visible tombstone saying ``reason``:
    ``withdrawn``, ``deleted`` (for good: no later version of it is taken in) or ``closed``
    (:mod:`.closing`).

    The old copies SQLite keeps (the index's segments, the log) are erased after the commit;
    the mark that says so is written here, in the same transaction (see :mod:`.erasure`).
    """
    if not store.erase_content(entry_id, at):
        return
    social_store.add_withdrawal(store.connection, entry_id, author, at, reason)
    # What the author wrote about the entry goes with it; this person's own comments stay.
    social_store.delete_comments_by(store.connection, entry_id, author)
    erasure.mark_pending(store.connection)


def _ack(store: EntryStore, partner: str, op: dict[str, Any]) -> None:
    state = _text(op, "state")
    if state not in ACK_STATES:
        raise OpRefused("unknown acknowledgement")
    shared = _shared_entry(store, op)
    if shared is not None:
        social_store.set_response(store.connection, shared[0], partner, state, _text(op, "at"))


def _comment(store: EntryStore, partner: str, op: dict[str, Any]) -> None:
    text = _text(op, "text").strip()
    if not text or len(text) > 10_000:
        raise OpRefused("a comment is empty or too long")
    cid, shared, at = _text(op, "cid"), _shared_entry(store, op), _text(op, "at")
    if shared is not None:
        social_store.add_comment_if_new(store.connection, cid, shared[0], partner, text, at)


def _accept(store: EntryStore, partner: str, op: dict[str, Any]) -> None:
    shared = _shared_entry(store, op)
    if shared is None:
        return
    entry_id, kind = shared
    if kind not in ("agreement", "plan"):
        raise OpRefused("only an agreement or a plan can be accepted")
    social_store.add_acceptance(
        store.connection, entry_id, _text(op, "digest"), partner, _text(op, "at")
    )


def _shared_entry(store: EntryStore, op: dict[str, Any]) -> tuple[str, str] | None:
    """The id and kind of the entry the op responds to, which must be shared between the two
    here: ids this vault does not hold, this device's private entries (never shared or withdrawn)
    and the partner's withdrawn ones are refused, since the partner has nothing there to answer.

    One exception, an honest race: a response to this device's entry that the partner wrote
    while it was shared, before it applied this device's withdrawal, is applied as it would have
    been a moment earlier (the partner keeps it too, so both devices agree).
    """
    entry_id = _text(op, "id")
    row = store.authorship_of(entry_id)
    if row is not None and row[1] == "shared":
        return entry_id, row[2]
    if row is not None and row[0] == store.device and _written_before_withdrawal(store, op):
        return entry_id, row[2]
    if row is None and outbox_store.deleted_here(store.connection, entry_id):
        return None  # written before the partner's device took our delete in: nothing to answer
    raise OpRefused(f"{_RESPONSE_NAMES[str(op.get('t'))]} refers to an entry that is not shared")


def _text(op: Mapping[str, Any], key: str) -> str:
    """The op's ``key`` as text (what ``str`` makes of it); refuses the op if it is missing or
    holds a lone surrogate, which SQLite cannot store."""
    value = op.get(key, _ABSENT)
    if type(value) is str and value.isascii():  # most values: answered at once
        return value
    if value is _ABSENT:
        raise OpRefused(f"malformed {op.get('t', 'op')}: no {key}")
    text = str(value)
    if not is_utf8_text(text):
        raise OpRefused(f"malformed {op.get('t', 'op')}: {key} is not text")
    return text


_ABSENT = object()


def _int(op: Mapping[str, Any], key: str) -> int:
    """The op's ``key`` as a whole number (what ``int`` makes of it) that fits SQLite's 64-bit
    integers; refuses the op otherwise. A number beyond them would fail to be stored, and so every
    later sync, since the envelope is read again each time."""
    value = op.get(key)
    if isinstance(value, str | float | int):
        try:
            number = int(value)
        except (ValueError, OverflowError):  # int()'s own refusals: not a number, inf or nan
            number = None
        if number is not None and -(2**63) <= number < 2**63:
            return number
    raise OpRefused(f"malformed {op.get('t', 'op')}: {key} is not a whole number")


def _object(op: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = op.get(key)
    if not isinstance(value, dict):
        raise OpRefused(f"malformed {op.get('t', 'op')}: {key} is not an object")
    return value


def _sort_key(kind: str, fields: Mapping[str, Any], created: str) -> str:
    """The new entry's place in the timeline; refuses one whose creation time the timeline
    cannot place (an entry of a kind without a date of its own is sorted by it)."""
    try:
        return sort_key_of(kind, fields, created)
    except ValueError:  # only reading created can fail: the fields are already validated
        raise OpRefused("malformed version: created is not a date-time") from None


_RESPONSE_NAMES = {
    "ack": "an acknowledgement",
    "comment": "a comment",
    "accept": "an acceptance",
    "mark": "a mark",
    "homework_done": "a homework mark",
}


def _done(store: EntryStore, partner: str, op: dict[str, Any]) -> None:
    """The partner marked homework done (or not done after all): only an item shared between
    the two and meant for the partner (:func:`trustvault.homework.check_mark`)."""
    from trustvault import homework
    from trustvault.storage import homework_store

    done, at = op.get("done"), _text(op, "at")
    if not isinstance(done, bool):
        raise OpRefused("malformed done: done is not true or false")
    shared = _shared_entry(store, op)
    if shared is None:
        return
    homework.check_mark(store.get(shared[0]), partner, (store.device, partner))
    homework_store.set_done(store.connection, shared[0], partner, at if done else None)


def _profile(store: EntryStore, partner: str, op: dict[str, Any]) -> None:
    """The partner's new display name, shown from now on wherever their name is."""
    if op.get("device", partner) != partner:
        raise OpRefused("a change of name names another device")
    name = display_name(op.get("name"))
    if not pairing_store.rename_partner(store.connection, partner, name):
        raise OpRefused("a change of name came from a device this vault is not paired with")


def _close(store: EntryStore, partner: str, op: dict[str, Any]) -> None:
    from trustvault.sync import closing  # closing applies withdrawals: it imports this module

    closing.apply_close(store, op)


def _pause(store: EntryStore, partner: str, op: dict[str, Any]) -> None:
    """The partner's word on a pause: taken when it is newer than what this device holds, under
    the rules of :func:`trustvault.pauses.from_op`."""
    from trustvault import pauses
    from trustvault.storage import pause_store

    keys = ("pid", "asked_by", "started", "until", "ended", "at")
    values = {key: _text(op, key) for key in keys}
    came_back = op.get("came_back")
    if not isinstance(came_back, bool):
        raise OpRefused("malformed pause: came_back is not true or false")
    stored = pause_store.get(store.connection, values["pid"])
    pause = pauses.from_op(values, came_back, store.device, partner, stored)
    if stored is None or pauses.newer(pause, stored):
        pause_store.put(store.connection, pause)


def _mark(store: EntryStore, partner: str, op: dict[str, Any]) -> None:
    """The partner's mark on an occurrence: taken when it is later than the one held here."""
    from trustvault import routines
    from trustvault.storage import mark_store

    values = {key: _text(op, key) for key in ("id", "of", "state", "by", "at")}
    shared = _shared_entry(store, op)
    if shared is None:
        return
    if shared[1] != "event":
        raise OpRefused("only an event's occurrences can be marked")
    entry = store.get(shared[0])
    if not entry.fields:
        return  # withdrawn here after the partner marked it (the race _shared_entry allows)
    made = routines.from_op(values, entry, partner, store.clock())
    stored = mark_store.get(store.connection, made.ref)
    if stored is None or routines.newer(made, stored):
        mark_store.put(store.connection, made)


def _conversation(store: EntryStore, partner: str, op: dict[str, Any]) -> None:
    """``conversation``, ``done`` and ``reveal``: commit, then reveal (see conversation_sync)."""
    from trustvault.sync import conversation_sync  # it reads values with this module's helpers

    conversation_sync.apply_op(store, partner, op)


def _keep(store: EntryStore, partner: str, op: dict[str, Any]) -> None:
    from trustvault.sync import closing

    closing.apply_keep(store, op)


def _received(store: EntryStore, partner: str, op: dict[str, Any]) -> None:
    from trustvault.sync import tellings  # it reads values with this module's helpers

    tellings.apply_received(store, partner, op, store.clock().astimezone().date())


def _received_versions(store: EntryStore, partner: str, op: dict[str, Any]) -> None:
    from trustvault.sync import tellings

    tellings.apply_received_versions(store, partner, op, store.clock().astimezone().date())


_HANDLERS = {
    "profile": _profile,
    "received": _received,
    "received_versions": _received_versions,
    "close": _close,
    "keep": _keep,
    "pause": _pause,
    "mark": _mark,
    "conversation": _conversation,
    "done": _conversation,
    "reveal": _conversation,
    "revoke": _revoke,
    "delete": _delete,
    "ack": _ack,
    "comment": _comment,
    "accept": _accept,
    "homework_done": _done,
}
