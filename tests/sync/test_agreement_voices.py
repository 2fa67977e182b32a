"""Either partner proposes new terms for any shared agreement; both accept before it is in force.

Two real vaults through a real folder. The partner's proposal on this device's agreement is
applied under the rules of PROTOCOL.md §9, and a modified client that rewords the agreement and
claims this device's acceptance gets a proposal and nothing more.
"""

from pathlib import Path
from typing import Any

import pytest

from tests.sync.sync_helpers import Couple, paired_couple, record_as_sam
from trustvault.actions import Actions
from trustvault.agreements import version_digest
from trustvault.results import AgreementStatus
from trustvault.sync.recorder import version_body

PHONES = {"title": "Phones", "text": "Open at home."}
AT = "2026-11-02T10:00:00Z"


def _both_accept(c: Couple, alex: Actions, sam: Actions, entry_id: str) -> None:
    c.settle(1)
    alex.accept(entry_id)
    sam.accept(entry_id)
    c.settle()


def _view(actions: Actions, entry_id: str) -> tuple[Any, ...]:
    q = actions.queries
    held = q.agreement_standing(q.entry(entry_id))
    in_force = held.in_force.fields["text"] if held.in_force else None
    proposal = held.proposal.fields["text"] if held.proposal else None
    accepted = sorted(q.name_of(p) for p in held.proposal_accepted)
    return held.status, in_force, proposal, accepted


def test_the_partner_proposes_on_my_agreement_and_it_holds_once_both_accept(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    entry = alex.add("agreement", PHONES)
    _both_accept(c, alex, sam, entry.id)
    assert _view(alex, entry.id) == (AgreementStatus.IN_FORCE, "Open at home.", None, [])

    proposal = sam.propose_revision(entry.id, {"text": "Open at home, weekdays."})
    assert (proposal.author, proposal.editor) == (c.a.device_id, c.b.device_id)
    sam.accept(entry.id)
    results = c.settle()
    assert all(r.refused_ops == 0 for r in results), [r.problems for r in results]
    waiting = (AgreementStatus.IN_FORCE, "Open at home.", "Open at home, weekdays.", ["Sam"])
    assert _view(alex, entry.id) == _view(sam, entry.id) == waiting

    alex.accept(entry.id)
    c.settle()
    agreed = (AgreementStatus.IN_FORCE, "Open at home, weekdays.", None, [])
    assert _view(alex, entry.id) == _view(sam, entry.id) == agreed

    # A review by the partner, as a proposal too: recorded once both accept it.
    sam.review_agreement(entry.id, "retired")
    sam.accept(entry.id)
    c.settle()
    assert _view(alex, entry.id)[0] == AgreementStatus.IN_FORCE
    alex.accept(entry.id)
    c.settle()
    for actions in (alex, sam):
        held = actions.queries.agreement_standing(actions.queries.entry(entry.id))
        assert held.status == AgreementStatus.RETIRED
        assert held.in_force is not None and held.in_force.fields["outcome"] == "retired"
    c.close()


def test_a_modified_client_rewording_my_agreement_cannot_claim_my_acceptance(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Sam's client rewords Alex's agreement in force, claims Alex's acceptance every way an op
    can say it, and tries the agreements the rules keep out. Alex's device keeps the version in
    force, shows the rewording as Sam's proposal accepted by Sam alone, and refuses the rest."""
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    entry = alex.add("agreement", PHONES)
    private = alex.add("agreement", {"title": "Mine", "text": "Private."}, "private")
    _both_accept(c, alex, sam, entry.id)
    seen = version_body(c.b.entries.get(entry.id))
    worded = {**PHONES, "text": "Closed at home.", "version": 1}  # an old number, new words
    digest = version_digest(worded)
    rewording = {
        **seen,
        "rev": 2,
        "editor": c.b.device_id,
        "fields": {**worded, "accepted_by": [c.a.device_id]},
        "seen": 10**6,
    }
    forged = [
        ("version", {**rewording, "editor": c.a.device_id, "rev": 3}),  # in Alex's name
        ("version", {**rewording, "id": private.id}),  # never shared
        ("version", {**rewording, "kind": "milestone", "fields": {"title": "x"}}),  # kind
        ("version", {**rewording, "author": c.b.device_id}),  # Alex's entry claimed as Sam's
    ]
    for op_type, body in [("version", rewording), *forged]:
        record_as_sam(c, op_type, body)
    claims = {"id": entry.id, "digest": digest, "at": AT, "person": c.a.device_id}
    record_as_sam(c, "accept", claims)
    c.sb.sync()
    result = c.sa.sync()
    assert result.refused_ops == len(forged), result.problems
    assert all("Closed" not in p for p in result.problems)
    held = alex.queries.agreement_standing(alex.queries.entry(entry.id))
    assert held.status == AgreementStatus.IN_FORCE
    assert held.in_force is not None and held.in_force.fields["text"] == "Open at home."
    assert held.proposal is not None and held.proposal.fields["text"] == "Closed at home."
    assert "accepted_by" not in held.proposal.fields
    assert set(held.proposal_accepted) == {c.b.device_id}  # Sam's own word, never Alex's
    assert alex.queries.entry(private.id).revision == 1
    c.close()
