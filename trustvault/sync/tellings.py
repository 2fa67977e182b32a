"""Counting a disclosure's telling in the reader's records, and telling the author.

The reader's device writes down the day each version of the partner's disclosure first reached
it, in the transaction that applies it (:func:`note_arrivals`), and sends the author one small
``received_versions`` op naming every version that arrived that day in that transaction
(``{on, versions: [[id, rev], ...]}``; older devices sent a ``received`` op, ``{id, rev, on}``,
per version). The author's device stores the same rows (:func:`apply_received_versions`,
:func:`apply_received`), so both show the figure the reader's device counted: a modified
author client can date a disclosure as early as it likes, but it cannot write the partner's
arrival rows.

The reader's device can lie too: it could claim a later day, which only makes the author look
slower, and gains the reader nothing it could not say aloud. An earlier day is bounded: not
before the day the author's device first shared the disclosure (less a day for time zones),
nor more than a day after the author's today. The author's device also keeps the day its own
disclosure first left it (:func:`note_shared`), for "kept private N days" until the reader's
word comes.
"""

import json
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from trustvault.entries.model import Entry
from trustvault.entries.parsing import is_utf8_text
from trustvault.storage import social_store, telling_store
from trustvault.storage.connection import Connection
from trustvault.storage.entry_store import EntryStore
from trustvault.storage.outbox_store import OpRow
from trustvault.sync import closing_state
from trustvault.sync.pair_state import PairState
from trustvault.telling import Account, Telling, telling_of

__all__ = [
    "VERSIONS_PER_OP",
    "apply_received",
    "apply_received_versions",
    "note_arrivals",
    "note_shared",
    "read_tellings",
]

_SLACK = timedelta(days=1)
"""Time zones differ by up to 26 hours; a day either side of the author's own is believed."""

VERSIONS_PER_OP = 500
"""The most versions one ``received_versions`` op names (about 24 KB): an initial sync's
thousands of arrivals go as a few ops, not one op each, and the author's device refuses more."""


def note_arrivals(
    conn: Connection, state: PairState, told: Iterable[tuple[str, int]], today: date
) -> None:
    """The partner's disclosures' versions ``told`` (entry id, revision) just applied here:
    keep the day each first arrived and tell the author's device (inside the caller's
    transaction, the one that applied them). A version that arrived before says nothing new."""
    wanted = list(dict.fromkeys(told))
    known = telling_store.arrivals_of(conn, list({entry_id for entry_id, _ in wanted}))
    fresh = [
        (entry_id, revision, today.isoformat())
        for entry_id, revision in wanted
        if all(r != revision for r, _ in known.get(entry_id, ()))
    ]
    if not fresh:
        return
    telling_store.add_arrivals(conn, fresh)
    if closing_state.load(conn) is not None:
        return  # the space is closing: nothing new goes to the partner (closing_state)
    from trustvault.sync import outbox  # outbox packs through note_shared: import it late

    versions = [[entry_id, rev] for entry_id, rev, _ in fresh]
    bodies = [
        ({"on": today.isoformat(), "versions": versions[at : at + VERSIONS_PER_OP]}, None)
        for at in range(0, len(versions), VERSIONS_PER_OP)
    ]
    outbox.record_many(conn, state, "received_versions", bodies)


def apply_received(store: EntryStore, partner: str, op: dict[str, Any], today: date) -> None:
    """An older device's word that one of this device's disclosures reached it on ``on``.

    Refused (``OpRefused``) unless it names this device's own disclosure that it shared, a
    revision it has, and a believable day; for an entry deleted here since, nothing is done."""
    from trustvault.sync.apply import _int, _text  # apply imports this lazily

    entry_id, revision, on = _text(op, "id"), _int(op, "rev"), _text(op, "on")
    day = _day(on, "received")
    if _believed(store, entry_id, revision, day, today):
        telling_store.add_arrivals(store.connection, [(entry_id, revision, on)])


