"""ICS export and import through the real icalendar library, against a real vault."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from trustvault.entries.kinds import validate
from trustvault.errors import InvalidField
from trustvault.ics import NEUTRAL_TITLE, export_ics, import_ics, parse_ics, prepare
from trustvault.vault import Vault

SECRET_WORDS = ("Luigi", "anniversary", "Hotel Rosa", "counsellor Dr Lee")


def _seed(vault: Vault) -> None:
    vault.entries.add(
        "event",
        {
            "title": "Date night at Luigi's",
            "start": "2026-11-06T19:00",
            "end": "2026-11-06T22:00",
            "rrule": "FREQ=WEEKLY;COUNT=4",
            "event_kind": "date_night",
            "location": "Luigi's, Via Roma 3",
            "notes": "Bring the anniversary letter",
        },
    )
    vault.entries.add(
        "event",
        {
            "title": "Weekend away",
            "start": "2026-11-27",
            "end": "2026-11-29",
            "all_day": True,
            "location": "Hotel Rosa",
        },
    )
    vault.entries.add(
        "event",
        {
            "title": "Therapy",
            "start": "2026-11-03T17:00Z",
            "end": "2026-11-03T18:00Z",
            "event_kind": "therapy",
            "notes": "counsellor Dr Lee",
            "rrule": "FREQ=WEEKLY;UNTIL=20261215T170000Z",
        },
    )
    vault.entries.add("disclosure", {"title": "Not an event", "occurred_on": "2026-01-01"})


def test_export_is_valid_icalendar_with_rrule_and_all_day(vault: Vault) -> None:
    _seed(vault)
    data = export_ics(vault.entries.all(), neutral_titles=False)
    cal = icalendar.Calendar.from_ical(data)
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Date night at Luigi's", "Weekend away", "Therapy"}
    date_night = events["Date night at Luigi's"]
    assert date_night["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=4"
    assert date_night["DTSTART"].dt == datetime(2026, 11, 6, 19, 0)
    assert str(date_night["LOCATION"]) == "Luigi's, Via Roma 3"
    away = events["Weekend away"]
    assert away["DTSTART"].dt == date(2026, 11, 27)
    assert away["DTEND"].dt == date(2026, 11, 30)  # exclusive, as RFC 5545 wants
    assert all(str(e["UID"]).endswith("@trustvault") for e in events.values())


def test_neutral_titles_leak_nothing(vault: Vault) -> None:
    _seed(vault)
    data = export_ics(vault.entries.all("event"), neutral_titles=True)
    for word in (*SECRET_WORDS, "Date night", "Weekend", "Therapy", "date_night", "therapy"):
        assert word.encode() not in data
    cal = icalendar.Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert len(events) == 3
    for ev in events:
        assert str(ev["SUMMARY"]) == NEUTRAL_TITLE
        for prop in ("DESCRIPTION", "LOCATION", "CATEGORIES", "X-TRUSTVAULT-KIND"):
            assert prop not in ev
    # The times and the recurrence are still there, so the calendar is still useful.
    assert sorted(ev["RRULE"].to_ical() for ev in events if "RRULE" in ev) == [
        b"FREQ=WEEKLY;COUNT=4",
        b"FREQ=WEEKLY;UNTIL=20261215T170000Z",
    ]


def test_round_trip_into_a_second_vault(vault: Vault) -> None:
    _seed(vault)
    data = export_ics(vault.entries.all("event"), neutral_titles=False)
    other = Vault.create(
        vault.folder.parent / "other", "another passphrase", "Sam", kdf_profile="interactive"
    )
    try:
        added, skipped = import_ics(other, data, source="shared.ics")
        assert skipped == 0
        assert len(added) == 3

        def key(fields: dict[str, object]) -> tuple[object, ...]:
            names = ("title", "start", "end", "all_day", "location", "notes", "event_kind", "rrule")
            return tuple(fields[k] for k in names)

        original = sorted(key(e.fields) for e in vault.entries.all("event"))
        assert sorted(key(e.fields) for e in other.entries.all("event")) == original
    finally:
        other.close()


def test_reimport_adds_nothing_twice(vault: Vault) -> None:
    data = _external_calendar()
    added, skipped = import_ics(vault, data, source="work.ics")
    assert (len(added), skipped) == (3, 0)
    again, skipped = import_ics(vault, data, source="work.ics")
    assert (again, skipped) == ([], 3)
    assert vault.entries.count("event") == 3


def test_own_export_is_recognised(vault: Vault) -> None:
    _seed(vault)
    data = export_ics(vault.entries.all("event"), neutral_titles=True)
    added, skipped = import_ics(vault, data)
    assert (added, skipped) == ([], 3)
    assert vault.entries.count("event") == 3


def test_external_file_is_mapped(vault: Vault) -> None:
    added, _ = import_ics(vault, _external_calendar(), visibility="private")
    by_title = {e.title: e for e in added}
    paris = by_title["Dinner"].fields
    assert paris["start"] == "2026-11-06T19:00"  # TZID time kept as wall-clock time
    assert paris["rrule"] == "FREQ=WEEKLY;UNTIL=20261231T180000Z"
    utc = by_title["Call"].fields
    assert (utc["start"], utc["end"]) == ("2026-11-02T08:00Z", "2026-11-02T08:45Z")  # DURATION
    trip = by_title["Trip"].fields
    assert (trip["all_day"], trip["start"], trip["end"]) == (True, "2026-11-20", "2026-11-22")
    assert all(e.visibility == "private" for e in added)
    assert all(e.fields["event_kind"] == "other" for e in added)


def test_recurrence_overrides_are_skipped() -> None:
    data = _calendar(
        "UID:r1\nDTSTART:20261106T190000\nSUMMARY:Weekly\nRRULE:FREQ=WEEKLY",
        "UID:r1\nRECURRENCE-ID:20261113T190000\nDTSTART:20261113T200000\nSUMMARY:Moved",
    )
    assert [f["title"] for f in parse_ics(data)] == ["Weekly"]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"garbage", "not an iCalendar file"),
        (b"\x00\xff\xfe binary", "not an iCalendar file"),
        (b"BEGIN:VEVENT\nEND:VEVENT\n", "VCALENDAR"),
    ],
)
def test_garbage_is_refused_naming_the_file(vault: Vault, data: bytes, words: str) -> None:
    with pytest.raises(InvalidField) as info:
        import_ics(vault, data, source="/tmp/broken.ics")
    assert info.value.field == "calendar file"
    assert "/tmp/broken.ics" in str(info.value)
    assert words in str(info.value)
    assert vault.entries.count() == 0


def test_an_event_without_a_start_is_left_out_in_one_line(vault: Vault) -> None:
    """A VEVENT with no DTSTART (what some programs write for a task-like entry) has no day to
    be shown on: it is named in the import's notes, and the other events come in."""
    data = _calendar("UID:a\nSUMMARY:Someday", "UID:b\nDTSTART:20261106T190000\nSUMMARY:Dinner")
    prepared = prepare(vault, data, "cal.ics")
    assert [f["title"] for f in prepared.fresh] == ["Dinner"]
    assert prepared.notes == ["event 1 of cal.ics ('Someday') was not imported: it has no start."]


