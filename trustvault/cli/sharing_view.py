"""What the CLI shows of an entry's life between the partners: delivery, answers, comments.

``delivery`` is the author's view (never shared, sending in 4:12, pending, delivered <date>,
withdrawn <date>);
a partner's entry shows the partner's acknowledgement and comments; a withdrawn one, who
withdrew it and when (nothing disappears silently).
"""

import math
from datetime import datetime, timedelta
from typing import Any

from trustvault.queries import Queries
from trustvault.results import DeliveryState, Entry, ResponseState, Withdrawal
from trustvault.stats import day_of

__all__ = [
    "behind_a_hold",
    "leaves",
    "minutes_words",
    "sharing_json",
    "sharing_lines",
    "withdrawn_note",
]


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


def behind_a_hold(q: Queries) -> str:
    """What to add when something just recorded waits behind a share still in its hold (ops
    leave in order), or ""."""
    when = q.next_send()
    if not when:
        return ""
    left = max(0, math.ceil((datetime.fromisoformat(when) - q.clock()).total_seconds()))
    return (
        f"It goes after the share ahead of it, which leaves in {left // 60}:{left % 60:02d}"
        " (a newly shared entry waits first: see 'hold')."
    )


def minutes_words(hold: timedelta) -> str:
    """``5 minutes``, ``1 minute``, ``0:30 minutes``."""
    seconds = int(hold.total_seconds())
    if seconds % 60:
        return f"{seconds // 60}:{seconds % 60:02d} minutes"
    return f"{seconds // 60} minute{'' if seconds == 60 else 's'}"


def sharing_json(q: Queries, entry: Entry) -> dict[str, Any]:
    """Extra keys for ``--json``: ``delivery``, ``responses``, ``comments``, ``withdrawn`` (or
    ``deleted``), and
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
        out["deleted" if withdrawal.deleted else "withdrawn"] = {
            "by": q.name_of(withdrawal.author),
            "at": withdrawal.at,
            "reason": withdrawal.reason,
        }
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
        label, words = _tombstone_words(q, withdrawal)
        pairs.append((label, words))
    return pairs


def withdrawn_note(q: Queries, entry: Entry) -> str:
    """ "withdrawn by Alex on 2026-05-03" (or "deleted by …") for a tombstone row."""
    withdrawal = q.withdrawal(entry.id)
    if withdrawal is None:
        return "withdrawn by its author"
    return " ".join(_tombstone_words(q, withdrawal))


def _tombstone_words(q: Queries, withdrawal: Withdrawal) -> tuple[str, str]:
    """("withdrawn", "by Alex on 2026-05-03"), ("deleted", "by Alex on …"), or after a
    closing ("deleted", "at Alex's request when the shared space closed (2026-05-10)")."""
    who, day = q.name_of(withdrawal.author), _day(withdrawal.at)
    if withdrawal.reason == "closed":
        return "deleted", f"at {who}'s request when the shared space closed ({day})"
    return withdrawal.reason, f"by {who} on {day}"