def apply_received_versions(
    store: EntryStore, partner: str, op: dict[str, Any], today: date
) -> None:
    """The partner's device says these versions of this device's disclosures reached it on
    ``on``: each is judged as :func:`apply_received` judges one, and one refused refuses the
    op whole (nothing of it is written). An honest device names only versions this device
    sent it; one deleted here since is skipped."""
    from trustvault.sync.apply import OpRefused, _text

    on = _text(op, "on")
    day = _day(on, "received_versions")
    versions = op.get("versions")
    if not isinstance(versions, list) or not 1 <= len(versions) <= VERSIONS_PER_OP:
        raise OpRefused(f"malformed received_versions: not 1 to {VERSIONS_PER_OP} versions")
    rows = []
    for item in versions:
        if not _is_version(item):
            raise OpRefused("malformed received_versions: a version is not [id, revision]")
        entry_id, revision = item
        if _believed(store, entry_id, revision, day, today):
            rows.append((entry_id, revision, on))
    telling_store.add_arrivals(store.connection, rows)


def _is_version(item: object) -> bool:
    """``[entry id, revision]``: text SQLite can store (no lone surrogate) and a whole number."""
    return (
        isinstance(item, list)
        and len(item) == 2
        and isinstance(item[0], str)
        and is_utf8_text(item[0])
        and type(item[1]) is int
    )


def _day(on: str, op_type: str) -> date:
    from trustvault.sync.apply import OpRefused

    try:
        day = date.fromisoformat(on)
    except ValueError:
        raise OpRefused(f"malformed {op_type}: on is not a day") from None
    if len(on) != 10:
        raise OpRefused(f"malformed {op_type}: on is not a day")
    return day


def _believed(store: EntryStore, entry_id: str, revision: int, day: date, today: date) -> bool:
    """Whether the reader's word that this version arrived on ``day`` is kept: False for an
    entry deleted here since; ``OpRefused`` for one that is not this device's shared
    disclosure, a revision it never had, or a day it could not have arrived."""
    from trustvault.sync.apply import OpRefused

    row = store.authorship_of(entry_id)
    if row is None:
        return False  # deleted here before the partner's word came
    conn = store.connection
    if row[0] != store.device or row[2] != "disclosure":
        raise OpRefused("a receipt names an entry that is not this device's disclosure")
    if social_store.sharing_row(conn, entry_id) is None or not 1 <= revision <= (
        store.max_revision(entry_id)
    ):
        raise OpRefused("a receipt names a version this device never shared")
    shared = telling_store.first_shared(conn, entry_id)
    too_early = shared is not None and day < date.fromisoformat(shared) - _SLACK
    if too_early or day > today + _SLACK:
        raise OpRefused("a receipt is dated outside the days it could have arrived")
    return True


def note_shared(conn: Connection, rows: Iterable[OpRow], today: date) -> None:
    """Ops just sealed: the disclosures whose version left this device today for the first
    time (inside the packing transaction). Canonical op text has no spaces, so a plain search
    skips the JSON of every other op."""
    ids = []
    for _, text, _, _ in rows:
        if text is None or '"kind":"disclosure"' not in text or '"t":"version"' not in text:
            continue
        ids.append(str(json.loads(text)["id"]))
    if ids:
        telling_store.mark_first_shared(conn, ids, today.isoformat())


def read_tellings(store: EntryStore, entries: Iterable[Entry]) -> dict[str, Telling]:
    """The telling of each disclosure among ``entries`` that has content, by entry id: a few
    queries for any number of them (a timeline page, every disclosure for the figures)."""
    disclosures = [e for e in entries if e.kind == "disclosure" and e.fields]
    if not disclosures:
        return {}
    conn = store.connection
    ids = [e.id for e in disclosures]
    arrived = telling_store.arrivals_of(conn, ids)
    shared = telling_store.first_shared_of(conn, ids)
    accounts = _accounts(store)
    out = {}
    for entry in disclosures:
        rows = arrived.get(entry.id, [])
        history = store.history(entry.id) if len({d for _, d in rows}) > 1 else None
        out[entry.id] = telling_of(entry, rows, shared.get(entry.id), history, accounts)
    return out


def _accounts(store: EntryStore) -> list[Account]:
    """Every full account this vault holds, with the day each was told."""
    conn = store.connection
    out = []
    for entry_id, author, complete in telling_store.accounts(conn):
        entry = store.get(entry_id)
        own = telling_of(
            entry, telling_store.arrivals(conn, entry_id),
            telling_store.first_shared(conn, entry_id), None,
        )  # fmt: skip
        out.append(Account(entry_id, author, date.fromisoformat(complete), own.told_on))
    return out
