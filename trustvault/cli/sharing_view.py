"""What the CLI shows of an entry's life between the partners: delivery, answers, comments.

``delivery`` is the author's view (never shared, pending, delivered <date>, withdrawn <date>);
a partner's entry shows the partner's acknowledgement and comments; a withdrawn one, who
withdrew it and when (nothing disappears silently).
"""

from typing import Any

from trustvault.queries import Queries
from trustvault.results import Entry, ResponseState
from trustvault.stats import day_of

__all__ = ["sharing_json", "sharing_lines", "withdrawn_note"]


def _day(moment: str) -> str:
    """The local calendar day of a stored time (the UTC day can be tomorrow's or yesterday's)."""
    return day_of(moment).isoformat()


_STATES = {ResponseState.READ: "read it", ResponseState.NEED_TIME: "needs time"}


def sharing_json(q: Queries, entry: Entry) -> dict[str, Any]:
    """Extra keys for ``--json``: ``delivery``, ``responses``, ``comments``, ``withdrawn``."""
    out: dict[str, Any] = {"delivery": str(q.delivery(entry.id))}
    out["responses"] = [
        {"person": q.name_of(r.person), "state": str(r.state), "at": r.at}
        for r in q.responses(entry.id)
    ]
    out["comments"] = [
        {"person": q.name_of(c.person), "text": c.text, "at": c.at} for c in q.comments(entry.id)
    ]
    withdrawal = q.withdrawal(entry.id)
    if withdrawal is not None:
        out["withdrawn"] = {"by": q.name_of(withdrawal.author), "at": withdrawal.at}
    return out


def sharing_lines(q: Queries, entry: Entry) -> list[tuple[str, str]]:
    """Labelled lines for ``show``."""
    pairs = [("delivery", str(q.delivery(entry.id)))]
    pairs += [
        ("answer", f"{q.name_of(r.person)} {_STATES[r.state]} ({_day(r.at)})")
        for r in q.responses(entry.id)
    ]
    pairs += [
        ("comment", f"{q.name_of(c.person)}, {_day(c.at)}: {c.text}") for c in q.comments(entry.id)
    ]
    withdrawal = q.withdrawal(entry.id)
    if withdrawal is not None:
        pairs.append(("withdrawn", f"by {q.name_of(withdrawal.author)} on {_day(withdrawal.at)}"))
    return pairs


def withdrawn_note(q: Queries, entry: Entry) -> str:
    """ "withdrawn by Alex on 2026-05-03" for a tombstone row."""
    withdrawal = q.withdrawal(entry.id)
    if withdrawal is None:
        return "withdrawn by its author"
    return f"withdrawn by {q.name_of(withdrawal.author)} on {_day(withdrawal.at)}"
