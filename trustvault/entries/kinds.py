"""The kinds of entry and the validation of their fields.

``validate(kind, raw)`` turns user input (CLI flags, dialog fields, ICS, a partner's op) into the
canonical field dictionary stored in the vault, or raises :class:`InvalidField` naming the field.
Validation is idempotent: ``validate(k, validate(k, x)) == validate(k, x)``.
"""

from collections.abc import Callable, Mapping
from datetime import UTC
from typing import Any, Final

from trustvault.entries.event_fields import (
    moment_form,
    parse_alarms,
    parse_moment_list,
    parse_overrides,
    parse_zone,
    zone_of,
)
from trustvault.entries.parsing import (
    parse_bool,
    parse_date,
    parse_date_or_datetime,
    parse_entry_id,
    parse_int_range,
    parse_rrule,
    parse_text,
    parse_text_list,
    to_datetime,
)
from trustvault.entries.plan_fields import (
    parse_step_text,
    plan_fields,
    plan_need_fields,
    plan_step_fields,
)
from trustvault.entries.trigger_fields import anniversary_fields, trigger_fields
from trustvault.errors import InvalidField

__all__ = [
    "DEFAULT_VISIBILITY",
    "DETAIL_LEVELS",
    "EVENT_KINDS",
    "HOMEWORK_FOR",
    "KINDS",
    "PLAN_KINDS",
    "REVIEW_OUTCOMES",
    "SETTINGS",
    "STORED_KINDS",
    "VISIBILITIES",
    "body_text",
    "parse_step_text",
    "sort_key_of",
    "title_of",
    "validate",
    "validate_visibility",
]

KINDS: Final = (
    "disclosure",
    "event",
    "agreement",
    "checkin",
    "milestone",
    "question",
    "headsup",
    "trigger",
    "anniversary",
    "homework",
)
PLAN_KINDS: Final = ("plan", "plan_need", "plan_step")
"""A transparency plan, one partner's needs from it, a step-down of it
(:mod:`trustvault.entries.plan_fields`). Written only through the plan actions, so they are
apart from :data:`KINDS` (what ``add`` and the timeline's filters offer); sync takes both."""
STORED_KINDS: Final = frozenset((*KINDS, *PLAN_KINDS))
"""Every kind an entry in a vault can have: :data:`KINDS` and :data:`PLAN_KINDS`."""
VISIBILITIES: Final = ("private", "shared")
EVENT_KINDS: Final = ("date_night", "therapy", "check_in", "ritual", "other")
DEFAULT_VISIBILITY: Final = {
    "disclosure": "shared",
    "event": "shared",
    "agreement": "shared",
    "checkin": "private",
    "milestone": "shared",
    "question": "shared",
    "headsup": "shared",
    "trigger": "private",  # a private log: it leaves the device only when shared, one by one
    "anniversary": "private",
    "plan": "shared",
    "plan_need": "shared",
    "plan_step": "shared",
    "homework": "shared",
}
DETAIL_LEVELS: Final = ("outline", "some", "full")
"""How much a disclosure tells, as its author says: an outline, some detail, or full detail."""
SETTINGS: Final = ("at_home", "for_session")
"""Where a question is to be answered: in writing at home, or together in the next session."""
HOMEWORK_FOR: Final = ("author", "partner", "both")
"""Whom a homework item is for, said from its author's side (the same words on both devices)."""
_TITLE_MAX = 200
_QUESTION_MAX = 2000
_NOTE_MAX = 120  # a content note: a few words of warning, read before the disclosure


