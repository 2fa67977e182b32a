"""What the CLI says of when a disclosure was told (:mod:`trustvault.telling`).

One figure, counted the same on both devices: the days from the event to the day it reached
the partner's device. The author's own dating and the days it was kept private stand beside it
when they differ; amendments say how long after the first telling they came. Never a score.
"""

from trustvault.queries import Queries
from trustvault.results import Entry
from trustvault.telling import Telling

__all__ = ["amendment_marks", "telling_detail", "telling_lines", "told_words"]


def told_words(told: Telling, *, short: bool = False) -> str:
    """ "told 61 days later", or the author's own dating while the figure is not verified
    (``short``: without saying why)."""
    days = told.days
    if days is None:
        return "not yet told" if told.dated_on is None else ""
    about = "~" if told.approximate and days else ""
    span = "the same day" if days == 0 else f"{about}{days} {'day' if days == 1 else 'days'} later"
    if told.verified:
        return f"told {span}"
    why = "" if short else " (not yet received by the partner's device, so not verified)"
    return f"dated as told {span}{why}"


def telling_detail(q: Queries, entry: Entry) -> str:
    """The table's short word: the figure, and a mark when something was added later."""
    told = q.telling(entry)
    if told is None:
        return ""
    parts = [told_words(told, short=True)]
    if told.amendments:
        n = len(told.amendments)
        parts.append(f"{n} {'addition' if n == 1 else 'additions'} later")
    if told.account_of is not None:
        parts.append(f"amends the account of {told.account_of.isoformat()}")
    return ", ".join(p for p in parts if p)


def telling_lines(q: Queries, entry: Entry) -> list[tuple[str, str]]:
    """``show``'s lines: told, beside it what differs, the account and what was added later."""
    told = q.telling(entry)
    if told is None:
        return []
    author = "you" if q.is_mine(entry) else q.name_of(entry.author)
    lines = [("told", told_words(told) or "-")]
    if told.received_on is not None:
        partner = q.partner()
        if not q.is_mine(entry):
            where = "this device"
        else:
            where = f"{partner.name}'s device" if partner else "your partner's device"
        lines.append(("received", f"{told.received_on.isoformat()} (counted on {where})"))
    lines += [("", note) for note in told.notes(author)]
    if told.complete_as_of is not None:
        lines.append(("full account", f"complete as of {told.complete_as_of.isoformat()}"))
    if told.account_of is not None:
        lines.append(("", f"an amendment to the account of {told.account_of.isoformat()}"))
    for amendment in told.amendments:
        lines.append(("added later", f"revision {amendment.revision}: {amendment.words()}"))
    return lines


def amendment_marks(q: Queries, entry: Entry) -> dict[int, str]:
    """Revision -> "added N days after first telling", for ``show --history``."""
    told = q.telling(entry) if entry.kind == "disclosure" else None
    if told is None:
        return {}
    return {a.revision: a.words() for a in told.amendments}
