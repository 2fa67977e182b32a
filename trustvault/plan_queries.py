"""Reads of transparency plans (a part of :class:`trustvault.queries.Queries`)."""

from datetime import date
from typing import TYPE_CHECKING

from trustvault import plans
from trustvault.entries.model import Entry
from trustvault.plan_results import Plan
from trustvault.vault import Vault

__all__ = ["PlanQueries"]


class PlanQueries:
    """The plan's reads; :class:`~trustvault.queries.Queries` sets ``_vault``."""

    _vault: Vault

    if TYPE_CHECKING:

        def today(self) -> date: ...  # Queries' own: this computer's day by the vault's clock

    def plans(self, today: date | None = None) -> list[Plan]:
        """Every plan, newest first, each with its schedule, step-downs, needs and any gentle
        prompt as of ``today`` (default: today by the vault's clock)."""
        return plans.plans(self._vault, today or self.today())

    def plan(self, entry: Entry, today: date | None = None) -> Plan:
        """One plan as it stands ``today``."""
        return plans.view(self._vault, entry, today or self.today())