def _disclosure(raw: Mapping[str, Any]) -> dict[str, Any]:
    occurred = parse_date_or_datetime("occurred_on", raw.get("occurred_on"))
    disclosed = parse_date_or_datetime("disclosed_at", raw.get("disclosed_at"), required=False)
    if disclosed and disclosed[:10] < occurred[:10]:
        # Days as written, each in its writer's own offset: the partner's device re-validates
        # synced fields and must reach the same verdict in whatever zone it is.
        raise InvalidField(
            "disclosed_at", f"{disclosed[:10]} is before the event it tells of ({occurred[:10]})"
        )
    fields = {
        "title": parse_text("title", raw.get("title"), required=True, max_len=_TITLE_MAX),
        "body": parse_text("body", raw.get("body"), required=False),
        "occurred_on": occurred,
        "approximate": parse_bool("approximate", raw.get("approximate")),
        "category": parse_text("category", raw.get("category"), required=False, max_len=60),
        "disclosed_at": disclosed,
    }
    # A full account: its author says it holds everything up to this day (trustvault.telling).
    # Left out when empty, so a disclosure without one is the same op as before it existed.
    complete = parse_date("complete_as_of", raw.get("complete_as_of"), required=False)
    if complete and complete < occurred[:10]:
        raise InvalidField(
            "complete_as_of", f"{complete} is before the event it tells of ({occurred[:10]})"
        )
    if complete:
        fields["complete_as_of"] = complete
    detail = raw.get("detail") or ""
    if detail and detail not in DETAIL_LEVELS:
        raise InvalidField("detail", f"{detail!r} is not one of {', '.join(DETAIL_LEVELS)}")
    extras = {
        "answers": parse_entry_id("answers", raw.get("answers")),
        "content_note": parse_text("content_note", raw.get("content_note"), required=False,
                                   max_len=_NOTE_MAX),
        "detail": detail,
    }  # fmt: skip
    # Left out when empty, so disclosures written before these fields keep their stored form.
    fields.update((k, v) for k, v in extras.items() if v)
    return fields


def _event(raw: Mapping[str, Any]) -> dict[str, Any]:
    all_day = parse_bool("all_day", raw.get("all_day"))
    start = parse_date_or_datetime("start", raw.get("start"))
    end = parse_date_or_datetime("end", raw.get("end") or start)
    zone = "" if all_day else parse_zone(raw.get("tz"))
    try:
        if zone in ("UTC", "Etc/UTC"):
            start, end, zone = _in_utc(start), _in_utc(end), ""
        if all_day:
            start, end = start[:10], end[:10]
        elif zone:
            start, end = _wall(start, zone), _wall(end, zone)
    except OverflowError:  # a time at the edge of year 1 or 9999, moved to the zone
        raise InvalidField("start", f"{start} is out of range in {zone}") from None
    try:
        ends_before = to_datetime(end) < to_datetime(start)
    except TypeError:
        raise InvalidField("end", "must use the same time-zone form as start") from None
    if ends_before:
        raise InvalidField("end", f"{end} is before the start {start}")
    kind = raw.get("event_kind") or "other"
    if kind not in EVENT_KINDS:
        raise InvalidField("kind", f"{kind!r} is not one of {', '.join(EVENT_KINDS)}")
    fields: dict[str, Any] = {
        "title": parse_text("title", raw.get("title"), required=True, max_len=_TITLE_MAX),
        "start": start,
        "end": end,
        "all_day": all_day,
        "location": parse_text("location", raw.get("location"), required=False, max_len=300),
        "notes": parse_text("notes", raw.get("notes"), required=False),
        "event_kind": kind,
        "rrule": parse_rrule("rrule", raw.get("rrule"), start, zone),
    }
    dated = ("exdates", "rdates", "overrides")
    # Most events have none of them: no form to work out (each parser takes these as none).
    if any(raw.get(name) not in (None, "", []) for name in dated):
        form = moment_form(start, zone)
        moments = {
            "exdates": parse_moment_list("exdates", raw.get("exdates"), form),
            "rdates": parse_moment_list("rdates", raw.get("rdates"), form),
            "overrides": parse_overrides(raw.get("overrides"), form, _short_text),
        }
    else:
        moments = {}
    extras = {"tz": zone, **moments, "alarms": parse_alarms(raw.get("alarms"))}
    fields.update((k, v) for k, v in extras.items() if v)  # left out when empty: see event_fields
    return fields


def _short_text(field: str, value: Any, limit: int) -> str:
    return parse_text(field, value, required=False, max_len=limit)


def _in_utc(text: str) -> str:
    if len(text) == 10:
        return text
    moment = to_datetime(text)
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    spec = "seconds" if moment.second else "minutes"
    return moment.isoformat(timespec=spec).replace("+00:00", "Z")


def _wall(text: str, zone: str) -> str:
    """A time given with an offset, as wall-clock time in ``zone``; a wall-clock time as is."""
    moment = to_datetime(text)
    if moment.tzinfo is None:
        return text
    wall = moment.astimezone(zone_of(zone)).replace(tzinfo=None)
    return wall.isoformat(timespec="seconds" if wall.second else "minutes")


REVIEW_OUTCOMES: Final = ("kept", "stepped down", "revised", "retired")


