"""Hypothesis strategies for what a partner's (possibly modified) client can put in an op.

Ops are drawn as JSON data, the only thing an envelope can carry, close enough to the real shapes
to get past the first checks: each key of each op type, with values from a pool of the plausible
and the absurd (numbers past 64 bits, lone surrogates, dates in year 9999 or never), keys dropped
at random, and whole values replaced by arbitrary JSON. Strings ``@NAME`` stand for ids and
devices of the vaults under test (:data:`PLACEHOLDERS`); the target substitutes them, so a stored
crasher refers to "this device's shared event" rather than to one run's random id.
"""

from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from trustvault.entries.kinds import EVENT_KINDS, KINDS, PLAN_KINDS
from trustvault.sync.ops import OP_TYPES

__all__ = ["NEW_ID", "PLACEHOLDERS", "json_values", "op_lists", "ops", "substitute"]

PLACEHOLDERS = (
    "@OWN_EVENT",  # this device's shared event (the partner may edit it)
    "@OWN_PRIVATE",  # this device's private milestone
    "@OWN_AGREEMENT",  # this device's shared agreement
    "@PARTNER_ENTRY",  # one of the partner's shared milestones
    "@NEW",  # an id nothing holds yet
)
DEVICES = ("@PARTNER", "@OWN")

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**70, 10**400])
    | st.floats()
    | st.text(max_size=12)
)
json_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)

_weird_text = st.sampled_from(
    ["", " ", "\x00", "\ud800", "\udcff", "x" * 70_000, "é", "0" * 30, "-1", "NaN", "[]", "{}"]
)
_ids = st.sampled_from(PLACEHOLDERS) | _weird_text | st.text(max_size=40) | json_values
_devices = st.sampled_from(DEVICES) | _weird_text | json_values
_moments = (
    st.sampled_from(
        [
            "2026-11-01T09:00:00Z",
            "2026-11-01T09:00",
            "2026-11-01",
            "2026-12-01T19:00:00+02:00",
            "9999-12-31T23:59:59Z",
            "9999-12-31",
            "0001-01-01T00:00:00Z",
            "2026-13-45",
            "2026-02-30",
            "2026-11-01T25:00",
            "soon",
        ]
    )
    | st.datetimes().map(lambda m: m.isoformat())
    | _weird_text
    | json_values
)
_numbers = (
    st.integers(min_value=-3, max_value=5)
    | st.integers()
    | st.sampled_from([2**63 - 1, 2**63, 2**64, -(2**63) - 1, 2**70])
    | st.sampled_from([1.5, 1e300, -0.0, float("inf"), float("nan"), "7", " 7 ", "0x10", "1e3"])
    | json_values
)
_rules = st.sampled_from(
    [
        "",
        "FREQ=WEEKLY",
        "FREQ=DAILY;COUNT=3",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=SECONDLY;BYYEARDAY=366;BYMONTH=2",
        "FREQ=MINUTELY;UNTIL=99991231T000000Z",
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=MONTHLY;BYSETPOS=400",
        "RRULE:FREQ=DAILY;UNTIL=20260101",
        "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO",
        "FREQ=DAILY;COUNT=99999999999999999999",
        "nonsense",
    ]
) | st.text(max_size=40)
_field_values: Mapping[str, st.SearchStrategy[Any]] = {
    "title": st.text(max_size=30) | _weird_text,
    "body": st.text(max_size=30) | _weird_text,
    "text": st.text(max_size=30) | _weird_text,
    "note": st.text(max_size=30) | _weird_text,
    "notes": _weird_text,
    "location": _weird_text | st.text(max_size=310),
    "category": _weird_text | st.text(min_size=55, max_size=70),
    "occurred_on": _moments,
    "disclosed_at": _moments,
    "start": _moments,
    "end": _moments,
    "due_on": _moments,
    "done_at": _moments,
    "review_on": _moments,
    "approximate": st.booleans() | json_values,
    "all_day": st.booleans() | json_values,
    "event_kind": st.sampled_from(EVENT_KINDS) | _weird_text,
    "rrule": _rules,
    "version": _numbers,
    "mood": _numbers,
    "safety": _numbers,
    "feelings": st.lists(st.text(max_size=8) | _weird_text, max_size=4) | json_values,
    "what": st.text(max_size=30) | _weird_text,
    "where": _weird_text | st.text(max_size=130),
    "strength": _numbers,
    "felt_at": _moments,
    "on": _moments,
    "lead_days": _numbers,
    # a plan's, and its needs' and step-downs' (trustvault.entries.plan_fields)
    "starts_on": _moments,
    "ends_on": _moments,
    "steps": st.lists(
        st.fixed_dictionaries(
            {"label": st.text(max_size=10) | _weird_text},
            optional={"until": _moments, "days": _numbers},
        )
        | json_values,
        max_size=14,
    )
    | json_values,
    "agreements": st.lists(_ids, max_size=3) | json_values,
    "plan": _ids,
    "step": _numbers,
}


