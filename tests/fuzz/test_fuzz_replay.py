"""``make test`` replays every stored crasher: each was a real crash, now fixed, and stays so.

A crasher whose file carries an ``"open"`` note is a bug handed to the owner of that code: it
must still fail the same way, so the day it is fixed this test says to drop the note (and from
then on it is replayed as a regression test like the others).
"""

from tests.fuzz.framework import load_crasher, open_note, signature, stored_crashers
from tests.fuzz.targets import TARGETS


def test_every_stored_crasher_names_a_target() -> None:
    assert {target for target, _ in stored_crashers()} <= set(TARGETS)


def test_no_stored_crasher_crashes_any_more() -> None:
    failing = []
    for target, path in stored_crashers():
        if open_note(path):
            continue
        recorded, value = load_crasher(path)
        try:
            TARGETS[target].run(value)
        except Exception as exc:  # (every failure is listed, not only the first)
            failing.append(f"{path.name} ({target}, was {recorded}): {type(exc).__name__}: {exc}")
    assert not failing, "\n".join(failing)


def test_each_open_crasher_fails_as_recorded_until_it_is_fixed() -> None:
    fixed = []
    for target, path in stored_crashers():
        if not open_note(path):
            continue
        recorded, value = load_crasher(path)
        try:
            TARGETS[target].run(value)
            fixed.append(f"{path.name} ({target}) no longer fails: remove its 'open' note")
        except Exception as exc:  # (any failure but the recorded one is listed)
            if signature(exc) != recorded:
                fixed.append(f"{path.name} ({target}) now fails as {signature(exc)}")
    assert not fixed, "\n".join(fixed)