def test_one_bad_event_imports_nothing(vault: Vault) -> None:
    data = _calendar(
        "UID:ok\nDTSTART:20261106T190000\nDTEND:20261106T200000\nSUMMARY:Fine",
        "UID:bad\nDTSTART:20261106T190000\nDTEND:20261105T200000\nSUMMARY:Backwards",
    )
    with pytest.raises(InvalidField) as info:
        import_ics(vault, data, source="x.ics")
    assert info.value.field == "end"
    assert "Backwards" in str(info.value)
    assert "x.ics" in str(info.value)
    assert vault.entries.count() == 0
    # Nothing remembered either: a corrected file imports in full.
    fixed = data.replace(b"DTEND:20261105T200000", b"DTEND:20261106T210000")
    assert len(import_ics(vault, fixed)[0]) == 2


def _calendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\n{e}\nEND:VEVENT\n" for e in events)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n").encode()


def _external_calendar() -> bytes:
    return _calendar(
        "UID:dinner@example.com\nDTSTART;TZID=Europe/Paris:20261106T190000\n"
        "DTEND;TZID=Europe/Paris:20261106T210000\nRRULE:FREQ=WEEKLY;UNTIL=20261231T180000Z\n"
        "SUMMARY:Dinner\nLOCATION:Chez Nous",
        "UID:call@example.com\nDTSTART:20261102T080000Z\nDURATION:PT45M\nSUMMARY:Call",
        "UID:trip@example.com\nDTSTART;VALUE=DATE:20261120\nDTEND;VALUE=DATE:20261123\n"
        "SUMMARY:Trip",
    )


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        pytest.param("DTSTART:20261341T190000", "event 1 of cal.ics", id="month 13"),
        pytest.param("DTSTART:20261201T190000\r\nDURATION:P99999999W", "event 1", id="huge"),
        pytest.param("DTSTART;VALUE=DATE:2026120", "event 1", id="short date"),
    ],
)
def test_a_broken_event_is_one_line_naming_it(body: str, problem: str) -> None:
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Dinner\r\n"
        f"{body}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    with pytest.raises(InvalidField) as refused:
        parse_ics(data, "cal.ics")
    assert problem in refused.value.message and "nothing was imported" in refused.value.message
    assert "\n" not in refused.value.message


