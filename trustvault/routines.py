"""Routines that count: either partner marks an occurrence of an event held, skipped or moved.

A mark is not an entry: one row per occurrence (:mod:`trustvault.storage.mark_store`), named by
:class:`~trustvault.occurrence_ref.OccurrenceRef`, and a small ``mark`` op carrying it whole to
the partner's device when the event is shared (a private event's marks stay here). A later mark
by either partner replaces the earlier one, on both devices the same way (:func:`newer`): a
mark made here is always later than the one it replaces, even when the partner's clock is ahead.

What the partner's device may send is checked here (PROTOCOL.md §9): a mark only in the
partner's own name, of a state this app knows, in the event's own time form, and never "held"
for an occurrence that has not begun (a day's slack for the two clocks and zones).
"""

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from trustvault.calendar import Occurrence, expand
from trustvault.clock import iso_now
from trustvault.entries.event_fields import moment_form
from trustvault.entries.model import Entry
from trustvault.entries.parsing import to_datetime
from trustvault.errors import InvalidField
from trustvault.occurrence_ref import OccurrenceRef
from trustvault.results import MarkState, OccurrenceMark
from trustvault.storage import mark_store
from trustvault.storage.connection import Connection
from trustvault.sync import closing_state, outbox
from trustvault.sync.pair_state import load_pair, save_pair
from trustvault.vault import Vault

__all__ = ["SLACK", "body_of", "find", "from_op", "mark", "newer", "occurrence_of"]

SLACK: Final = timedelta(days=1)
"""How far ahead of this device's clock the partner's "held" may be (their clock, their zone)."""


def mark(vault: Vault, event_id: str, on: str, state: str) -> OccurrenceMark:
    """Mark the event's occurrence ``on`` (a day, or its original start) ``state``, as this
    person, inside the caller's transaction; the partner's device learns of it if shared."""
    word = _state(state)
    entry = vault.entries.get(event_id)
    if entry.kind != "event" or not entry.fields:
        raise InvalidField("event", "only a calendar event's occurrences can be marked")
    occurrence = find(entry, on)
    now = vault.clock()
    if word is MarkState.HELD and not _begun(occurrence, now):
        raise InvalidField("occurrence", f"{on} has not happened yet: mark it held once it has")
    at = iso_now(lambda: now)
    stored = mark_store.get(vault.conn, occurrence.ref)
    if stored is not None and stored.at >= at:  # the partner's clock ahead: still the later
        at = iso_now(lambda: _when(stored.at) + timedelta(seconds=1))
    made = OccurrenceMark(occurrence.ref, word, vault.device_id, at)
    mark_store.put(vault.conn, made)
    if entry.visibility == "shared":
        _tell(vault.conn, made)
    return made


def _tell(conn: Connection, made: OccurrenceMark) -> None:
    state = load_pair(conn)
    if state is None or not state.paired or not closing_state.may_send(conn, "mark"):
        return
    # ``seen``, as on a comment: the partner tells a mark made before its withdrawal of the
    # event arrived here from one made after (sync/apply.py, _shared_entry).
    body = {**body_of(made), "seen": state.recv_seq}
    outbox.record(conn, state, "mark", body, made.ref.event_id)
    save_pair(conn, state)


def body_of(made: OccurrenceMark) -> dict[str, Any]:
    """The ``mark`` op's body: the whole mark."""
    ref = made.ref
    return {"id": ref.event_id, "of": ref.original, "state": str(made.state),
            "by": made.marked_by, "at": made.at}  # fmt: skip


def find(entry: Entry, on: str) -> Occurrence:
    """The event's occurrence named by ``on``: its original start, or a day with one
    occurrence on it (where it is now, or where it was before a move); else InvalidField."""
    try:
        exact = occurrence_of(entry, OccurrenceRef(entry.id, _form(entry)(on, "on")))
    except InvalidField:
        raise InvalidField("on", f"{on!r} is not a day or time (YYYY-MM-DD[THH:MM])") from None
    if exact is not None:
        return exact
    if len(on) != 10:
        raise InvalidField("on", f"the event has no occurrence starting {on}")
    day = date.fromisoformat(on)
    found = {o.ref: o for o in _around(entry, day) if on in (o.ref.day, o.start.date().isoformat())}
    if not found:
        raise InvalidField("on", f"the event has no occurrence on {on}")
    if len(found) > 1:
        raise InvalidField("on", f"the event occurs {len(found)} times on {on}: give the time too")
    return next(iter(found.values()))


def occurrence_of(entry: Entry, ref: OccurrenceRef) -> Occurrence | None:
    """The occurrence ``ref`` names, wherever it was moved to, or None if the event has none."""
    moved = {o["of"]: o["start"] for o in entry.fields.get("overrides", ())}
    probe = to_datetime(moved.get(ref.original, ref.original)).date()
    return next((o for o in _around(entry, probe) if o.ref == ref), None)


def _around(entry: Entry, day: date) -> list[Occurrence]:
    try:
        return expand([entry], day - timedelta(days=1), day + timedelta(days=1))
    except OverflowError:  # the first or last day a date can be: no occurrence named there
        return []


def _form(entry: Entry) -> Any:
    return moment_form(entry.fields["start"], entry.fields.get("tz", ""))


def _begun(occurrence: Occurrence, now: datetime) -> bool:
    start = occurrence.start
    if start.tzinfo is None:  # floating or all-day: this device's own wall-clock time
        return start <= now.astimezone().replace(tzinfo=None)
    return start <= now


def _state(word: str) -> MarkState:
    try:
        return MarkState(word)
    except ValueError:
        names = ", ".join(MarkState)
        raise InvalidField("state", f"{word!r} is not one of {names}") from None


def _when(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def newer(incoming: OccurrenceMark, stored: OccurrenceMark) -> bool:
    """Whether ``incoming`` replaces ``stored``: the later mark, on the same second the one by
    the greater device id (the same verdict on both devices)."""
    return (incoming.at, incoming.marked_by) > (stored.at, stored.marked_by)


def from_op(values: Mapping[str, str], entry: Entry, partner: str, now: datetime) -> OccurrenceMark:
    """The partner's mark on an occurrence of ``entry`` (shared between the two here), checked,
    or InvalidField naming what breaks a rule (the caller turns it into a refusal)."""
    word = _state(values["state"])
    if values["by"] != partner:
        raise InvalidField("mark", "it names someone else")
    try:
        at = iso_now(lambda: _when(values["at"]))
        original = _form(entry)(values["of"], "of")
    except (ValueError, OverflowError, InvalidField):  # OverflowError: year 1 or 9999 in UTC
        raise InvalidField("mark", "a time is not a time") from None
    if original != values["of"]:
        raise InvalidField("mark", "its occurrence is not in the event's own form")
    ref = OccurrenceRef(entry.id, original)
    if word is MarkState.HELD:
        occurrence = occurrence_of(entry, ref)
        start = occurrence.start if occurrence is not None else to_datetime(original)
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)  # floating: any zone is within the slack
        if start > now + SLACK:
            raise InvalidField("mark", "it marks held an occurrence that has not happened")
    return OccurrenceMark(ref, word, partner, at)
