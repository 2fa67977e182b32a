"""Agreement status: in force only with both partners' acceptance of the current wording."""

from datetime import date
from unittest.mock import ANY

import pytest

from tests.helpers import remember_partner
from trustvault.actions import Actions
from trustvault.agreements import (
    DUE_FOR_REVIEW,
    ENDED,
    IN_FORCE,
    PROPOSED,
    RETIRED,
    acceptances,
    accepted_by,
    parties,
    standing,
    status,
    status_of,
    version_digest,
)
from trustvault.entries.model import Entry
from trustvault.errors import InvalidField
from trustvault.storage import social_store
from trustvault.vault import Vault

TODAY = date(2026, 11, 10)
STAMP = "2026-11-02T10:00:00Z"


def partner_accepts(vault: Vault, entry: Entry, digest: str | None = None) -> None:
    """What applying the partner's accept op stores (a paired partner is simulated by its id)."""
    social_store.add_acceptance(
        vault.conn, entry.id, digest or version_digest(entry.fields), "dev-partner", STAMP
    )


def test_digest_depends_on_wording_only() -> None:
    base = {"title": "Phones open", "text": "Our phones stay open.", "review_on": "", "version": 1}
    assert version_digest(base) == version_digest({**base, "review_on": "2027-01-01", "version": 3})
    assert version_digest(base) != version_digest({**base, "text": "Our phones stay open!"})
    assert version_digest(base) != version_digest({**base, "title": "Phones"})
    # No ambiguity between where the title ends and the text begins.
    assert version_digest({"title": "ab", "text": "c"}) != version_digest(
        {"title": "a", "text": "bc"}
    )
    assert len(version_digest(base)) == 32


def test_accept_is_idempotent_and_recorded(vault: Vault) -> None:
    actions = Actions(vault)
    entry = actions.add("agreement", {"title": "T", "text": "X"})
    assert actions.accept(entry.id).new is True
    assert actions.accept(entry.id).new is False
    rows = acceptances(vault, entry.id)
    assert [(d, p) for d, p, _ in rows] == [(version_digest(entry.fields), vault.device_id)]
    assert accepted_by(vault, entry) == {vault.device_id}


def test_accept_refuses_other_kinds(vault: Vault) -> None:
    actions = Actions(vault)
    event = actions.add("event", {"title": "Dinner", "start": "2026-11-06T19:00"})
    with pytest.raises(InvalidField) as info:
        actions.accept(event.id)
    assert info.value.field == "entry"
    assert acceptances(vault, event.id) == []


def test_status_table(vault: Vault) -> None:
    entry = vault.entries.add("agreement", {"title": "T", "text": "X", "review_on": "2026-12-01"})
    me, partner = "dev-me", "dev-partner"
    both = (me, partner)
    assert status(entry, set(), both, TODAY) == PROPOSED
    assert status(entry, {me}, both, TODAY) == PROPOSED
    assert status(entry, {partner}, both, TODAY) == PROPOSED
    assert status(entry, {me, partner}, both, TODAY) == IN_FORCE
    # Before pairing there is only one person: never in force, even if they accepted.
    assert status(entry, {me}, (me,), TODAY) == PROPOSED
    assert status(entry, {me}, (me, ""), TODAY) == PROPOSED
    assert status(entry, {me}, (me, me), TODAY) == PROPOSED
    # Review day reached: an in-force agreement is due for review from that day on.
    assert status(entry, {me, partner}, both, date(2026, 11, 30)) == IN_FORCE
    assert status(entry, {me, partner}, both, date(2026, 12, 1)) == DUE_FOR_REVIEW
    assert status(entry, {me, partner}, both, date(2027, 3, 1)) == DUE_FOR_REVIEW
    # Never agreed: stays proposed (nothing agreed to review yet).
    assert status(entry, {me}, both, date(2027, 3, 1)) == PROPOSED