# -- zones, exceptions, moved occurrences, reminders -------------------------------------------

OUTLOOK_ZONE = (
    "BEGIN:VTIMEZONE\nTZID:W. Europe Standard Time\nBEGIN:STANDARD\nDTSTART:16010101T030000\n"
    "TZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\n"
    "END:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:+0100\n"
    "TZOFFSETTO:+0200\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE"
)


def _zoned(zone_block: str, tzid: str) -> bytes:
    event = (
        f'BEGIN:VEVENT\nUID:w1\nDTSTART;TZID="{tzid}":20261016T190000\n'
        f'DTEND;TZID="{tzid}":20261016T210000\nRRULE:FREQ=WEEKLY;COUNT=3\nSUMMARY:Yoga\n'
        "END:VEVENT"
    )
    text = (
        f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{zone_block}\n{event}\nEND:VCALENDAR\n"
    )
    return text.replace("\n", "\r\n").encode()


@pytest.mark.parametrize(
    ("block", "tzid"),
    [
        pytest.param(OUTLOOK_ZONE, "W. Europe Standard Time", id="Outlook's Windows name"),
        pytest.param(
            OUTLOOK_ZONE.replace("W. Europe Standard Time", "(UTC+01:00) Amsterdam"),
            "(UTC+01:00) Amsterdam",
            id="a made-up name",
        ),
    ],
)
def test_a_zone_not_named_the_iana_way_keeps_its_daylight_saving(block: str, tzid: str) -> None:
    [fields] = parse_ics(_zoned(block, tzid))
    zoned = validate("event", fields)
    assert zoned["start"] == "2026-10-16T19:00"
    # A zone with the same offsets as the file's VTIMEZONE: 19:00 there before and after 25 Oct.
    assert ZoneInfo(zoned["tz"]).utcoffset(datetime(2026, 10, 16)) == timedelta(hours=2)
    assert ZoneInfo(zoned["tz"]).utcoffset(datetime(2026, 10, 30)) == timedelta(hours=1)


def test_a_zone_that_matches_nothing_is_kept_in_utc_and_said(vault: Vault) -> None:
    odd = OUTLOOK_ZONE.replace("+0200", "+0217").replace("W. Europe Standard Time", "Odd")
    prepared = prepare(vault, _zoned(odd, "Odd"), "odd.ics")
    [fields] = prepared.fresh
    assert (fields["start"], "tz" in fields) == ("2026-10-16T16:43Z", False)
    assert prepared.notes == [
        "'Yoga': its time zone 'Odd' matches no known zone; its times were kept in UTC "
        "(a repeat may move an hour at daylight saving)."
    ]


