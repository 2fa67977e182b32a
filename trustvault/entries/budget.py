"""A step budget for library code that can loop for a very long time without yielding.

dateutil's recurrence iterator walks period by period until the year 9999 looking for a match:
a rule that can never match (``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30``) takes 5-20 s to check and a
calendar of five such events minutes to import. Its loop yields nothing meanwhile, so it cannot
be stopped from outside; :func:`within_budget` counts the lines it runs (a per-thread trace
function, as coverage tools use) and stops it after a fixed number: about 0.2 s for 300,000.
A rule or event that needs more is refused, or shown as far as it got.
"""

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

__all__ = ["OutOfSteps", "within_budget"]

T = TypeVar("T")


class OutOfSteps(Exception):
    """The work did not finish within its step budget."""


def within_budget(fn: Callable[[], T], steps: int) -> T:
    """``fn()``, stopped with :class:`OutOfSteps` after ``steps`` executed lines."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
            if count > steps:
                raise OutOfSteps()
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return local

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        return fn()
    finally:
        sys.settrace(previous)