@st.composite
def _fields(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    keys = draw(st.lists(st.sampled_from(sorted(_field_values)), max_size=4, unique=True))
    fields = {key: draw(_field_values[key]) for key in keys}
    if draw(st.integers(0, 3)):  # valid for every kind, apart from the keys drawn above
        fields = {**_VALID_FIELDS, **fields}
    return fields


_VALID_FIELDS = {
    "title": "a title",
    "start": "2026-12-01T19:00",
    "text": "a text",
    "version": 1,
    "mood": 5,
    "safety": 5,
    "occurred_on": "2026-10-01",
    "what": "a trigger",
    "strength": 5,
    "on": "2025-11-08",
    "starts_on": "2026-11-01",
    "ends_on": "2027-03-31",
    "steps": [{"label": "daily", "days": 28}, {"label": "on request"}],
    "plan": "@PARTNER_ENTRY",
    "step": 1,
}


_hex_of = st.binary(min_size=0, max_size=40).map(bytes.hex)
_part_keys = st.sampled_from(["feelings", "needs", "issue", "loved", "extra"]) | st.text(max_size=6)
_answers = (
    st.dictionaries(_part_keys, st.text(max_size=20) | _weird_text | json_values, max_size=6)
    | json_values
)

_BODIES: Mapping[str, Mapping[str, st.SearchStrategy[Any]]] = {
    "profile": {"name": _weird_text | st.text(max_size=20) | json_values, "device": _devices},
    "version": {
        "id": _ids,
        "kind": st.sampled_from((*KINDS, *PLAN_KINDS)) | _weird_text,
        "author": _devices,
        "editor": _devices,
        "created": _moments,
        "rev": _numbers,
        "updated": _moments,
        "fields": _fields(),
        "seen": _numbers,
    },
    "revoke": {"id": _ids, "at": _moments},
    "delete": {"id": _ids, "at": _moments},
    "close": {"at": _moments, "erase": st.booleans() | json_values},
    "keep": {"at": _moments},
    "received": {"id": _ids, "rev": _numbers, "on": _moments | _weird_text},
    "received_versions": {
        "on": _moments | _weird_text,
        "versions": st.lists(st.tuples(_ids, _numbers).map(list), max_size=3) | json_values,
    },
    "pause": {
        "pid": _ids,
        "asked_by": _devices,
        "started": _moments,
        "until": _moments,
        "ended": _moments | st.none() | json_values,
        "came_back": st.booleans() | json_values,
        "at": _moments,
    },
    "mark": {
        "id": _ids,
        "of": _moments,
        "state": st.sampled_from(["held", "skipped", "moved"]) | _weird_text,
        "by": _devices,
        "at": _moments,
        "seen": _numbers,
    },
    "conversation": {
        "cid": _ids,
        "template": st.sampled_from(["fanos", "state_of_the_union"]) | _weird_text,
        "event": st.sampled_from(["", *PLACEHOLDERS]) | _ids,
        "start": _moments,
        "by": _devices,
        "at": _moments,
    },
    "done": {"cid": _ids, "commit": _hex_of | _weird_text | json_values, "at": _moments},
    "reveal": {
        "cid": _ids,
        "answers": _answers,
        "opening": _hex_of | _weird_text | json_values,
        "at": _moments,
    },
    "ack": {
        "id": _ids,
        "state": st.sampled_from(["read", "need_time"]) | _weird_text,
        "at": _moments,
        "seen": _numbers,
    },
    "comment": {
        "cid": _ids,
        "id": _ids,
        "text": st.text(max_size=20) | _weird_text,
        "at": _moments,
        "seen": _numbers,
    },
    "homework_done": {
        "id": _ids,
        "done": st.booleans() | json_values,
        "at": _moments,
        "seen": _numbers,
    },
    "accept": {
        "id": _ids,
        "digest": _weird_text | st.text(max_size=64),
        "at": _moments,
        "seen": _numbers,
    },
}
_LIKELY: Mapping[str, st.SearchStrategy[Any]] = {
    "author": st.sampled_from(DEVICES),
    "editor": st.just("@PARTNER"),
    "kind": st.sampled_from(["event", "event", "milestone", "agreement", "checkin", "disclosure"]),
    "rev": st.integers(1, 3),
    "id": st.sampled_from(PLACEHOLDERS),
    "cid": st.sampled_from(["c1", "c2"]),
    "created": st.just("2026-11-01T09:00:00Z"),
    "updated": st.just("2026-11-01T09:00:00Z"),
    "at": st.just("2026-11-02T10:00:00Z"),
    "state": st.sampled_from(["read", "need_time", "held", "skipped", "moved"]),
    "text": st.just("see you"),
    "by": st.just("@PARTNER"),
    "of": st.sampled_from(["2026-12-01T19:00", "2026-12-01T19:00Z", "2026-12-01"]),
    "template": st.sampled_from(["fanos", "state_of_the_union"]),
    "commit": st.binary(min_size=32, max_size=32).map(bytes.hex),
    "opening": st.binary(min_size=32, max_size=32).map(bytes.hex),
}


@st.composite
def ops(draw: st.DrawFn, op_types: tuple[str, ...] = OP_TYPES) -> dict[str, Any]:
    """One op body with its type under ``"t"`` (no ``seq`` or ``salt``: the sender adds those).

    Each key is either likely (so the op gets far into the applier), drawn from its pool, an
    arbitrary JSON value, or left out.
    """
    op_type = draw(st.sampled_from(op_types) | st.just("version"))
    body: dict[str, Any] = {"t": op_type}
    for key, values in _BODIES[op_type].items():
        choice = draw(st.integers(0, 11))
        if choice < 6 and key in _LIKELY:
            body[key] = draw(_LIKELY[key])
        elif choice < 10:
            body[key] = draw(values)
        elif choice == 10:
            body[key] = draw(json_values)
        # 11: the key is left out
    if op_type == "version" and draw(st.booleans()):
        body.update(draw(_COHERENT))
    if draw(st.integers(0, 19)) == 0:
        body[draw(st.text(max_size=6))] = draw(json_values)
    return body


_COHERENT = st.sampled_from(
    [
        {"id": "@OWN_EVENT", "author": "@OWN", "kind": "event"},
        {"id": "@PARTNER_ENTRY", "author": "@PARTNER", "kind": "milestone"},
        {"id": "@OWN_PRIVATE", "author": "@OWN", "kind": "milestone"},
    ]
) | st.sampled_from((*KINDS, *PLAN_KINDS)).map(
    lambda kind: {"id": "@NEW", "author": "@PARTNER", "kind": kind}
)
"""An id, author and kind that agree with what the vault holds, so a version gets past them."""


op_lists = st.lists(ops(), min_size=1, max_size=6)


NEW_ID = "0190" + "b" * 28
"""What ``@NEW`` becomes: one id nothing holds yet (the same in every op of an input)."""


def substitute(value: Any, names: Mapping[str, str]) -> Any:
    """``value`` with each ``@NAME`` replaced by ``names[...]`` (``@NEW`` by :data:`NEW_ID`)."""
    if isinstance(value, str) and value.startswith("@"):
        return NEW_ID if value == "@NEW" else names.get(value, value)
    if isinstance(value, list):
        return [substitute(v, names) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, names) for k, v in value.items()}
    return value
