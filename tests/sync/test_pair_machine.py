"""The pairing machine as a table: every (state, event) pair, against a recording fake.

``EXPECTED`` is written out here by hand, apart from the module's tables: an allowed pair must
reach the listed state having asked for exactly the listed side effects, in order; every other
pair must be refused with a one-line message, the state and the fake untouched.
"""

import ast
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from trustvault.errors import PairingError
from trustvault.results import PairStatus
from trustvault.sync.pair_machine import Effect, Event, advance

UNPAIRED, INVITING, JOINING, PAIRED = (
    PairStatus.UNPAIRED, PairStatus.INVITING, PairStatus.JOINING, PairStatus.PAIRED
)  # fmt: skip
REQUEST, ANSWER = Effect.SEND_JOIN_REQUEST, Effect.SEND_ANSWER
EXISTING, TIDY, FORGET = Effect.SEND_EXISTING, Effect.TIDY_JOIN, Effect.FORGET

EXPECTED: dict[tuple[PairStatus, Event], tuple[PairStatus, tuple[Effect, ...]]] = {
    (UNPAIRED, Event.INVITE_MADE): (INVITING, ()),
    (INVITING, Event.INVITE_MADE): (INVITING, ()),
    (UNPAIRED, Event.JOIN_SENT): (JOINING, (REQUEST,)),
    (INVITING, Event.JOIN_SENT): (JOINING, (REQUEST,)),
    (INVITING, Event.JOIN_ACCEPTED): (PAIRED, (ANSWER, EXISTING)),
    (INVITING, Event.STALE_REQUEST): (INVITING, (ANSWER,)),
    (PAIRED, Event.STALE_REQUEST): (PAIRED, (ANSWER,)),
    (PAIRED, Event.PARTNER_ASKED_AGAIN): (PAIRED, (ANSWER,)),
    (JOINING, Event.ANSWER_YES): (PAIRED, (EXISTING, TIDY)),
    (JOINING, Event.ANSWER_NO): (UNPAIRED, (FORGET, TIDY)),
    (INVITING, Event.INVITE_EXPIRED): (UNPAIRED, (FORGET,)),
    (INVITING, Event.UNPAIR): (UNPAIRED, (FORGET,)),
    (JOINING, Event.UNPAIR): (UNPAIRED, (FORGET,)),
    (PAIRED, Event.UNPAIR): (UNPAIRED, (FORGET,)),
    (PAIRED, Event.PARTNER_LEFT): (UNPAIRED, (FORGET,)),
    # A short code's exchange (trustvault/sync/pake_pairing.py).
    (INVITING, Event.KEYS_EXCHANGED): (PAIRED, (EXISTING, TIDY)),
    (JOINING, Event.KEYS_EXCHANGED): (PAIRED, (EXISTING, TIDY)),
    (INVITING, Event.CODE_WRONG): (UNPAIRED, (FORGET, TIDY)),
    (JOINING, Event.CODE_WRONG): (UNPAIRED, (FORGET, TIDY)),
    (JOINING, Event.INVITE_EXPIRED): (UNPAIRED, (FORGET,)),
}


@dataclass
class Pairing:
    status: str


@dataclass
class Recording:
    """Implements :class:`Effects` by noting each side effect asked for; ``fail`` raises on one."""

    asked: list[Effect] = field(default_factory=list)
    fail: Effect | None = None

    def _note(self, effect: Effect) -> None:
        self.asked.append(effect)
        if effect == self.fail:
            raise OSError("the medium went away")

    def send_join_request(self) -> None:
        self._note(REQUEST)

    def send_answer(self) -> None:
        self._note(ANSWER)

    def send_existing(self) -> None:
        self._note(EXISTING)

    def tidy_join(self) -> None:
        self._note(TIDY)

    def forget(self) -> None:
        self._note(FORGET)


PAIRS = list(itertools.product(PairStatus, Event))


@pytest.mark.parametrize(("status", "event"), PAIRS, ids=[f"{s}|{e}" for s, e in PAIRS])
def test_every_state_and_event(status: PairStatus, event: Event) -> None:
    state, effects = Pairing(status.value), Recording()
    if (status, event) in EXPECTED:
        target, asked = EXPECTED[(status, event)]
        advance(state, event, effects)
        assert (state.status, tuple(effects.asked)) == (target, asked)
    else:
        with pytest.raises(PairingError) as refused:
            advance(state, event, effects)
        assert state.status == status and effects.asked == []
        assert str(refused.value) and "\n" not in str(refused.value)


def test_the_refusals_a_person_meets_say_what_to_do() -> None:
    def refusal(status: PairStatus, event: Event) -> str:
        with pytest.raises(PairingError) as refused:
            advance(Pairing(status.value), event, Recording())
        return str(refused.value)

    assert "Unpair it first" in refusal(PAIRED, Event.INVITE_MADE)
    assert "Unpair it first" in refusal(JOINING, Event.INVITE_MADE)
    assert "already paired" in refusal(JOINING, Event.JOIN_SENT)
    assert "not paired" in refusal(UNPAIRED, Event.UNPAIR)
    assert "Sync again" in refusal(UNPAIRED, Event.ANSWER_YES)


def test_a_failing_side_effect_leaves_the_status_as_it_was() -> None:
    state, effects = Pairing(INVITING.value), Recording(fail=EXISTING)
    with pytest.raises(OSError, match="went away"):
        advance(state, Event.JOIN_ACCEPTED, effects)
    assert state.status == INVITING and effects.asked == [ANSWER, EXISTING]


ROOT = Path(__file__).resolve().parents[2]


def status_writes(source: str) -> list[int]:
    """Lines that set a ``.status`` attribute or pass ``status=`` to ``PairState``, except a
    sync result's ``result.status`` (what a round reports, not a pairing's state)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "PairState":
            lines += [node.lineno for k in node.keywords if k.arg == "status"]
        for target in targets:
            elements = target.elts if isinstance(target, ast.Tuple) else [target]
            lines += [
                t.lineno
                for t in elements
                if isinstance(t, ast.Attribute)
                and t.attr == "status"
                and not (isinstance(t.value, ast.Name) and t.value.id == "result")
            ]
    return lines


def test_only_the_machine_sets_a_pairing_status() -> None:
    machine = ROOT / "trustvault" / "sync" / "pair_machine.py"
    found = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "trustvault").rglob("*.py"))
        if path != machine and (lines := status_writes(path.read_text(encoding="utf-8")))
    }
    assert found == {}
    assert status_writes(machine.read_text(encoding="utf-8"))  # the check sees the one it allows


@pytest.mark.parametrize(
    "source",
    [
        "state.status = 'paired'",
        "self.state.status = x",
        "a, state.status = 1, 'inviting'",
        "PairState(status='joining', role='joiner')",
    ],
)
def test_the_status_check_catches_each_form(source: str) -> None:
    assert status_writes(source) == [1]


def test_the_status_check_allows_a_sync_result() -> None:
    assert status_writes("result.status = state.status\nx = state.status") == []
