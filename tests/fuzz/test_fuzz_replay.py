"""``make test`` replays every stored crasher: each was a real crash, now fixed, and stays so."""

from tests.fuzz.framework import load_crasher, stored_crashers
from tests.fuzz.targets import TARGETS


def test_every_stored_crasher_names_a_target() -> None:
    assert {target for target, _ in stored_crashers()} <= set(TARGETS)


def test_no_stored_crasher_crashes_any_more() -> None:
    failing = []
    for target, path in stored_crashers():
        recorded, value = load_crasher(path)
        try:
            TARGETS[target].check(value)
        except Exception as exc:  # (every failure is listed, not only the first)
            failing.append(f"{path.name} ({target}, was {recorded}): {type(exc).__name__}: {exc}")
    assert not failing, "\n".join(failing)
