"""Agreement status: "in force" only when every partner accepted the wording now in the vault.

An acceptance is bound to a *version digest* of the agreement's wording (title and text), not to a
revision number: revisions are per device and may race, but the same wording always hashes the same
on both devices. Editing the wording therefore needs fresh acceptances from both partners; editing
only ``review_on`` keeps them.

``person`` is the device id of whoever accepted (this device's id for local acceptances). Only the
action layer records an acceptance (:meth:`trustvault.actions.Actions.accept`, which also tells the
partner); the sync code records the partner's.
"""

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from trustvault.entries.model import Entry
from trustvault.results import AgreementStatus
from trustvault.storage import pairing_store, social_store
from trustvault.storage.connection import Connection
from trustvault.vault import Vault

__all__ = [
    "DUE_FOR_REVIEW",
    "IN_FORCE",
    "PROPOSED",
    "Acceptance",
    "acceptances",
    "accepted_by",
    "parties",
    "status",
    "status_of",
    "version_digest",
]

PROPOSED: Final = AgreementStatus.PROPOSED
IN_FORCE: Final = AgreementStatus.IN_FORCE
DUE_FOR_REVIEW: Final = AgreementStatus.DUE_FOR_REVIEW
_PEOPLE_NEEDED = 2

Acceptance = tuple[str, str, str]
"""(digest, person, accepted_at ISO text), as stored in the ``acceptances`` table."""


def version_digest(fields: Mapping[str, Any]) -> str:
    """A stable fingerprint of the wording (title and text); 32 hex digits."""
    wording = json.dumps([fields.get("title", ""), fields.get("text", "")], ensure_ascii=False)
    return hashlib.blake2b(
        wording.encode("utf-8"), digest_size=16, person=b"tv-agreement"
    ).hexdigest()


def _conn(vault_or_conn: Vault | Connection) -> Connection:
    return vault_or_conn.conn if isinstance(vault_or_conn, Vault) else vault_or_conn


def acceptances(conn: Vault | Connection, entry_id: str) -> list[Acceptance]:
    """Every acceptance of any version of the agreement, oldest first."""
    return social_store.acceptances(_conn(conn), entry_id)


def accepted_by(conn: Vault | Connection, entry: Entry) -> set[str]:
    """The people who accepted the entry's *current* wording."""
    digest = version_digest(entry.fields)
    return {p for d, p, _ in acceptances(conn, entry.id) if d == digest}


def parties(vault: Vault) -> tuple[str, ...]:
    """Whose acceptance an agreement needs: this device, then the partner's once paired.

    The partner's device id is the partner record's (:mod:`trustvault.storage.pairing_store`),
    which outlives an unpairing; before any pairing only this device is listed, so nothing can
    be in force.
    """
    record = pairing_store.partner(vault.conn)
    partner = record.device if record is not None else ""
    return (vault.device_id, partner) if partner else (vault.device_id,)


def status(
    entry: Entry, accepted_by: set[str], people: tuple[str, ...], today: date
) -> AgreementStatus:
    """``"proposed"``, ``"in force"`` or ``"due for review"``.

    In force needs both partners (two distinct people, each in ``accepted_by`` for the current
    wording). An in-force agreement is due for review from its ``review_on`` day on; one that was
    never in force stays proposed, since there is nothing agreed to review yet.
    """
    distinct = {p for p in people if p}
    if len(distinct) < _PEOPLE_NEEDED or not distinct <= accepted_by:
        return PROPOSED
    review_on = entry.fields.get("review_on") or ""
    if review_on and date.fromisoformat(review_on) <= today:
        return DUE_FOR_REVIEW
    return IN_FORCE


def status_of(vault: Vault, entry: Entry, today: date) -> AgreementStatus:
    """:func:`status` with the acceptances and parties stored in ``vault``."""
    return status(entry, accepted_by(vault, entry), parties(vault), today)
