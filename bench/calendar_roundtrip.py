"""Calendar round trip (issue 15, items 5 and 8): real calendars from other programs
(``tests/data/calendars/``, see its README) imported, expanded and exported.

For each calendar, over two years from its first event: the occurrences TrustVault computes
after importing it, those ``recurring-ical-events`` (an independent implementation) computes from
the file, those it computes from TrustVault's export, and those TrustVault computes after
importing that export into a second vault. The figures: calendars, occurrences compared,
mismatches (occurrences in one set and not the other), and the round-trip rate (calendars whose
export gives the same occurrences elsewhere and here). Also the import rate of a 2,000-event file.
``tests/test_ics_corpus.py`` asserts the same comparison, calendar by calendar.
"""

import time
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import recurring_ical_events

from bench import Figures, Run, benchmark
from trustvault import calendar, ics
from trustvault.errors import InvalidField
from trustvault.vault import Vault

__all__ = ["CORPUS", "Comparison", "compare", "oracle", "ours"]

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "calendars"
WINDOW = timedelta(days=730)
PASSPHRASE = "benchmark passphrase"

Occurrence = tuple[str, str, float, str]


@dataclass
class Comparison:
    """The four sets of one calendar's occurrences in its window, and the import's notes."""

    theirs: set[Occurrence]  # recurring-ical-events on the file
    ours: set[Occurrence]  # TrustVault after importing the file
    exported: set[Occurrence]  # recurring-ical-events on TrustVault's export
    reimported: set[Occurrence]  # TrustVault after importing the export elsewhere
    notes: list[str]


def compare(folder: Path, name: str) -> Comparison:
    """Import ``name`` into a new vault under ``folder``, export it into a second one."""
    data = (CORPUS / name).read_bytes()
    with _vault(folder / "first") as first_vault:
        prepared = ics.prepare(first_vault, data, name)
        added = ics.store(first_vault, prepared, None)
        if not added:
            raise InvalidField("calendar file", f"{name}: nothing imported ({prepared.notes})")
        start = min(calendar.event_span(e)[0].replace(tzinfo=None) for e in added).date()
        first = start - timedelta(days=3)
        window = (first, first + WINDOW + timedelta(days=3))
        exported = ics.export_ics(first_vault.entries.all("event"), neutral_titles=False)
        mine = _within(ours(added, *window), first)
    with _vault(folder / "second") as second_vault:
        again = ics.store(second_vault, ics.prepare(second_vault, exported, "export.ics"), None)
        reimported = _within(ours(again, *window), first)
    return Comparison(
        _within(oracle(data, *window), first),
        mine,
        _within(oracle(exported, *window), first),
        reimported,
        prepared.notes,
    )


def oracle(data: bytes, first: date, last: date) -> set[Occurrence]:
    """recurring-ical-events' occurrences of ``data`` touching the days ``first``..``last``."""
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
    """TrustVault's occurrences of ``events`` over the same days."""
    out = set()
    for o in calendar.expand(events, first, last):
        start, end = (o.start.date(), o.end.date()) if o.all_day else (o.start, o.end)
        out.add(_normal(start, end, o.title))
    return out


def _normal(start: date, end: date, title: str) -> Occurrence:
    """(form, start, length, title): UTC instants for zoned times, wall-clock for floating."""
    if not isinstance(start, datetime):
        last = end.date() if isinstance(end, datetime) else end
        # An all-day event whose DTEND is its DTSTART lasts its day in TrustVault.
        return ("day", start.isoformat(), max((last - start).days, 1), title.strip())
    assert isinstance(end, datetime)
    if start.tzinfo is None:
        length = (end.replace(tzinfo=None) - start).total_seconds()
        return ("floating", start.isoformat(), length, title.strip())
    return ("utc", start.astimezone(UTC).isoformat(), (end - start).total_seconds(), title.strip())


def _within(found: set[Occurrence], first: date) -> set[Occurrence]:
    """Occurrences starting a few days inside the window both ways: the two libraries draw a
    window's edge in different zones."""
    low, high = (first + timedelta(days=2)).isoformat(), (first + WINDOW).isoformat()
    return {o for o in found if low <= o[1][:10] <= high}


class _vault:
    def __init__(self, folder: Path) -> None:
        self.vault = Vault.create(folder, PASSPHRASE, "Bench", kdf_profile="interactive")

    def __enter__(self) -> Vault:
        return self.vault

    def __exit__(self, *exc: object) -> None:
        self.vault.close()


_EVENT = (
    "BEGIN:VEVENT\r\nUID:e{i}@example.org\r\nDTSTART;TZID=Europe/Paris:20270104T190000\r\n"
    "DTEND;TZID=Europe/Paris:20270104T200000\r\nRRULE:FREQ=WEEKLY;COUNT=10\r\n"
    "EXDATE;TZID=Europe/Paris:20270111T190000\r\nSUMMARY:Event {i}\r\nEND:VEVENT\r\n"
)


@benchmark("calendar")
def calendar_round_trip(run: Run) -> Figures:
    calendars = occurrences = mismatches = same = refused = 0
    for path in sorted(CORPUS.glob("*.ics")):
        try:
            c = compare(run.folder / path.stem, path.name)
        except InvalidField:
            refused += 1  # said in one line: see tests/test_ics_corpus.py
            continue
        calendars += 1
        occurrences += len(c.theirs)
        mismatches += len(c.theirs ^ c.ours)
        same += c.exported == c.ours == c.reimported
    rate = same / calendars if calendars else 0.0
    run.say(f"   {calendars} calendars, {occurrences} occurrences compared with "
            f"recurring-ical-events: {mismatches} mismatches; {refused} refused")  # fmt: skip
    run.say(f"   round trip (export read elsewhere, and re-imported): {same} of {calendars}")

    n = 2000
    body = "".join(_EVENT.format(i=i) for i in range(n))
    data = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//b//EN\r\n{body}END:VCALENDAR\r\n".encode()
    with _vault(run.folder / "big") as vault:
        started = time.perf_counter()
        ics.store(vault, ics.prepare(vault, data, "big.ics"), "shared")
        seconds = time.perf_counter() - started
    run.say(f"   import of {n} repeating events: {n / seconds:,.0f} events/s")
    return {
        "calendars": calendars,
        "occurrences": occurrences,
        "mismatches": mismatches,
        "round_trip_rate": rate,
        "refused": refused,
        "import_events_per_s": n / seconds,
    }
