"""Transparency plans that wind down: both voices, step-downs, needs, and the gentle prompts."""

from datetime import date
from pathlib import Path

import pytest

from tests.helpers import remember_partner
from tests.sync.sync_helpers import paired_couple
from trustvault.actions import Actions
from trustvault.entries.kinds import parse_step_text, validate
from trustvault.errors import InvalidField
from trustvault.plan_results import PromptKind, StepState
from trustvault.results import AgreementStatus
from trustvault.storage import social_store
from trustvault.vault import Vault

STEPS = [
    {"label": "Phones open daily", "days": 28},
    {"label": "Weekly", "until": "2027-01-31"},
    {"label": "On request"},
]
PLAN = {"title": "Phones, winding down", "starts_on": "2026-11-01", "ends_on": "2027-03-31"}


def test_a_plan_winds_down_with_both_voices_on_both_devices(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    phones = alex.add("agreement", {"title": "Phones open", "text": "Our phones stay open."})
    plan = alex.propose_plan(**PLAN, steps=STEPS, agreements=[phones.id], text="Step by step")
    c.settle()
    [seen] = sam.queries.plans()
    assert seen.entry.id == plan.id and seen.standing.status is AgreementStatus.PROPOSED
    assert seen.entry.fields["agreements"] == [phones.id]
    assert [s.label for s in seen.steps] == ["Phones open daily", "Weekly", "On request"]
    assert all(s.state is StepState.AHEAD for s in seen.steps)
    with pytest.raises(InvalidField, match="must be in force"):
        sam.step_down(plan.id)

    sam.accept(plan.id)
    alex.accept(plan.id)
    sam.write_plan_needs(plan.id, "To know I can ask, without it being a fight")
    c.settle()
    on_day = date(2026, 11, 20)
    for q in (alex.queries, sam.queries):
        shown = q.plans(on_day)[0]
        assert shown.standing.status is AgreementStatus.IN_FORCE
        assert (shown.current, shown.next_due) == (0, date(2026, 11, 29))
        assert [n.by for n in shown.needs] == [c.b.device_id]
        assert [p.kind for p in shown.prompts] == [PromptKind.NEEDS_ONE_SIDED]
    assert alex.queries.plans(on_day)[0].prompts[0].words == (
        "Sam has written what they need from this plan. When you are ready, you could add "
        "yours, so it holds both of you."
    )
    assert "You have written what you need" in sam.queries.plans(on_day)[0].prompts[0].words

    with pytest.raises(InvalidField, match="planned from 2026-11-29"):
        sam.step_down(plan.id)  # not yet: the schedule both accepted says when
    c.clock.advance(days=30)  # 1 December
    sam.step_down(plan.id, "It feels right")
    alex.write_plan_needs(plan.id, "Patience with me")
    alex.write_plan_needs(plan.id, "Patience, and to be told when it is hard")
    c.settle()
    for q in (alex.queries, sam.queries):
        shown = q.plans(date(2026, 12, 2))[0]
        assert shown.current == 1 and shown.next_due == date(2027, 1, 31)
        assert [s.state for s in shown.steps] == [
            StepState.DONE,
            StepState.CURRENT,
            StepState.AHEAD,
        ]
        assert shown.steps[1].began == date(2026, 12, 1)
        [down] = shown.step_downs
        assert (down.by, down.step, down.on, down.note) == (
            c.b.device_id, 1, date(2026, 12, 1), "It feels right",
        )  # fmt: skip
        assert {n.by: n.text for n in shown.needs} == {
            c.a.device_id: "Patience, and to be told when it is hard",
            c.b.device_id: "To know I can ask, without it being a fight",
        }
        assert shown.prompts == ()  # both wrote; the next step is not yet due

    later = [STEPS[0], {"label": "Weekly", "until": "2027-01-15"}, STEPS[2]]
    changed = sam.change_plan(plan.id, {"steps": later})
    c.settle()
    shown = alex.queries.plans(date(2026, 12, 2))[0]
    assert shown.standing.proposal is not None and shown.next_due == date(2027, 1, 31)
    alex.accept(plan.id)
    c.settle()
    assert set(sam.queries.plans(date(2026, 12, 2))[0].standing.proposal_accepted) == {
        c.a.device_id
    }
    sam.accept(plan.id)
    c.settle()
    for q in (alex.queries, sam.queries):
        shown = q.plans(date(2026, 12, 2))[0]
        assert shown.standing.proposal is None and shown.next_due == date(2027, 1, 15)
        assert shown.entry.revision == changed.revision

    # Alex withdraws the plan: its step-down and both needs go with it, on both devices.
    needs = {n.by: n.entry.id for n in alex.queries.plans(date(2026, 12, 2))[0].needs}
    [down] = alex.queries.plans(date(2026, 12, 2))[0].step_downs
    alex_need, sam_need, sam_down = needs[c.a.device_id], needs[c.b.device_id], down.entry.id
    alex.withdraw(plan.id)
    own, gone = ("private", True), ("withdrawn", False)  # kept by its author; a tombstone
    assert _children(alex) == {alex_need: own, sam_need: gone, sam_down: gone}
    c.settle()
    assert _children(sam) == {alex_need: gone, sam_need: own, sam_down: own}
    assert _children(alex) == {alex_need: own, sam_need: gone, sam_down: gone}
    assert sam.queries.plans(date(2026, 12, 2)) == []
    assert alex.queries.entry(plan.id).visibility == "private"  # the author keeps it, as any
    for q, tombstone in ((alex.queries, sam_need), (sam.queries, alex_need)):
        withdrawal = q.withdrawal(tombstone)
        assert withdrawal is not None and withdrawal.author == c.a.device_id  # who withdrew it
    assert phones.id in {e.id for e in sam.queries.page(kind="agreement")}  # not a child
    c.close()


def test_a_plan_deleted_for_good_takes_its_needs_with_it_on_both_devices(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    plan = alex.propose_plan(**PLAN, steps=STEPS, text="Step by step")
    c.settle()
    sam_need = sam.write_plan_needs(plan.id, "To know I can ask").id
    alex_need = alex.write_plan_needs(plan.id, "Patience").id
    c.settle()
    alex.delete(plan.id)
    mine = {e.id for e in alex.queries.page(kind="plan_need")}
    assert alex_need not in mine  # Alex's own need is deleted with the plan
    assert _children(alex) == {sam_need: ("withdrawn", False)}
    c.settle()
    assert _children(sam) == {alex_need: ("withdrawn", False), sam_need: ("private", True)}
    for q, tombstone in ((alex.queries, sam_need), (sam.queries, alex_need)):
        gone = q.withdrawal(tombstone)
        assert gone is not None and gone.author == c.a.device_id and gone.deleted
    assert sam.queries.plans() == [] and alex.queries.plans() == []
    c.close()


@pytest.mark.parametrize("takes", ["withdraw", "delete"])
def test_a_need_written_as_the_plan_went_arrives_as_a_tombstone(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, takes: str
) -> None:
    """Sam writes a need while Alex's withdrawal (or deletion) of the plan is on its way: Sam's
    device makes it private when the withdrawal arrives, and Alex's device, receiving the need
    after it took the plan away, keeps only a tombstone of it, as of the needs it already held."""
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    plan = alex.propose_plan(**PLAN, steps=STEPS, text="Step by step")
    c.settle()
    getattr(alex, takes)(plan.id)
    late = sam.write_plan_needs(plan.id, "To know I can ask").id  # before Alex's word arrived
    sam.sync()  # Sam sends the need, then reads the withdrawal
    alex.sync()
    c.settle()
    assert _children(sam) == {late: ("private", True)}
    assert _children(alex) == {late: ("withdrawn", False)}
    gone = alex.queries.withdrawal(late)
    reason = "deleted" if takes == "delete" else "withdrawn"
    assert gone is not None and (gone.author, gone.reason) == (c.a.device_id, reason)
    c.close()


def _children(actions: Actions) -> dict[str, tuple[str, bool]]:
    """Each step-down and need on the device: its visibility, and whether it holds content."""
    return {
        e.id: (e.visibility, bool(e.fields))
        for kind in ("plan_step", "plan_need")
        for e in actions.queries.page(kind=kind)
    }


def test_gentle_prompts_at_a_fixed_clock(vault: Vault) -> None:
    """A step planned for 29 November: no word for two weeks after it, then a warm one."""
    remember_partner(vault, "dev-partner", "Sam")
    actions = Actions(vault)
    plan = actions.propose_plan(**PLAN, steps=STEPS)
    actions.accept(plan.id)
    social_store.add_acceptance(
        vault.conn, plan.id, actions.queries.wording_of(plan), "dev-partner", "2026-11-01T10:00Z"
    )
    assert actions.queries.plans(date(2026, 12, 12))[0].prompts == ()
    [prompt] = actions.queries.plans(date(2026, 12, 13))[0].prompts
    assert prompt.kind is PromptKind.STEP_OVERDUE
    assert prompt.words == (
        "“Weekly” was planned from 29 November 2026. When it feels right, you might talk "
        "together about stepping down, or change the schedule so it fits where you both are now."
    )
    for word in ("fail", "should", "must", "overdue", "late"):
        assert word not in prompt.words.lower()
    assert actions.queries.plans(date(2027, 4, 1))[0].standing.status is AgreementStatus.ENDED
    assert actions.queries.plans(date(2027, 4, 1))[0].prompts == ()  # an ended plan says nothing
    actions.write_plan_needs(plan.id, "Time")
    [mine] = actions.queries.plans(date(2026, 11, 2))[0].prompts
    assert mine.words == (
        "You have written what you need from this plan. Sam has not added theirs yet, and "
        "there is no hurry."
    )
    assert actions.queries.plans(date(2027, 4, 1))[0].prompts == ()  # nor of needs, once ended


def test_plan_doors_refuse_what_is_not_a_plan(vault: Vault) -> None:
    actions = Actions(vault)
    event = actions.add("event", {"title": "Dinner", "start": "2026-11-06T19:00"})
    with pytest.raises(InvalidField) as info:
        actions.propose_plan(**PLAN, steps=STEPS, agreements=[event.id])
    assert info.value.field == "agreements" and "not an agreement" in info.value.message
    assert actions.queries.count("plan") == 0  # nothing half-written
    with pytest.raises(InvalidField, match="propose_plan"):
        actions.add("plan", {**PLAN, "steps": STEPS})
    plan = actions.propose_plan(**PLAN, steps=STEPS)
    with pytest.raises(InvalidField, match="change_plan"):
        actions.edit(plan.id, {"title": "Other"})
    with pytest.raises(InvalidField) as unknown:
        actions.change_plan(plan.id, {"mood": 3})
    assert unknown.value.field == "mood"
    with pytest.raises(InvalidField, match="change something"):
        actions.change_plan(plan.id, {"title": PLAN["title"]})
    for door in (actions.step_down, lambda i: actions.write_plan_needs(i, "x")):
        with pytest.raises(InvalidField, match="not a plan"):
            door(event.id)


@pytest.mark.parametrize(
    ("steps", "words"),
    [
        ([STEPS[0]], "2 to 12 steps"),
        ([{"label": "Daily"}, STEPS[2]], "step 1 needs a date or a duration"),
        ([{"label": "A", "until": "2027-02-01"}, STEPS[1], STEPS[2]], "step 2 ends on"),
        ([{"label": "A", "until": "2027-04-01"}, STEPS[2]], "by 2027-03-31"),
        ([{"label": "A", "until": "2027-01-01", "days": 3}, STEPS[2]], "both a date"),
        ([{"label": "", "days": 3}, STEPS[2]], "must not be empty"),
        (["Daily", STEPS[2]], "step 1 must be a label"),
    ],
)
def test_plan_steps_are_checked(steps: list[object], words: str) -> None:
    with pytest.raises(InvalidField) as info:
        validate("plan", {**PLAN, "steps": steps})
    assert info.value.field == "steps" and words in info.value.message


def test_plan_fields_and_step_lines() -> None:
    with pytest.raises(InvalidField) as info:
        validate("plan", {**PLAN, "ends_on": "2026-10-01", "steps": STEPS})
    assert info.value.field == "ends_on"
    fields = validate("plan", {**PLAN, "steps": STEPS, "agreements": ["AB" * 16, "ab" * 16]})
    assert fields["agreements"] == ["ab" * 16] and validate("plan", fields) == fields
    assert parse_step_text("Phones open daily @ 4w") == {"label": "Phones open daily", "days": 28}
    assert parse_step_text("Weekly @ 2027-01-31") == {"label": "Weekly", "until": "2027-01-31"}
    assert parse_step_text("Every 3 days@10d") == {"label": "Every 3 days", "days": 10}
    assert parse_step_text("On request") == {"label": "On request"}
    with pytest.raises(InvalidField):
        parse_step_text("Weekly @ soon")
    step = validate("plan_step", {"plan": "ab" * 16, "step": 1})
    assert step == {"plan": "ab" * 16, "step": 1, "note": ""}
    with pytest.raises(InvalidField) as none:
        validate("plan_need", {"text": "x"})
    assert none.value.field == "plan"
