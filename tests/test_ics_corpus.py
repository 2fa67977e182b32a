"""Calendars written by other programs (tests/data/calendars/, see its README): the occurrences
TrustVault computes after importing each must be those ``recurring-ical-events`` computes from
the file itself, and TrustVault's export must give that library the same occurrences again.

recurring-ical-events is an independent implementation (its own handling of RDATE, EXDATE,
RECURRENCE-ID and zones, on top of dateutil), so agreement is not TrustVault agreeing with itself.
"""

from pathlib import Path

import pytest

from bench.calendar_roundtrip import CORPUS, compare
from trustvault import ics
from trustvault.errors import InvalidField
from trustvault.vault import Vault

REFUSED = {
    # Google Calendar export whose EXDATE is broken on purpose: the whole file is refused in one
    # line naming the event (nothing half-imported).
    "parsing_error.ics": "event 2 of parsing_error.ics: it cannot be read",
}
RULE_REFUSED = {
    # Exchange's CDO escapes the RRULE's semicolons ("FREQ=DAILY\\;UNTIL=..."): not a rule.
    "issue_165_missing_event.ics": "'Sprint 25 Daily Standup' was not imported (its repeat rule: ",
}
COMPARED = sorted(
    p.name for p in CORPUS.glob("*.ics") if p.name not in REFUSED and p.name not in RULE_REFUSED
)


@pytest.mark.parametrize("name", COMPARED)
def test_occurrences_match_an_independent_implementation_and_survive_export(
    name: str, tmp_path: Path
) -> None:
    """The comparison itself lives in bench/calendar_roundtrip.py, which prints its figures."""
    c = compare(tmp_path, name)
    assert all("\n" not in note for note in c.notes)
    assert c.ours == c.theirs
    assert c.exported == c.theirs  # the export, read by the other implementation
    assert c.reimported == c.theirs  # the export, imported by another TrustVault vault


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
