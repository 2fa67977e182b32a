"""The fields of a trigger (what set it off, where, how strong, when) and of an anniversary (a
day that comes back each year), both private by default (:data:`kinds.DEFAULT_VISIBILITY`).

A trigger's ``felt_at`` may be left out: it was then felt when it was written (its creation
time), which is what the pattern view (:mod:`trustvault.triggers`) counts by.
"""

from collections.abc import Mapping
from typing import Any, Final

from trustvault.entries.parsing import (
    parse_date,
    parse_date_or_datetime,
    parse_int_range,
    parse_text,
)

__all__ = ["LEAD_DAYS", "MAX_LEAD_DAYS", "anniversary_fields", "trigger_fields"]

LEAD_DAYS: Final = 7
"""How many days ahead an anniversary is flagged unless its author says otherwise."""
MAX_LEAD_DAYS: Final = 60
_WHAT_MAX = 200
_WHERE_MAX = 120


def trigger_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "what": parse_text("what", raw.get("what"), required=True, max_len=_WHAT_MAX),
        "where": parse_text("where", raw.get("where"), required=False, max_len=_WHERE_MAX),
        "strength": parse_int_range("strength", raw.get("strength"), 1, 10),
    }
    felt = parse_date_or_datetime("felt_at", raw.get("felt_at"), required=False)
    if felt:
        fields["felt_at"] = felt
    return fields


def anniversary_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    lead = raw.get("lead_days")
    return {
        "title": parse_text("title", raw.get("title"), required=True, max_len=_WHAT_MAX),
        "on": parse_date("on", raw.get("on"), required=True),
        "lead_days": parse_int_range(
            "lead_days", LEAD_DAYS if lead in (None, "") else lead, 0, MAX_LEAD_DAYS
        ),
    }
