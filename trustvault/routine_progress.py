"""A milestone's rule over held occurrences ("12 weekly check-ins held by 1 March"), counted.

Pure: the milestones, the events and the marks in, :class:`RoutineProgress` out. A held
occurrence counts when its original start falls on or before the deadline; "planned" are the
occurrences from today to the deadline not marked yet, which could still be held. Each device
counts from what it holds: a private event's marks count only on its owner's device.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from trustvault.calendar import expand
from trustvault.entries.model import Entry
from trustvault.results import MarkState, OccurrenceMark, RoutinePace, RoutineProgress

__all__ = ["progress", "progress_of"]


def _counted(rule: dict[str, object], event: Entry) -> bool:
    if event.kind != "event" or not event.fields:
        return False
    if rule.get("event"):
        return event.id == rule["event"]
    return event.fields.get("event_kind") == rule.get("event_kind")


def progress_of(
    milestone: Entry, events: Sequence[Entry], marks: Iterable[OccurrenceMark], today: date
) -> RoutineProgress | None:
    """The milestone's progress, or None when it carries no rule."""
    rule = milestone.fields.get("rule") if milestone.fields else None
    if not rule:
        return None
    by = date.fromisoformat(milestone.fields["due_on"])
    counted = [e for e in events if _counted(rule, e)]
    ids = {e.id for e in counted}
    mine = [m for m in marks if m.ref.event_id in ids]
    held = sum(1 for m in mine if m.state is MarkState.HELD and m.ref.day <= by.isoformat())
    marked = {m.ref for m in mine}
    planned = 0
    if today <= by and held < rule["count"]:
        planned = sum(1 for o in expand(counted, today, by) if o.ref not in marked
                      and o.ref.day <= by.isoformat())  # fmt: skip
    target = int(rule["count"])
    if held >= target:
        pace = RoutinePace.REACHED
    elif today > by:
        pace = RoutinePace.MISSED
    elif held + planned >= target:
        pace = RoutinePace.ON_TRACK
    else:
        pace = RoutinePace.BEHIND
    return RoutineProgress(milestone, held, target, by, planned, pace)


def progress(
    milestones: Iterable[Entry], events: Sequence[Entry], marks: Sequence[OccurrenceMark],
    today: date,
) -> list[RoutineProgress]:  # fmt: skip
    """Every milestone's that carries a rule, soonest deadline first."""
    found = [progress_of(m, events, marks, today) for m in milestones]
    return sorted((p for p in found if p is not None), key=lambda p: (p.by, p.milestone.id))
