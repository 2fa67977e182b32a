"""Every fuzz target, briefly and deterministically: ``make fuzz`` runs the same for minutes."""

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz.targets import TARGETS


@pytest.mark.parametrize("name", list(TARGETS))
def test_each_target_holds_for_a_few_dozen_inputs(name: str) -> None:
    target = TARGETS[name]

    @settings(
        max_examples=target.brief,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(target.strategy())
    def check(value: object) -> None:
        target.run(value)

    check()