def test_new_wording_needs_new_acceptances(vault: Vault) -> None:
    remember_partner(vault, "dev-partner")
    entry = vault.entries.add("agreement", {"title": "T", "text": "X"})
    assert parties(vault) == (vault.device_id, "dev-partner")
    Actions(vault).accept(entry.id)
    assert status_of(vault, entry, TODAY) == PROPOSED
    partner_accepts(vault, entry)
    assert status_of(vault, entry, TODAY) == IN_FORCE

    moved = vault.entries.edit(entry.id, {"review_on": "2027-06-01"})
    assert moved.fields["version"] == 1
    assert status_of(vault, moved, TODAY) == IN_FORCE

    reworded = vault.entries.edit(entry.id, {"text": "X, and Y."})
    assert reworded.fields["version"] == 2
    assert status(reworded, accepted_by(vault, reworded), parties(vault), TODAY) == PROPOSED
    assert accepted_by(vault, reworded) == set()
    # The version both accepted stays in force, the new wording beside it as a proposal.
    held = standing(vault, reworded, TODAY)
    assert held.status == IN_FORCE
    assert held.in_force is not None and held.in_force.fields["text"] == "X"
    assert held.in_force.fields["review_on"] == "2027-06-01"
    assert held.proposal is not None and held.proposal.fields["text"] == "X, and Y."
    assert len(acceptances(vault, entry.id)) == 2  # the old acceptances stay on record
    Actions(vault).accept(entry.id)
    assert standing(vault, reworded, TODAY).proposal_accepted == {vault.device_id: ANY}
    partner_accepts(vault, reworded)
    held = standing(vault, reworded, TODAY)
    assert (held.status, held.proposal, held.in_force) == (IN_FORCE, None, ANY)
    assert held.in_force is not None and held.in_force.fields["version"] == 2


def test_a_review_is_a_proposal_and_an_end_date_ends_it(vault: Vault) -> None:
    """Retired and ended are statuses of a version both accepted, never of a proposal alone;
    the terms an acceptance is bound to grow only once set, so old acceptances still hold."""
    remember_partner(vault, "dev-partner")
    entry = vault.entries.add("agreement", {"title": "T", "text": "X"})
    assert version_digest(entry.fields) == version_digest({"title": "T", "text": "X"})
    Actions(vault).accept(entry.id)
    partner_accepts(vault, entry)
    retired = Actions(vault).review_agreement(entry.id, "retired")
    assert retired.fields["outcome"] == "retired" and retired.fields["reviewed_on"]
    assert status_of(vault, retired, TODAY) == IN_FORCE  # until both accept the review
    Actions(vault).accept(entry.id)
    partner_accepts(vault, retired)
    assert status_of(vault, retired, TODAY) == RETIRED
    with pytest.raises(InvalidField, match="needs its new wording"):
        Actions(vault).review_agreement(entry.id, "revised")
    with pytest.raises(InvalidField, match="keeps its wording"):
        Actions(vault).review_agreement(entry.id, "kept", {"text": "Z"})
    with pytest.raises(InvalidField, match="outcome"):
        Actions(vault).review_agreement(entry.id, "forgotten")
    kept = Actions(vault).review_agreement(entry.id, "kept", {"ends_on": "2026-12-01"})
    Actions(vault).accept(entry.id)
    partner_accepts(vault, kept)
    assert status_of(vault, kept, date(2026, 12, 1)) == IN_FORCE
    assert status_of(vault, kept, date(2026, 12, 2)) == ENDED
    with pytest.raises(InvalidField, match="propose a revision"):
        Actions(vault).edit(entry.id, {"ends_on": "2027-01-01"})  # the end date is a term


def test_partner_acceptance_of_an_older_digest_does_not_count(vault: Vault) -> None:
    remember_partner(vault, "dev-partner")
    entry = vault.entries.add("agreement", {"title": "T", "text": "X"})
    old = version_digest(entry.fields)
    current = vault.entries.edit(entry.id, {"text": "Y"})
    Actions(vault).accept(current.id)
    partner_accepts(vault, current, digest=old)
    assert status_of(vault, current, TODAY) == PROPOSED


def test_before_pairing_nothing_is_in_force(vault: Vault) -> None:
    entry = vault.entries.add("agreement", {"title": "T", "text": "X"})
    Actions(vault).accept(entry.id)
    assert parties(vault) == (vault.device_id,)
    assert status_of(vault, entry, TODAY) == PROPOSED


def test_new_wording_goes_only_through_propose_revision(vault: Vault) -> None:
    """One door: an agreement's new title or text is a proposal, never a plain edit."""
    actions = Actions(vault)
    entry = actions.add("agreement", {"title": "T", "text": "X"})
    with pytest.raises(InvalidField, match="propose a revision"):
        actions.edit(entry.id, {"text": "Y"})
    assert actions.queries.entry(entry.id).fields["text"] == "X"
    moved = actions.edit(entry.id, {"review_on": "2027-06-01"})  # not wording: a plain edit
    assert moved.fields["version"] == 1
    revised = actions.propose_revision(entry.id, {"text": "Y"})
    assert (revised.fields["text"], revised.fields["version"]) == ("Y", 2)
    milestone = actions.add("milestone", {"title": "M"})
    with pytest.raises(InvalidField, match="new title or text"):
        actions.propose_revision(milestone.id, {"title": "N"})
    with pytest.raises(InvalidField, match="new title or text"):
        actions.propose_revision(entry.id, {"text": "Y"})  # the same wording is no proposal
