"""The doors of a transparency plan (a part of :class:`trustvault.actions.Actions`): propose
one, propose a change, step down, write what I need (and, withdrawing a plan, its step-downs
and needs with it: :mod:`trustvault.plan_withdrawal`). Accepting a plan is
:meth:`~trustvault.actions.Actions.accept`, as for an agreement. Each is one transaction that
also queues what the partner's device must receive (:mod:`trustvault.plans` says why a
step-down and the needs are entries of their own).
"""

from collections.abc import Mapping, Sequence
from typing import Any

from trustvault import plan_withdrawal, plans
from trustvault.clock import iso_now
from trustvault.entries.model import Entry
from trustvault.errors import EditConflict, InvalidField
from trustvault.queries import Queries
from trustvault.results import AgreementStatus
from trustvault.storage.transaction import transaction
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

__all__ = ["PlanDoors"]

_TERMS = ("title", "text", "starts_on", "ends_on", "steps", "agreements")


class PlanDoors:
    """The plan's part of the one door; :class:`~trustvault.actions.Actions` sets these."""

    _vault: Vault
    _sync: SyncService
    queries: Queries

    def propose_plan(
        self,
        title: str,
        starts_on: str,
        ends_on: str,
        steps: Sequence[Mapping[str, Any]],
        *,
        agreements: Sequence[str] = (),
        text: str = "",
    ) -> Entry:
        """A new plan, shared: in force once both accept it. ``steps`` in order, each a
        ``label`` with an ``until`` date or a number of ``days`` (the last may have neither);
        ``agreements`` are ids of agreements on this device that the plan groups."""
        raw = {
            "title": title,
            "text": text,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "steps": [dict(s) for s in steps],
            "agreements": list(agreements),
        }
        with transaction(self._vault.conn):
            entry = self._vault.entries.add("plan", raw, "shared")
            plans.check_agreements(self._vault.entries, entry.fields["agreements"])
            return entry

    def change_plan(
        self, plan_id: str, changes: Mapping[str, Any], *, base_revision: int | None = None
    ) -> Entry:
        """New terms for a plan, by either partner: a proposal; the version in force stays
        so until both accept it. ``base_revision`` as for
        :meth:`~trustvault.actions.Actions.edit`."""
        unknown = set(changes) - set(_TERMS)
        if unknown:
            raise InvalidField(sorted(unknown)[0], "is not a part of a plan")
        with transaction(self._vault.conn):
            plan = plans.plan_of(self._vault.entries, plan_id)
            if base_revision is not None and plan.revision != base_revision:
                raise EditConflict(plan_id, base_revision, plan.revision)
            if plan.visibility != "shared":
                raise InvalidField("plan", "only a shared plan can be changed")
            changed = self._vault.entries.edit(plan_id, changes)
            if changed.revision == plan.revision:
                raise InvalidField("plan", "that is the plan as it is; change something in it")
            plans.check_agreements(self._vault.entries, changed.fields["agreements"])
            return changed

    def step_down(self, plan_id: str, note: str = "") -> Entry:
        """Step the plan down to its next step, by either partner, from the day the schedule
        both accepted plans it; the partner's device shows who stepped down and when.
        Earlier than planned is a change to the plan (:meth:`change_plan`), which both accept."""
        with transaction(self._vault.conn):
            plan = plans.plan_of(self._vault.entries, plan_id)
            shown = self.queries.plan(plan)
            if shown.standing.status is not AgreementStatus.IN_FORCE:
                raise InvalidField("plan", f"it is {shown.standing.status}: it must be in force")
            if shown.current == len(shown.steps) - 1:
                raise InvalidField("plan", "it is at its last step already")
            if not shown.can_step_down:
                raise InvalidField(
                    "plan",
                    f"the next step is planned from {shown.next_due}; to step down sooner,"
                    " propose a change to the schedule",
                )
            raw = {"plan": plan.id, "step": shown.current + 1, "note": note}
            return self._vault.entries.add("plan_step", raw, "shared")

    def write_plan_needs(self, plan_id: str, text: str) -> Entry:
        """This person's "what I need from this plan", new or rewritten; the partner sees it."""
        with transaction(self._vault.conn):
            plan = plans.plan_of(self._vault.entries, plan_id)
            mine = [n for n in plans.needs_of(self._vault.entries, plan.id)
                    if n.by == self._vault.device_id]  # fmt: skip
            if mine:
                return self._vault.entries.edit(mine[0].entry.id, {"text": text})
            return self._vault.entries.add("plan_need", {"plan": plan.id, "text": text}, "shared")

    def _withdraw_entry(self, entry_id: str) -> Entry:
        """Withdraw one of this person's entries (:meth:`Actions.withdraw`, or an edit making
        it private); a plan takes its step-downs and needs with it, in the same transaction."""
        with transaction(self._vault.conn):
            entry = self._sync.revoke(entry_id)
            if entry.kind == "plan":
                at = iso_now(self._vault.clock)
                plan_withdrawal.take_children(
                    self._vault.entries, entry.id, entry.author, at, self._sync.revoke
                )
            return entry
