"""A person's own trigger log, read as patterns: how many by week, by place, by strength and by
time of day. Counts only, in calm words: no averages, no scores, no trend arrows.

Only this person's triggers are counted (a partner's shared trigger is theirs to read as a
pattern). A trigger's moment is its ``felt_at`` or, without one, when it was written. The
partner's device, given a shared trigger, asks for reassurance (:func:`reassurance_prompt`),
whose replies are the entry's comments (:meth:`Actions.comment`).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

from trustvault.entries.model import Entry
from trustvault.entries.parsing import to_datetime

__all__ = [
    "STRENGTHS",
    "TIMES_OF_DAY",
    "WEEKS",
    "TriggerPatterns",
    "moment_of",
    "patterns",
    "reassurance_prompt",
    "strength_band",
    "time_of_day",
]

WEEKS: Final = 8
"""How many weeks (this one and the seven before) the week counts cover."""
STRENGTHS: Final = ("light (1 to 3)", "medium (4 to 6)", "strong (7 to 10)")
TIMES_OF_DAY: Final = ("morning", "afternoon", "evening", "night", "time not noted")
NO_PLACE: Final = "place not noted"


@dataclass(frozen=True)
class TriggerPatterns:
    """Counts over this person's triggers; every mapping is in the order it is shown."""

    total: int
    by_week: tuple[tuple[date, int], ...]  # Monday of each week, oldest first, zeros included
    by_place: tuple[tuple[str, int], ...]  # most often first
    by_strength: tuple[tuple[str, int], ...]  # as STRENGTHS
    by_time: tuple[tuple[str, int], ...]  # as TIMES_OF_DAY

    def lines(self) -> list[str]:
        """The patterns in plain sentences (the CLI prints these; the app draws bars)."""
        if not self.total:
            return ["No triggers logged yet. When one comes, writing it down is enough."]
        weeks = ", ".join(f"{monday:%d %b} {n}" for monday, n in self.by_week)
        out = [f"{self.total} {'trigger' if self.total == 1 else 'triggers'} logged."]
        out.append(f"By week (from Monday): {weeks}")
        out.append("By place: " + ", ".join(f"{p} {n}" for p, n in self.by_place))
        out.append("By strength: " + ", ".join(f"{s} {n}" for s, n in self.by_strength if n))
        out.append("By time of day: " + ", ".join(f"{t} {n}" for t, n in self.by_time if n))
        return out


def reassurance_prompt(author: str) -> str:
    """What the partner's device asks when a trigger is shared: reassurance, not a defence."""
    return f"What would help {author} feel safe right now?"


def moment_of(entry: Entry, tz: tzinfo | None = None) -> datetime:
    """When the trigger was felt, in local wall-clock time (``tz``: the system's by default);
    a bare day is its midnight (and has no time of day: :func:`time_of_day`)."""
    moment = to_datetime(str(entry.fields.get("felt_at") or entry.created))
    return moment.astimezone(tz).replace(tzinfo=None) if moment.tzinfo else moment


def time_of_day(entry: Entry, tz: tzinfo | None = None) -> str:
    felt = str(entry.fields.get("felt_at") or "")
    if len(felt) == 10:
        return TIMES_OF_DAY[-1]
    hour = moment_of(entry, tz).hour
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    return "evening" if 17 <= hour < 22 else "night"


def strength_band(strength: int) -> str:
    return STRENGTHS[0] if strength <= 3 else STRENGTHS[1] if strength <= 6 else STRENGTHS[2]


def patterns(
    triggers: Iterable[Entry], device: str, today: date, tz: tzinfo | None = None
) -> TriggerPatterns:
    """The patterns of ``device``'s own triggers (not tombstones) up to ``today``."""
    own = [e for e in triggers if e.kind == "trigger" and e.author == device and e.fields]
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=w) for w in range(WEEKS - 1, -1, -1)]
    weeks = Counter(d - timedelta(days=d.weekday()) for d in (moment_of(e, tz).date() for e in own))
    spelled: dict[str, str] = {}  # "Kitchen" and "kitchen" are one place, as first written
    for e in sorted(own, key=lambda e: moment_of(e, tz)):
        where = str(e.fields.get("where") or "").strip() or NO_PLACE
        spelled.setdefault(where.casefold(), where)
    places = Counter(
        spelled[(str(e.fields.get("where") or "").strip() or NO_PLACE).casefold()] for e in own
    )
    strengths = Counter(strength_band(int(e.fields["strength"])) for e in own)
    times = Counter(time_of_day(e, tz) for e in own)
    return TriggerPatterns(
        total=len(own),
        by_week=tuple((m, weeks[m]) for m in mondays),
        by_place=tuple(sorted(places.items(), key=lambda pn: (-pn[1], pn[0] == NO_PLACE, pn[0]))),
        by_strength=tuple((s, strengths[s]) for s in STRENGTHS),
        by_time=tuple((t, times[t]) for t in TIMES_OF_DAY),
    )
