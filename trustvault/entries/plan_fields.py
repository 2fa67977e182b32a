"""The fields of a transparency plan and of the two entries that hang from one.

A ``plan`` groups agreements between a start and an end with a step-down schedule: ordered
steps, each planned to last until a date or for a number of days from when it began (the last
may run to the plan's end). A ``plan_need`` is one partner's "what I need from this plan"; a
``plan_step`` records that one partner stepped the plan down to a step. Both name their plan by
id; only its form is checked here (:mod:`trustvault.plans` checks the plan is on this device).

:func:`parse_step_text` reads the one-line form the CLI and the app share:
``Phones open daily @ 4w``, ``Weekly @ 2027-03-01``, ``On request``.
"""

import re
from collections.abc import Mapping
from typing import Any, Final

from trustvault.entries.parsing import (
    parse_date,
    parse_entry_id,
    parse_int_range,
    parse_text,
)
from trustvault.errors import InvalidField

__all__ = [
    "MAX_STEPS",
    "parse_step_text",
    "plan_fields",
    "plan_need_fields",
    "plan_step_fields",
]

MAX_STEPS: Final = 12
_MIN_STEPS = 2  # one step is not a wind-down
_LABEL_MAX = 120
_TITLE_MAX = 200
_NEEDS_MAX = 4000
_NOTE_MAX = 500
_MAX_DAYS = 3650
_MAX_AGREEMENTS = 50
_SPAN = re.compile(r"^(\d{1,4})\s*([dw])$", re.IGNORECASE)


def plan_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    starts = parse_date("starts_on", raw.get("starts_on"), required=True)
    ends = parse_date("ends_on", raw.get("ends_on"), required=True)
    if ends < starts:
        raise InvalidField("ends_on", f"{ends} is before the plan starts ({starts})")
    return {
        "title": parse_text("title", raw.get("title"), required=True, max_len=_TITLE_MAX),
        "text": parse_text("text", raw.get("text"), required=False),
        "starts_on": starts,
        "ends_on": ends,
        "steps": _steps(raw.get("steps"), starts, ends),
        "agreements": _agreement_ids(raw.get("agreements")),
    }


def _steps(value: Any, starts: str, ends: str) -> list[dict[str, Any]]:
    if not isinstance(value, list | tuple) or not _MIN_STEPS <= len(value) <= MAX_STEPS:
        raise InvalidField("steps", f"a plan needs {_MIN_STEPS} to {MAX_STEPS} steps")
    out: list[dict[str, Any]] = []
    last_until = starts
    for n, item in enumerate(value, start=1):
        if not isinstance(item, Mapping):
            raise InvalidField("steps", f"step {n} must be a label with a date or a duration")
        step: dict[str, Any] = {
            "label": parse_text("steps", item.get("label"), required=True, max_len=_LABEL_MAX)
        }
        until = parse_date("steps", item.get("until"), required=False)
        days = item.get("days")
        if until and days not in (None, ""):
            raise InvalidField("steps", f"step {n} has both a date and a duration; give one")
        if until:
            if not last_until < until <= ends:
                raise InvalidField(
                    "steps", f"step {n} ends on {until}: after the one before, by {ends}"
                )
            step["until"] = last_until = until
        elif days not in (None, ""):
            step["days"] = parse_int_range("steps", days, 1, _MAX_DAYS)
        elif n < len(value):
            raise InvalidField(
                "steps", f"step {n} needs a date or a duration (only the last may not)"
            )
        out.append(step)
    return out


def _agreement_ids(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple) or len(value) > _MAX_AGREEMENTS:
        raise InvalidField("agreements", f"must be a list of at most {_MAX_AGREEMENTS} ids")
    ids = [parse_entry_id("agreements", v) for v in value]
    if "" in ids:
        raise InvalidField("agreements", "an agreement id is empty")
    return sorted(set(ids))


def plan_need_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "plan": _plan_id(raw),
        "text": parse_text("text", raw.get("text"), required=True, max_len=_NEEDS_MAX),
    }


def plan_step_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "plan": _plan_id(raw),
        "step": parse_int_range("step", raw.get("step"), 1, MAX_STEPS - 1),
        "note": parse_text("note", raw.get("note"), required=False, max_len=_NOTE_MAX),
    }


def _plan_id(raw: Mapping[str, Any]) -> str:
    plan = parse_entry_id("plan", raw.get("plan"))
    if not plan:
        raise InvalidField("plan", "must name the plan")
    return plan


def parse_step_text(text: str) -> dict[str, Any]:
    """One step from its line: a label, then optionally ``@`` and a date (it lasts until then)
    or a span (``30d``, ``4w``: it lasts that long from when it began)."""
    label, _, when = text.rpartition("@") if "@" in text else (text, "", "")
    label, when = label.strip(), when.strip()
    if not when:
        return {"label": label}
    span = _SPAN.match(when)
    if span is not None:
        days = int(span.group(1)) * (7 if span.group(2).lower() == "w" else 1)
        return {"label": label, "days": days}
    return {"label": label, "until": parse_date("steps", when, required=True)}