def test_moved_and_cancelled_occurrences_and_reminders_survive_a_round_trip(
    vault: Vault,
) -> None:
    data = _calendar(
        "UID:r1\nDTSTART;TZID=Europe/Paris:20261106T190000\nDTEND;TZID=Europe/Paris:"
        "20261106T210000\nSUMMARY:Weekly\nRRULE:FREQ=WEEKLY;COUNT=5\n"
        "EXDATE:20261120T180000Z\nBEGIN:VALARM\nACTION:DISPLAY\nDESCRIPTION:Weekly\n"
        "TRIGGER:-PT30M\nEND:VALARM\nBEGIN:VALARM\nACTION:DISPLAY\nDESCRIPTION:x\n"
        "TRIGGER;RELATED=END:PT0S\nEND:VALARM",
        "UID:r1\nRECURRENCE-ID;TZID=Europe/Paris:20261113T190000\n"
        "DTSTART;TZID=Europe/Paris:20261114T100000\nDTEND;TZID=Europe/Paris:20261114T120000\n"
        "SUMMARY:Moved to Saturday",
        "UID:r1\nRECURRENCE-ID;TZID=Europe/Paris:20261127T190000\nSTATUS:CANCELLED\n"
        "DTSTART;TZID=Europe/Paris:20261127T190000\nSUMMARY:Weekly",
        "UID:lonely\nRECURRENCE-ID:20261201T090000Z\nDTSTART:20261201T100000Z\nSUMMARY:Alone",
    )
    added, _ = import_ics(vault, data, source="r.ics")
    by_title = {e.title: e.fields for e in added}
    weekly = by_title["Weekly"]
    assert weekly["exdates"] == ["2026-11-20T19:00", "2026-11-27T19:00"]
    moved = {"of": "2026-11-13T19:00", "start": "2026-11-14T10:00", "end": "2026-11-14T12:00"}
    assert weekly["overrides"] == [{**moved, "title": "Moved to Saturday"}]
    assert weekly["alarms"] == ["-PT30M", "PT2H"]
    assert by_title["Alone"]["start"] == "2026-12-01T10:00Z" and not by_title["Alone"]["rrule"]

    exported = export_ics(vault.entries.all("event"), neutral_titles=True)
    cal = icalendar.Calendar.from_ical(exported)
    events = [e for e in cal.walk("VEVENT") if "RRULE" in e]
    assert [str(a["DESCRIPTION"]) for a in events[0].walk("VALARM")] == ["Reminder"] * 2
    assert b"Moved to Saturday" not in exported and b"Weekly" not in exported
    assert b"RECURRENCE-ID;TZID=Europe/Paris:20261113T190000" in exported
    assert b"BEGIN:VTIMEZONE" in exported and b"TZID:Europe/Paris" in exported

    other = Vault.create(vault.folder.parent / "other", "another passphrase", "Sam",
                         kdf_profile="interactive")  # fmt: skip
    try:
        again, _ = import_ics(other, export_ics(vault.entries.all("event"), neutral_titles=False))
        keys = ("start", "end", "tz", "rrule", "exdates", "overrides", "alarms")
        assert {e.title: [e.fields.get(k) for k in keys] for e in again} == {
            e.title: [e.fields.get(k) for k in keys] for e in vault.entries.all("event")
        }
    finally:
        other.close()


def test_the_exported_zone_rules_cover_the_decades_a_weekly_event_goes_on(vault: Vault) -> None:
    """A program that reads the VTIMEZONE rather than the IANA name (icalendar's default ends
    them in 2038) still puts a summer evening of 2040 at 19:00 Paris time."""
    vault.entries.add("event", {"title": "Date night", "start": "2026-10-16T19:00",
                                "tz": "Europe/Paris", "rrule": "FREQ=WEEKLY"})  # fmt: skip
    cal = icalendar.Calendar.from_ical(export_ics(vault.entries.all(), neutral_titles=True))
    [zone] = cal.walk("VTIMEZONE")
    rules = zone.to_tz(lookup_tzid=False)
    assert datetime(2040, 7, 6, 19, tzinfo=rules).utcoffset() == timedelta(hours=2)
    assert datetime(2040, 12, 7, 19, tzinfo=rules).utcoffset() == timedelta(hours=1)
