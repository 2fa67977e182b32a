"""The winner rule of concurrent edits, as a table: each row is checked in both directions, since
two devices meet the same pair of versions in opposite orders and must pick the same one."""

from functools import reduce
from itertools import permutations

import pytest

from trustvault.entries.merge import Version, winner, wins

ALEX = "0190a1b2c3d4e5f60718293a4b5c6d7e"
SAM = "0190f1e2d3c4b5a60718293a4b5c6d7e"  # sorts after ALEX

ROWS = [
    # (a, b, current version), read as: a and b meet, the third wins
    pytest.param(Version(2, ALEX), Version(1, ALEX), Version(2, ALEX), id="higher revision"),
    pytest.param(Version(2, ALEX), Version(1, SAM), Version(2, ALEX), id="revision before editor"),
    pytest.param(Version(10, ALEX), Version(9, SAM), Version(10, ALEX), id="revision as a number"),
    pytest.param(Version(3, SAM), Version(3, ALEX), Version(3, SAM), id="tie: higher editor"),
    pytest.param(Version(1, "b"), Version(1, "ab"), Version(1, "b"), id="tie: editor as text"),
    pytest.param(Version(4, ALEX), Version(4, ALEX), Version(4, ALEX), id="identical"),
]


@pytest.mark.parametrize(("a", "b", "current"), ROWS)
def test_winner_is_the_same_in_both_directions(a: Version, b: Version, current: Version) -> None:
    assert winner(a, b) == current
    assert winner(b, a) == current


@pytest.mark.parametrize(("a", "b", "current"), ROWS)
def test_exactly_one_of_two_distinct_versions_wins(
    a: Version, b: Version, current: Version
) -> None:
    if a == b:
        assert not wins(a, b) and not wins(b, a), "recording a version again changes nothing"
        return
    loser = b if current == a else a
    assert wins(current, loser)
    assert not wins(loser, current)
    assert wins(a, b) != wins(b, a)


def test_the_current_version_does_not_depend_on_delivery_order() -> None:
    """Folding a history in any order (as two devices receiving it differently do) agrees."""
    history = [Version(1, ALEX), Version(2, ALEX), Version(2, SAM), Version(3, ALEX)]
    assert {reduce(winner, order) for order in permutations(history)} == {Version(3, ALEX)}
    tied = [Version(1, ALEX), Version(2, SAM), Version(2, ALEX)]
    assert {reduce(winner, order) for order in permutations(tied)} == {Version(2, SAM)}
