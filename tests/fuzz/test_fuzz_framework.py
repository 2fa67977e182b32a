"""The fuzz runner itself: it finds, shrinks, stores and counts a planted bug once, and a stored
crasher that still fails is counted as known rather than found again."""

import binascii
import json
from pathlib import Path

from hypothesis import strategies as st

from tests.fuzz.framework import (
    Finding,
    Target,
    decode,
    encode,
    load_crasher,
    open_note,
    signature,
    store_crasher,
    stored_crashers,
)
from tests.fuzz.run import fuzz
from trustvault.sync.invite_code import _unb64


def _planted(value: list[int]) -> None:
    if sum(value) > 1000:
        raise ValueError("planted")


PLANTED = Target("planted", lambda: st.lists(st.integers(0, 2000)), _planted)


def test_a_planted_bug_is_found_shrunk_stored_and_counted_once(tmp_path: Path) -> None:
    stats = fuzz(PLANTED, 2, tmp_path)
    assert stats.executions > 20
    assert len(stats.new) == 1 and stats.new[0].startswith("ValueError")
    [(target, path)] = stored_crashers(tmp_path)
    sig, value = load_crasher(path)
    assert target == "planted" and sig == stats.new[0]
    assert sum(value) == 1001 and len(value) == 1, "hypothesis shrank it"

    again = fuzz(PLANTED, 0.5, tmp_path)
    assert again.new == [] and again.known == {sig}


def test_a_correct_target_finds_nothing(tmp_path: Path) -> None:
    stats = fuzz(Target("sound", lambda: st.integers(), lambda v: None), 0.5, tmp_path)
    assert stats.executions > 10 and not stats.new and not list(tmp_path.iterdir())


def test_signatures_name_the_innermost_project_function_or_the_finding() -> None:
    try:
        _unb64("AAAA", 32)  # decodes, then refuses the length, inside invite_code.py
    except ValueError as exc:
        assert signature(exc) == "ValueError in sync/invite_code.py:_unb64"
    try:
        _unb64("A", 32)  # one character is never base64: binascii says so, inside base64.py
    except binascii.Error as exc:
        ours, library = signature(exc).split(" from ")
        assert ours == "Error in sync/invite_code.py:_unb64"
        assert library.endswith("base64.py:b64decode")
    assert signature(Finding("a sync failed")) == "a sync failed"


def test_inputs_survive_storage_bytes_surrogates_and_huge_numbers(tmp_path: Path) -> None:
    value = {"b": b"\x00\xff", "s": "\ud800", "n": 2**70, "l": [1.5, None, True]}
    assert decode(json.loads(json.dumps(encode(value)))) == value
    path = store_crasher("t", value, "sig", tmp_path)
    assert load_crasher(path) == ("sig", value)


def test_an_open_note_marks_a_crasher_handed_to_its_owner(tmp_path: Path) -> None:
    path = store_crasher("t", [1], "sig", tmp_path)
    assert open_note(path) is None
    doc = json.loads(path.read_text())
    path.write_text(json.dumps({**doc, "open": "in ics.py: for the calendar rewrite"}))
    assert open_note(path) == "in ics.py: for the calendar rewrite"
    assert load_crasher(path) == ("sig", [1])
