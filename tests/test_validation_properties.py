"""Property tests of entry validation: canonical fields are a fixed point and survive JSON; bad
values always raise InvalidField naming the field."""

import json
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from trustvault.entries.kinds import EVENT_KINDS, KINDS, validate
from trustvault.entries.model import Entry
from trustvault.entries.parsing import parse_date_or_datetime
from trustvault.errors import InvalidField

FAST = settings(max_examples=60, deadline=None)

_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
text = st.text(_CHARS, max_size=80)
title = st.text(_CHARS, min_size=1, max_size=120).filter(lambda s: s.strip())
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31))
when = st.one_of(
    days.map(date.isoformat),
    moments.map(lambda m: m.isoformat(timespec="seconds")),
    moments.map(lambda m: m.strftime("%Y-%m-%dT%H:%M")),
    moments.map(lambda m: m.strftime("%Y-%m-%d %H:%M:%S") + "Z"),
    moments.map(lambda m: m.strftime("%Y-%m-%dT%H:%M") + "+02:00"),
)
rules = st.sampled_from(
    ["", "FREQ=DAILY;COUNT=3", "RRULE:FREQ=WEEKLY;BYDAY=FR", "freq=monthly;interval=2",
     "FREQ=WEEKLY;UNTIL=20991231T000000Z", "FREQ=YEARLY;UNTIL=20991231"]
)  # fmt: skip