def _agreement(raw: Mapping[str, Any]) -> dict[str, Any]:
    version = raw.get("version", 1)
    fields: dict[str, Any] = {
        "title": parse_text("title", raw.get("title"), required=True, max_len=_TITLE_MAX),
        "text": parse_text("text", raw.get("text"), required=True),
        "review_on": parse_date("review_on", raw.get("review_on"), required=False),
        "version": parse_int_range("version", version, 1, 1_000_000),
    }
    outcome = raw.get("outcome") or ""
    if outcome not in ("", *REVIEW_OUTCOMES):
        raise InvalidField("outcome", f"{outcome!r} is not one of {', '.join(REVIEW_OUTCOMES)}")
    reviewed = parse_date("reviewed_on", raw.get("reviewed_on"), required=False)
    if bool(outcome) != bool(reviewed):
        raise InvalidField("outcome", "a review needs both its outcome and its day")
    extras = {
        "ends_on": parse_date("ends_on", raw.get("ends_on"), required=False),
        "outcome": outcome,
        "reviewed_on": reviewed,
    }
    fields.update((k, v) for k, v in extras.items() if v)  # left out when unset: older versions
    return fields


def _checkin(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "mood": parse_int_range("mood", raw.get("mood"), 1, 10),
        "safety": parse_int_range("safety", raw.get("safety"), 1, 10),
        "feelings": parse_text_list("feelings", raw.get("feelings")),
        "note": parse_text("note", raw.get("note"), required=False),
    }


def _milestone(raw: Mapping[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": parse_text("title", raw.get("title"), required=True, max_len=_TITLE_MAX),
        "due_on": parse_date("due_on", raw.get("due_on"), required=False),
        "done_at": parse_date_or_datetime("done_at", raw.get("done_at"), required=False),
        "note": parse_text("note", raw.get("note"), required=False),
    }
    rule = _routine_rule(raw.get("rule"))
    if rule and not fields["due_on"]:
        raise InvalidField("rule", "a count of held occurrences needs a deadline (due_on)")
    if rule:  # left out when unset, so a milestone without one keeps its stored form
        fields["rule"] = rule
    return fields


def _routine_rule(value: Any) -> dict[str, Any]:
    """A milestone's rule over held occurrences: ``{"count": n, "event_kind": k}`` (every event
    of that kind) or ``{"count": n, "event": id}`` (one event); {} when there is none."""
    if value in (None, "", {}):
        return {}
    if not isinstance(value, Mapping):
        raise InvalidField("rule", "must be an object with a count and an event or event kind")
    if set(value) - {"count", "event", "event_kind"}:
        raise InvalidField("rule", "takes only count and one of event or event_kind")
    count = parse_int_range("rule count", value.get("count"), 1, 1000)
    kind, event = value.get("event_kind") or "", value.get("event") or ""
    if bool(kind) == bool(event):
        raise InvalidField("rule", "names either one event or an event kind")
    if kind:
        if kind not in EVENT_KINDS:
            raise InvalidField("rule", f"{kind!r} is not one of {', '.join(EVENT_KINDS)}")
        return {"count": count, "event_kind": kind}
    return {"count": count, "event": parse_entry_id("rule event", event)}


def _question(raw: Mapping[str, Any]) -> dict[str, Any]:
    setting = raw.get("setting") or "at_home"
    if setting not in SETTINGS:
        raise InvalidField("setting", f"{setting!r} is not one of {', '.join(SETTINGS)}")
    return {
        "text": parse_text("text", raw.get("text"), required=True, max_len=_QUESTION_MAX),
        "setting": setting,
    }


def _headsup(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A small share in two short steps: what happened, and what I did about it. Counted apart
    from disclosures (no latency: it is told as it happens)."""
    return {
        "what": parse_text("what", raw.get("what"), required=True, max_len=_TITLE_MAX),
        "response": parse_text("response", raw.get("response"), required=False,
                               max_len=_TITLE_MAX),
    }  # fmt: skip


def _homework(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Something to do before the next therapy session ("each write a letter"), named by the
    occurrence it is for: its event's id and the occurrence's original start (ISO), stored as
    plain fields (issue 12 names an occurrence so)."""
    for_whom = raw.get("for") or "both"
    if for_whom not in HOMEWORK_FOR:
        raise InvalidField("for", f"{for_whom!r} is not one of {', '.join(HOMEWORK_FOR)}")
    event_id = parse_entry_id("event_id", raw.get("event_id"))
    if not event_id:
        raise InvalidField("event_id", "homework needs the therapy session it is for")
    return {
        "text": parse_text("text", raw.get("text"), required=True, max_len=_TITLE_MAX),
        "for": for_whom,
        "event_id": event_id,
        "original_start": parse_date_or_datetime("original_start", raw.get("original_start")),
    }


_VALIDATORS: Final[dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]]] = {
    "disclosure": _disclosure,
    "event": _event,
    "agreement": _agreement,
    "checkin": _checkin,
    "milestone": _milestone,
    "question": _question,
    "headsup": _headsup,
    "trigger": trigger_fields,
    "anniversary": anniversary_fields,
    "plan": plan_fields,
    "plan_need": plan_need_fields,
    "plan_step": plan_step_fields,
    "homework": _homework,
}


