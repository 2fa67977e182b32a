"""Calendars written by other programs (tests/data/calendars/, see its README): the occurrences
TrustVault computes after importing each must be those ``recurring-ical-events`` computes from
the file itself, and TrustVault's export must give that library the same occurrences again.

recurring-ical-events is an independent implementation (its own handling of RDATE, EXDATE,
RECURRENCE-ID and zones, on top of dateutil), so agreement is not TrustVault agreeing with itself.
"""

import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import recurring_ical_events

from tests.helpers import PASSPHRASE
from trustvault import calendar, ics
from trustvault.errors import InvalidField
from trustvault.vault import Vault

CORPUS = Path(__file__).parent / "data" / "calendars"
WINDOW = timedelta(days=730)

REFUSED = {
    # Google Calendar export whose EXDATE is broken on purpose: the whole file is refused in one
    # line naming the event (nothing half-imported).
    "parsing_error.ics": "event 2 of parsing_error.ics: it cannot be read",
}
RULE_REFUSED = {
    # Exchange's CDO escapes the RRULE's semicolons ("FREQ=DAILY\;UNTIL=..."): not a rule.
    "issue_165_missing_event.ics": "'Sprint 25 Daily Standup' was not imported (its repeat rule: ",
}
COMPARED = sorted(
    p.name for p in CORPUS.glob("*.ics") if p.name not in REFUSED and p.name not in RULE_REFUSED
)

Occurrence = tuple[str, str, float, str]


def _normal(start: date, end: date, title: str) -> Occurrence:
    """(form, start, length, title): UTC instants for zoned times, wall-clock for floating."""
    if not isinstance(start, datetime):
        last = end.date() if isinstance(end, datetime) else end
        # An all-day event whose DTEND is its DTSTART lasts its day in TrustVault.
        return ("day", start.isoformat(), max((last - start).days, 1), title.strip())
    if start.tzinfo is None:
        length = (end.replace(tzinfo=None) - start).total_seconds()  # type: ignore[union-attr]
        return ("floating", start.isoformat(), length, title.strip())
    utc = start.astimezone(UTC).isoformat()
    return ("utc", utc, (end - start).total_seconds(), title.strip())  # type: ignore[operator]


def oracle(data: bytes, first: date, last: date) -> set[Occurrence]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # icalendar's notes on the zones it guessed
        cal = icalendar.Calendar.from_ical(data)
        found = recurring_ical_events.of(cal).between(first, last)
    out = set()
    for c in found:
        start = c["DTSTART"].dt
        end = c["DTEND"].dt if "DTEND" in c else start
        out.add(_normal(start, end, str(c.get("SUMMARY", "")) or "Untitled event"))
    return out


def ours(events: list[Any], first: date, last: date) -> set[Occurrence]:
    out = set()
    for o in calendar.expand(events, first, last):
        start, end = (o.start.date(), o.end.date()) if o.all_day else (o.start, o.end)
        out.add(_normal(start, end, o.title))
    return out


def within(found: set[Occurrence], first: date) -> set[Occurrence]:
    """Occurrences starting in the window, a few days inside it both ways: the two libraries
    draw a window's edge in different zones."""
    low, high = (first + timedelta(days=2)).isoformat(), (first + WINDOW).isoformat()
    return {o for o in found if low <= o[1][:10] <= high}


@pytest.mark.parametrize("name", COMPARED)
def test_occurrences_match_an_independent_implementation_and_survive_export(
    vault: Vault, name: str, tmp_path: Path
) -> None:
    data = (CORPUS / name).read_bytes()
    prepared = ics.prepare(vault, data, name)
    assert all("\n" not in note for note in prepared.notes)
    added = ics.store(vault, prepared, None)
    assert added, f"{name}: nothing imported ({prepared.notes})"
    first = min(calendar.event_span(e)[0].replace(tzinfo=None) for e in added).date()
    first -= timedelta(days=3)
    window = (first, first + WINDOW + timedelta(days=3))
    theirs = within(oracle(data, *window), first)
    assert within(ours(added, *window), first) == theirs
    # Elsewhere: the export, read by the other implementation, gives the same occurrences.
    exported = ics.export_ics(vault.entries.all("event"), neutral_titles=False)
    assert within(oracle(exported, *window), first) == theirs
    # And here again: a second vault importing the export computes the same.
    other = Vault.create(tmp_path / "other", PASSPHRASE, "Sam", kdf_profile="interactive")
    try:
        again = ics.store(other, ics.prepare(other, exported, "export.ics"), None)
        assert within(ours(again, *window), first) == theirs
    finally:
        other.close()


@pytest.mark.parametrize(("name", "words"), REFUSED.items())
def test_a_broken_calendar_is_refused_in_one_line(vault: Vault, name: str, words: str) -> None:
    with pytest.raises(InvalidField) as refused:
        ics.prepare(vault, (CORPUS / name).read_bytes(), name)
    assert words in refused.value.message and "\n" not in refused.value.message
    assert vault.entries.count() == 0


@pytest.mark.parametrize(("name", "words"), RULE_REFUSED.items())
def test_a_refused_rule_is_said_in_one_line(vault: Vault, name: str, words: str) -> None:
    prepared = ics.prepare(vault, (CORPUS / name).read_bytes(), name)
    assert prepared.fresh == []
    assert [n for n in prepared.notes if n.startswith(words)], prepared.notes


def test_the_corpus_has_what_it_claims() -> None:
    """The comparison covers zones from each family of writers, exceptions, extra dates, moved
    occurrences and reminders; a corpus that lost them would prove little."""
    text = b"".join((CORPUS / n).read_bytes() for n in COMPARED)
    needles = (b"Google", b"Mozilla", b"Microsoft Exchange", b"EXDATE", b"RDATE",
               b"RECURRENCE-ID", b"VALARM", b"DURATION", b"VALUE=DATE", b"VTIMEZONE")  # fmt: skip
    for needle in needles:
        assert needle in text
    assert len(COMPARED) >= 50
