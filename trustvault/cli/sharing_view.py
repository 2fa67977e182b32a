"""What the CLI shows of an entry's life between the partners: delivery, answers, comments.

``delivery`` is the author's view (never shared, pending, delivered <date>, withdrawn <date>);
a partner's entry shows the partner's acknowledgement and comments; a withdrawn one, who
withdrew it and when (nothing disappears silently).
"""

from collections.abc import Callable
from typing import Any

from trustvault.entries.model import Entry
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

__all__ = ["NameOf", "sharing_json", "sharing_lines", "withdrawn_note"]

NameOf = Callable[[str], str]
"""Display name of a device id (the CLI's ``author_name`` bound to a vault)."""

_STATES = {"read": "read it", "need_time": "needs time"}


def sharing_json(vault: Vault, entry: Entry, name_of: NameOf) -> dict[str, Any]:
    """Extra keys for ``--json``: ``delivery``, ``responses``, ``comments``, ``withdrawn``."""
    service = SyncService(vault)
    out: dict[str, Any] = {"delivery": service.delivery(entry.id)}
    out["responses"] = [
        {"person": name_of(r["person"]), "state": r["state"], "at": r["at"]}
        for r in service.responses(entry.id)
    ]
    out["comments"] = [
        {"person": name_of(c["person"]), "text": c["text"], "at": c["at"]}
        for c in service.comments(entry.id)
    ]
    withdrawal = service.withdrawal(entry.id)
    if withdrawal is not None:
        out["withdrawn"] = {"by": name_of(withdrawal["author"]), "at": withdrawal["at"]}
    return out


def sharing_lines(vault: Vault, entry: Entry, name_of: NameOf) -> list[tuple[str, str]]:
    """Labelled lines for ``show``."""
    info = sharing_json(vault, entry, name_of)
    pairs = [("delivery", info["delivery"])]
    pairs += [
        ("answer", f"{r['person']} {_STATES.get(r['state'], r['state'])} ({r['at'][:10]})")
        for r in info["responses"]
    ]
    pairs += [("comment", f"{c['person']}, {c['at'][:10]}: {c['text']}") for c in info["comments"]]
    if "withdrawn" in info:
        pairs.append(
            ("withdrawn", f"by {info['withdrawn']['by']} on {info['withdrawn']['at'][:10]}")
        )
    return pairs


def withdrawn_note(vault: Vault, entry: Entry, name_of: NameOf) -> str:
    """ "withdrawn by Alex on 2026-05-03" for a tombstone row."""
    withdrawal = SyncService(vault).withdrawal(entry.id)
    if withdrawal is None:
        return "withdrawn by its author"
    return f"withdrawn by {name_of(withdrawal['author'])} on {withdrawal['at'][:10]}"