def validate(kind: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Return the canonical fields of an entry of ``kind``, or raise naming the bad field."""
    validator = _VALIDATORS.get(kind)
    if validator is None:
        raise InvalidField("kind", f"{kind!r} is not one of {', '.join(KINDS + PLAN_KINDS)}")
    return validator(raw)


def validate_visibility(value: str) -> str:
    if value not in VISIBILITIES:
        raise InvalidField("visibility", f"{value!r} is not one of {', '.join(VISIBILITIES)}")
    return value


def title_of(kind: str, fields: Mapping[str, Any]) -> str:
    """A one-line title for lists; check-ins have none of their own; a withdrawn entry has none."""
    if not fields:
        return ""
    if kind == "checkin":
        return f"Check-in: mood {fields['mood']}, safety {fields['safety']}"
    if kind == "question":
        return str(fields["text"])
    if kind in ("headsup", "trigger"):
        return str(fields["what"])
    if kind == "plan_need":
        return "What I need from our plan"
    if kind == "plan_step":
        return f"Stepped our plan down to step {int(fields['step']) + 1}"
    if kind == "homework":
        return str(fields["text"])
    return str(fields.get("title", ""))


def body_text(kind: str, fields: Mapping[str, Any]) -> str:
    """The free text that full-text search indexes besides the title."""
    if not fields:
        return ""
    words = [str(fields.get(p, "")) for p in _BODY_FIELDS[kind]]
    if kind == "checkin":
        words.extend(fields.get("feelings", []))
    return "\n".join(w for w in words if w)


_BODY_FIELDS: Final = {
    "disclosure": ("body", "category"),
    "event": ("location", "notes"),
    "agreement": ("text",),
    "checkin": ("note",),
    "milestone": ("note",),
    "question": (),  # its text is its title
    "headsup": ("response",),
    "trigger": ("where",),
    "anniversary": (),
    "plan": ("text",),
    "plan_need": ("text",),
    "plan_step": ("note",),
    "homework": (),  # its text is its title
}
"""The fields of each kind that full-text search indexes besides the title."""


_WHEN_FIELDS: Final = {
    "disclosure": ("occurred_on",),
    "event": ("start",),
    "milestone": ("done_at", "due_on"),
    "trigger": ("felt_at",),
    "anniversary": ("on",),
}
"""The field that says when an entry of each kind happened (the first one set), for
:func:`sort_key_of`; kinds without one are placed by their creation."""

# Lengths of canonical forms that need no parsing: (characters kept, suffix added).
_SORT_FAST: Final = {
    10: (10, "T00:00:00"),  # 2026-05-03
    16: (16, ":00"),  # 2026-05-03T10:07 (floating)
    19: (19, ""),  # 2026-05-03T10:07:29 (floating)
    17: (16, ":00"),  # 2026-05-03T10:07Z
    20: (19, ""),  # 2026-05-03T10:07:29Z
}


def sort_key_of(kind: str, fields: Mapping[str, Any], created: str) -> str:
    """When the entry happened, for the timeline: ``YYYY-MM-DDTHH:MM:SS`` that sorts in time order.

    Times with a zone are turned into UTC and dates mean their midnight, so every key has one
    form (what SQLite's ``strftime('%Y-%m-%dT%H:%M:%S', …)`` makes of the same text, which the
    schema 3 upgrade uses to rewrite older keys). Floating local times are taken as they are.
    """
    when = None
    for name in _WHEN_FIELDS.get(kind, ()):
        when = fields.get(name)
        if when:
            break
    text = str(when or created)
    fast = _SORT_FAST.get(len(text))
    if fast is not None and (len(text) < 17 or text[-1] == "Z") and text[10:11] in ("", "T"):
        return text[: fast[0]] + fast[1]
    moment = to_datetime(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")
