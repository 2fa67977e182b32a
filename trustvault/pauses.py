"""A pause with a promised return: "I need a pause", for 20 minutes to 24 hours, no reason asked.

A pause is not an entry (nothing in the timeline, no versions): it is one row on each device
(:mod:`trustvault.storage.pause_store`) and a small ``pause`` op carrying the whole of it, sent
again whenever either partner changes it ("30 more minutes", "I'm back"); the newest word wins
on both devices (:func:`newer`). It is recorded ahead of any share still in its hold
(:mod:`trustvault.sync.urgent`), so the partner's device has it at the next sync, which the app
starts within a second of the click.

Both hold the same powers over a pause: either may end it or ask for more time. What the
partner's device may send is checked here (PROTOCOL.md §9): a new pause only in the partner's
own name, never longer than :data:`LONGEST_IN_ALL`, and nobody re-opens a pause once ended.
"""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from trustvault.clock import iso_now
from trustvault.errors import InvalidField
from trustvault.ids import new_id
from trustvault.results import Pause
from trustvault.storage import pause_store
from trustvault.storage.connection import Connection
from trustvault.vault import Vault

__all__ = [
    "LONGEST",
    "LONGEST_IN_ALL",
    "MORE",
    "SHORTEST",
    "body_of",
    "current",
    "end",
    "extend",
    "from_op",
    "newer",
    "returns_kept",
    "start",
]

SHORTEST: Final = timedelta(minutes=20)
"""Long enough for a racing heart to slow (the time a flooded body needs, in Gottman's words)."""
LONGEST: Final = timedelta(hours=24)
MORE: Final = timedelta(minutes=30)
"""What "30 more minutes" adds when the return comes and one of them is not ready yet."""
LONGEST_IN_ALL: Final = timedelta(hours=48)
"""A pause and every "30 more minutes" on it; beyond, ask for a new pause."""


def _iso(moment: datetime) -> str:
    return iso_now(lambda: moment)


def _when(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def current(conn: Connection) -> Pause | None:
    """The pause that is on (nobody has said "I'm back" yet), if any."""
    pause = pause_store.latest(conn)
    return pause if pause is not None and pause.on else None


def start(vault: Vault, length: timedelta) -> Pause:
    """A new pause asked for by this person, back in ``length``; inside the caller's transaction."""
    if not SHORTEST <= length <= LONGEST:
        raise InvalidField("return", "choose a return between 20 minutes and 24 hours from now")
    if current(vault.conn) is not None:
        raise InvalidField("pause", "a pause is on already: end it or ask for more time")
    now = vault.clock()
    pause = Pause(new_id(), vault.device_id, _iso(now), _iso(now + length), "", False, _iso(now))
    pause_store.put(vault.conn, pause)
    return pause


def extend(vault: Vault, more: timedelta = MORE) -> Pause:
    """More time on the pause that is on, from its promised return (or from now, if later)."""
    pause = _on(vault.conn)
    now = vault.clock()
    until = max(_when(pause.until), now) + more
    if until - _when(pause.started) > LONGEST_IN_ALL:
        raise InvalidField("return", "this pause has run two days: end it, and ask for a new one")
    changed = Pause(pause.id, pause.asked_by, pause.started, _iso(until), "", False, _iso(now))
    pause_store.put(vault.conn, changed)
    return changed


def end(vault: Vault) -> Pause:
    """ "I'm back": the pause that is on ends now, a return kept."""
    pause = _on(vault.conn)
    now = _iso(vault.clock())
    ended = Pause(pause.id, pause.asked_by, pause.started, pause.until, now, True, now)
    pause_store.put(vault.conn, ended)
    return ended


def _on(conn: Connection) -> Pause:
    pause = current(conn)
    if pause is None:
        raise InvalidField("pause", "no pause is on")
    return pause


def returns_kept(conn: Connection) -> int:
    """How many pauses ended with one of them coming back (told as encouragement, never as a
    score: the pauses that just ran out are not counted against anyone)."""
    return sum(1 for p in pause_store.all_pauses(conn) if p.came_back)


def body_of(pause: Pause) -> dict[str, Any]:
    """The ``pause`` op's body: the whole pause, as it is now."""
    return {
        "pid": pause.id,
        "asked_by": pause.asked_by,
        "started": pause.started,
        "until": pause.until,
        "ended": pause.ended,
        "came_back": pause.came_back,
        "at": pause.at,
    }


def newer(incoming: Pause, stored: Pause) -> bool:
    """Whether ``incoming`` replaces ``stored``: the later word, and on the same second the
    one that ended it, then the later return (the same verdict on both devices)."""

    def key(p: Pause) -> tuple[str, bool, str, str]:
        return (p.at, bool(p.ended), p.until, p.ended)

    return key(incoming) > key(stored)


def from_op(values: Mapping[str, str], came_back: bool, device: str, partner: str,
            stored: Pause | None) -> Pause:  # fmt: skip
    """The partner's word on a pause, checked against this device's records, or InvalidField
    naming what breaks a rule (the caller turns it into a refusal)."""
    try:
        started, until, at = (_when(values[k]) for k in ("started", "until", "at"))
        ended = _iso(_when(values["ended"])) if values["ended"] else ""
    except ValueError:
        raise InvalidField("pause", "a time is not a time") from None
    asked_by = values["asked_by"]
    if asked_by not in (device, partner):
        raise InvalidField("pause", "it names someone else")
    if stored is None and asked_by != partner:
        raise InvalidField("pause", "a new pause in this device's name")
    if not SHORTEST <= until - started <= LONGEST_IN_ALL:
        raise InvalidField("pause", "its return is out of range")
    if came_back and not ended:
        raise InvalidField("pause", "a return without an end")
    pause = Pause(values["pid"], asked_by, _iso(started), _iso(until), ended, came_back, _iso(at))
    if stored is not None:
        if (stored.asked_by, stored.started) != (pause.asked_by, pause.started):
            raise InvalidField("pause", "it rewrites who asked or when")
        if stored.ended and not pause.ended and newer(pause, stored):
            raise InvalidField("pause", "it re-opens an ended pause")
    return pause
