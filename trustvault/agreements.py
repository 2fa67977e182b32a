"""Agreement status: a version is in force only when both partners accepted its terms.

An acceptance is bound to a *version digest* of the agreement's terms (title and text, and once
set, its end date and the outcome of its last review), not to a revision number: revisions are
per device and may race, but the same terms always hash the same on both devices. Changing the
terms therefore needs fresh acceptances from both partners; changing only ``review_on`` keeps
them. Either partner may propose new terms (PROTOCOL.md §9): the newest version both accepted
stays in force, with its status, until both accept the proposal (:func:`standing`).

``person`` is the device id of whoever accepted (this device's id for local acceptances). Only the
action layer records an acceptance (:meth:`trustvault.actions.Actions.accept`, which also tells the
partner); the sync code records the partner's.
"""

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from trustvault.entries.model import Entry, Revision
from trustvault.results import AgreementStanding, AgreementStatus, ReviewOutcome
from trustvault.storage import pairing_store, social_store
from trustvault.storage.connection import Connection
from trustvault.vault import Vault

__all__ = [
    "DUE_FOR_REVIEW",
    "ENDED",
    "IN_FORCE",
    "PROPOSED",
    "RETIRED",
    "TERMS",
    "Acceptance",
    "acceptances",
    "accepted_by",
    "parties",
    "standing",
    "status",
    "status_of",
    "version_digest",
]

PROPOSED: Final = AgreementStatus.PROPOSED
IN_FORCE: Final = AgreementStatus.IN_FORCE
DUE_FOR_REVIEW: Final = AgreementStatus.DUE_FOR_REVIEW
ENDED: Final = AgreementStatus.ENDED
RETIRED: Final = AgreementStatus.RETIRED
TERMS: Final = (
    "title",
    "text",
    "ends_on",
    "outcome",
    "reviewed_on",
    "starts_on",
    "steps",
    "agreements",
)
"""The fields an acceptance is bound to; all but the first two only once set (older versions
lack them, and their acceptances must keep holding). The last three are a plan's
(:mod:`trustvault.plans`): a plan is accepted and stands exactly as an agreement does."""
_PEOPLE_NEEDED = 2

Acceptance = tuple[str, str, str]
"""(digest, person, accepted_at ISO text), as stored in the ``acceptances`` table."""


def version_digest(fields: Mapping[str, Any]) -> str:
    """A stable fingerprint of the terms (:data:`TERMS`); 32 hex digits."""
    terms: list[Any] = [fields.get("title", ""), fields.get("text", "")]
    extra = {k: fields[k] for k in TERMS[2:] if fields.get(k)}
    if extra:
        terms.append(extra)
    wording = json.dumps(terms, ensure_ascii=False, sort_keys=True)
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
    """The status of ``entry``'s current version alone: proposed until both partners (two
    distinct people, each in ``accepted_by`` for its terms) accepted it, then
    :func:`status_in_force`."""
    if not _both(accepted_by, people):
        return PROPOSED
    return status_in_force(entry.fields, today)


def status_in_force(fields: Mapping[str, Any], today: date) -> AgreementStatus:
    """A version both accepted: retired by a review, ended after its end date, due for review
    from its review date, else in force."""
    if fields.get("outcome") == ReviewOutcome.RETIRED:
        return RETIRED
    ends_on = fields.get("ends_on") or ""
    if ends_on and date.fromisoformat(ends_on) < today:
        return ENDED
    review_on = fields.get("review_on") or ""
    if review_on and date.fromisoformat(review_on) <= today:
        return DUE_FOR_REVIEW
    return IN_FORCE


def _both(accepted: set[str], people: tuple[str, ...]) -> bool:
    distinct = {p for p in people if p}
    return len(distinct) >= _PEOPLE_NEEDED and distinct <= accepted


def standing(vault: Vault, entry: Entry, today: date) -> AgreementStanding:
    """The version in force (the newest, in the entries' own order, whose terms both accepted)
    and the proposal (the current version, while both have not accepted its terms).

    The current version is the newest (:mod:`trustvault.entries.merge`), so it is the proposal
    whoever wrote it; a version changing only ``review_on`` shares its terms' acceptances."""
    people = parties(vault)
    by_digest: dict[str, dict[str, str]] = {}
    for digest, person, at in acceptances(vault, entry.id):
        by_digest.setdefault(digest, {})[person] = at
    history = vault.entries.history(entry.id)
    current = Revision(entry.id, entry.revision, entry.editor, entry.updated, entry.fields)
    in_force = None
    for rev in [current, *reversed(history)]:
        if _both(set(by_digest.get(version_digest(rev.fields), {})), people):
            in_force = rev
            break
    proposal = None if in_force is current else current
    accepted = by_digest.get(version_digest(current.fields), {}) if proposal else {}
    state = PROPOSED if in_force is None else status_in_force(in_force.fields, today)
    return AgreementStanding(state, in_force, proposal, dict(accepted))


def status_of(vault: Vault, entry: Entry, today: date) -> AgreementStatus:
    """The agreement's status: its version in force's (:func:`standing`)."""
    return standing(vault, entry, today).status