@st.composite
def events(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(moments)
    end = start + timedelta(minutes=draw(st.integers(0, 60 * 24 * 3)))
    all_day = draw(st.booleans())
    fmt = "%Y-%m-%d" if all_day else "%Y-%m-%dT%H:%M"
    raw = {
        "title": draw(title),
        "start": start.strftime(fmt),
        "end": end.strftime(fmt),
        "all_day": all_day,
        "location": draw(text),
        "notes": draw(text),
        "event_kind": draw(st.sampled_from(EVENT_KINDS)),
        "rrule": draw(rules),
    }
    if draw(st.booleans()):  # the calendar fields, in any of the forms a time may take
        moved = st.fixed_dictionaries({"of": when, "start": when}, optional={"title": text})
        raw |= draw(st.fixed_dictionaries({}, optional={
            "tz": st.sampled_from(["", "Europe/Paris", "America/New_York", "UTC", "Asia/Kolkata"]),
            "exdates": st.lists(when, max_size=4),
            "rdates": st.lists(when, max_size=4),
            "overrides": st.lists(moved, max_size=3),
            "alarms": st.lists(st.sampled_from(["-PT15M", "PT0S", "-P1D", "-PT1H30M"]), max_size=3),
        }))  # fmt: skip
    return raw


def _told_after(raw: dict[str, Any]) -> bool:
    """A disclosure dated before its event is refused by design (its own test): leave it out."""
    told = raw.get("disclosed_at")
    if not told:
        return True
    day = parse_date_or_datetime("disclosed_at", told)[:10]
    return day >= parse_date_or_datetime("occurred_on", raw["occurred_on"])[:10]


RAW = {
    "disclosure": st.fixed_dictionaries(
        {"title": title, "body": text, "occurred_on": when},
        optional={
            "approximate": st.booleans(),
            "category": text,
            "disclosed_at": when,
            "answers": st.text("0123456789abcdefABCDEF", min_size=32, max_size=32),
            "content_note": text,
            "detail": st.sampled_from(["", "outline", "some", "full"]),
        },
    ).filter(_told_after),
    "event": events(),
    "agreement": st.fixed_dictionaries(
        {"title": title, "text": title},
        optional={"review_on": days.map(date.isoformat), "version": st.integers(1, 99)},
    ),
    "checkin": st.fixed_dictionaries(
        {"mood": st.integers(1, 10), "safety": st.integers(1, 10).map(str)},
        optional={"feelings": st.lists(text, max_size=5), "note": text},
    ),
    "milestone": st.fixed_dictionaries(
        {"title": title},
        optional={"due_on": days.map(date.isoformat), "done_at": when, "note": text},
    ),
    "headsup": st.fixed_dictionaries({"what": title}, optional={"response": text}),
    "trigger": st.fixed_dictionaries(
        {"what": title, "strength": st.integers(1, 10)},
        optional={"where": title, "felt_at": when},
    ),
    "anniversary": st.fixed_dictionaries(
        {"title": title, "on": days.map(date.isoformat)},
        optional={"lead_days": st.integers(0, 60)},
    ),
    "question": st.fixed_dictionaries(
        {"text": title}, optional={"setting": st.sampled_from(["at_home", "for_session"])}
    ),
    "homework": st.fixed_dictionaries(
        {"text": title, "event_id": st.just("ab" * 16), "original_start": when},
        optional={"for": st.sampled_from(["author", "partner", "both"])},
    ),
}
kind_and_raw = st.sampled_from(KINDS).flatmap(lambda k: st.tuples(st.just(k), RAW[k]))


@FAST
@given(kind_and_raw)
def test_validate_is_idempotent_and_json_safe(item: tuple[str, dict[str, Any]]) -> None:
    kind, raw = item
    fields = validate(kind, raw)
    assert validate(kind, fields) == fields
    stored = json.loads(json.dumps(fields, sort_keys=True))
    assert stored == fields
    assert validate(kind, stored) == fields
    entry = Entry("0" * 32, kind, "dev", "2026-11-01T09:00Z", "2026-11-01T09:00Z", "shared",
                  fields, 1, "dev")  # fmt: skip
    as_json = json.loads(json.dumps(entry.to_json("Alex")))
    assert {k: as_json[k] for k in fields} == fields
    assert as_json["title"] == entry.title


@FAST
@given(st.one_of(st.integers(max_value=0), st.integers(min_value=11)), st.booleans())
def test_mood_out_of_range_names_the_field(mood: int, as_text: bool) -> None:
    _raises("checkin", {"mood": str(mood) if as_text else mood, "safety": 5}, "mood")
    _raises("checkin", {"mood": 5, "safety": mood}, "safety")


@FAST
@given(st.sampled_from(["", "high", "5.5", "1e1", None, True, [5]]))
def test_mood_not_a_number_names_the_field(mood: object) -> None:
    _raises("checkin", {"mood": mood, "safety": 5}, "mood")


bad_dates = st.one_of(
    st.sampled_from(["2026-02-30", "2026-13-01", "26-11-01", "tomorrow", "2026/11/01",
                     "2026-11-01T25:00", "2026-11-01T10:61", "0"]),
    st.text(_CHARS, min_size=1, max_size=20).filter(lambda s: not s.strip()[:1].isdigit()),
)  # fmt: skip


@FAST
@given(bad_dates)
def test_malformed_dates_name_the_field(value: str) -> None:
    _raises("disclosure", {"title": "t", "occurred_on": value}, "occurred_on")
    _raises("event", {"title": "t", "start": value}, "start")
    _raises("event", {"title": "t", "start": "2026-11-01T10:00", "end": value}, "end")
    _raises("milestone", {"title": "t", "due_on": value}, "due_on")
    _raises("agreement", {"title": "t", "text": "x", "review_on": value}, "review_on")


@FAST
@given(
    st.sampled_from(["FREQ=SOMETIMES", "COUNT=3", "FREQ=DAILY;COUNT=x", "FREQ=WEEKLY;BYDAY=XX",
                     "FREQ=DAILY;UNTIL=notadate", "hello", "FREQ=DAILY;BOGUS=1"])
)  # fmt: skip
def test_malformed_rrule_names_the_field(rule: str) -> None:
    _raises("event", {"title": "t", "start": "2026-11-06T19:00", "rrule": rule}, "rrule")


@FAST
@given(moments, st.integers(1, 10_000), st.booleans())
def test_end_before_start_names_the_field(start: datetime, minutes: int, all_day: bool) -> None:
    if all_day:
        minutes = max(minutes, 24 * 60)
    end = start - timedelta(minutes=minutes)
    fmt = "%Y-%m-%d" if all_day else "%Y-%m-%dT%H:%M"
    raw = {"title": "t", "start": start.strftime(fmt), "end": end.strftime(fmt), "all_day": all_day}
    _raises("event", raw, "end")


def _raises(kind: str, raw: dict[str, Any], field: str) -> None:
    try:
        validate(kind, raw)
    except InvalidField as exc:
        assert exc.field == field, (exc.field, str(exc))
        assert str(exc).startswith(f"Invalid {field}:")
    else:
        raise AssertionError(f"{kind} {raw!r} was accepted")


def _formatted_afresh(text: str) -> str:
    """The moment as parsing and formatting it gives, with no shortcut for canonical text."""
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        return "refused"
    spec = "seconds" if moment.second else "minutes"
    return moment.replace(microsecond=0).isoformat(timespec=spec).replace("+00:00", "Z")


_pieces = st.tuples(
    st.sampled_from(["2026", "0000", "9999", "0001"]),
    st.sampled_from(["01", "12", "13", "00", "02", "1٢"]),
    st.sampled_from(["01", "28", "29", "30", "31", "00"]),
    st.sampled_from(["00", "23", "24", "09"]),
    st.sampled_from(["00", "59", "60", "30"]),
    st.sampled_from(["", ":00", ":01", ":59", ":60", ":00.5", ".5", ":07.000"]),
    st.sampled_from(["", "Z", "z", "+00:00", "-00:00", "+01:00", "-05:30", "+24:00", "+0100"]),
)


@settings(max_examples=400, deadline=None)
@given(_pieces)
def test_a_moment_already_in_canonical_form_reads_as_formatting_it_afresh(
    pieces: tuple[str, ...],
) -> None:
    """The shortcut for text already canonical (a partner's synced moments) gives exactly what
    parsing and formatting gives, and refuses exactly what it refuses."""
    year, month, day, hour, minute, seconds, offset = pieces
    text = f"{year}-{month}-{day}T{hour}:{minute}{seconds}{offset}"
    try:
        got = parse_date_or_datetime("start", text)
    except InvalidField:
        got = "refused"
    assert got == _formatted_afresh(text)
