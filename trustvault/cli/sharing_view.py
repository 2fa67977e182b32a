"""What the CLI shows of an entry's life between the partners: delivery, answers, comments.

``delivery`` is the author's view (never shared, sending in 4:12, pending, delivered <date>,
withdrawn <date>);
a partner's entry shows the partner's acknowledgement and comments; a withdrawn one, who
withdrew it and when (nothing disappears silently).
"""

from typing import Any

from trustvault.queries import Queries
from trustvault.results import DeliveryState, Entry, ResponseState
from trustvault.stats import day_of

__all__ = ["leaves", "sharing_json", "sharing_lines", "withdrawn_note"]


def _day(moment: str) -> str:
    """The local calendar day of a stored time (the UTC day can be tomorrow's or yesterday's)."""
    return day_of(moment).isoformat()


_STATES = {ResponseState.READ: "read it", ResponseState.NEED_TIME: "needs time"}


def leaves(q: Queries, entry_id: str, short: str) -> str:
    """When a share just made leaves, and how to take it back before then."""
    delivery = q.delivery(entry_id)
    if delivery.state is DeliveryState.SENDING:
        return (
            f"sending in {delivery.countdown} — 'trustvault-cli revoke {short}' before then"
            " and it is never sent."
        )
    return "it reaches your partner on the next sync."


def sharing_json(q: Queries, entry: Entry) -> dict[str, Any]:
    """Extra keys for ``--json``: ``delivery``, ``responses``, ``comments``, ``withdrawn``, and
    ``sending_at`` (ISO, UTC) while a share waits its hold."""
    delivery = q.delivery(entry.id)
    out: dict[str, Any] = {"delivery": str(delivery)}
    if delivery.state is DeliveryState.SENDING:
        out["sending_at"] = delivery.at
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
