"""The largest event a device may send still seals under a relay's default limit (1 MiB).

Events carry lists (exceptions, extra dates, moved occurrences with titles, reminders); their
bounds in :mod:`trustvault.entries.event_fields` are chosen so that, with notes at the longest
text an entry may hold and every list full of the characters that take the most bytes (a control
character, escaped by the op's JSON and again by the payload's), the op fits one envelope.
"""

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.sync.sync_helpers import paired_couple
from trustvault.entries.event_fields import MAX_ALARMS, MAX_DATES, MAX_OVERRIDES
from trustvault.entries.parsing import MAX_TEXT
from trustvault.relay.limits import Limits
from trustvault.storage import outbox_store


def test_the_largest_event_seals_under_the_relays_default_limit(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    first = date(2026, 1, 5)
    days = [(first + timedelta(days=7 * i)).isoformat() + "T19:00:05" for i in range(2000)]
    fields = {
        "title": "\x01" * 200,
        "notes": "\x01" * MAX_TEXT,
        "location": "\x01" * 300,
        "start": days[0],
        "end": days[0],
        "tz": "America/Argentina/ComodRivadavia",
        "rrule": "FREQ=WEEKLY",
        "exdates": days[1 : 1 + MAX_DATES],
        "rdates": [d.replace("T19", "T18") for d in days[1 : 1 + MAX_DATES]],
        "overrides": [
            {
                "of": d,
                "start": d.replace("T19", "T20"),
                "end": d.replace("T19", "T21"),
                "title": "\x01" * 200,
            }
            for d in days[1 + MAX_DATES : 1 + MAX_DATES + MAX_OVERRIDES]
        ],
        "alarms": [f"-PT{m}M" for m in range(1, MAX_ALARMS + 1)],
    }
    couple = paired_couple(tmp_path / "couple", tmp_path_factory)
    try:
        entry = couple.a.entries.add("event", fields)
        couple.sa.sync()
        (size,) = [len(blob) for _, blob, _, _ in outbox_store.envelopes(couple.a.conn)]
        assert size <= Limits().max_envelope_bytes
        couple.sb.sync()
        assert couple.b.entries.get(entry.id).fields == entry.fields
    finally:
        couple.close()
