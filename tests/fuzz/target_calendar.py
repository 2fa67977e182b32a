"""Fuzz target for the calendar importer: ``Actions.import_calendar`` on a real vault.

Inputs are calendars written by other programs, mutated: the test corpus that the installed
``icalendar`` package ships (Google, Outlook, Apple, Thunderbird exports and its own fuzz cases),
with lines dropped, doubled, swapped, truncated, values replaced by absurd ones (dates that do not
exist, durations past year 9999, rules that never match, unknown time zones), and whole
calendars assembled from such lines. An import must end in success or a one-line
``TrustVaultError`` within :data:`BUDGET_SECONDS` (the rule checks have a step budget), and what
it imported must export again. The input is the calendar's bytes, so a stored crasher does not
depend on the corpus.
"""

import shutil
import time
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.fuzz.framework import Finding, Target, one_line_error
from tests.fuzz.scratch import Factory, scratch
from tests.helpers import ManualClock
from tests.sync.sync_helpers import blank_vault
from trustvault.actions import Actions
from trustvault.errors import TrustVaultError
from trustvault.vault import Vault

__all__ = ["BUDGET_SECONDS", "CALENDAR"]

BUDGET_SECONDS = 10.0
"""The longest one import of a small file may take, on a loaded machine (issue 15: five rules
that never match took over 100 s)."""


@cache
def _corpus() -> list[bytes]:
    """The calendars icalendar tests itself with, if the installed package ships them."""
    import icalendar

    folder = Path(icalendar.__file__).parent / "tests"
    files = sorted(folder.glob("calendars/*.ics")) + sorted(folder.glob("events/*.ics"))
    return [p.read_bytes() for p in files if p.stat().st_size <= 20_000] or [_MINIMAL]


_MINIMAL = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:1@x\r\n"
    b"DTSTART:20261201T190000Z\r\nDTEND:20261201T200000Z\r\nSUMMARY:Dinner\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)

_VALUES = [
    "20261345T250000",
    "20260230",
    "99991231T235959Z",
    "00010101T000000",
    "P999999999W",
    "P99999999DT99H",
    "-P1D",
    "PT0S",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=SECONDLY;BYYEARDAY=366;BYMONTH=2;BYMONTHDAY=31",
    "FREQ=MINUTELY;BYSETPOS=-1;BYWEEKNO=53;BYDAY=MO",
    "FREQ=DAILY;COUNT=99999999999999999999",
    "FREQ=WEEKLY;INTERVAL=0",
    "FREQ=DAILY;UNTIL=19000101",
    "FREQ=NEVER",
    "Nowhere/Land",
    "",
    ";;;",
    "\\",
    "\x00",
    "é" * 300,
]
_LINES = [
    "DTSTART:{v}",
    "DTSTART;VALUE=DATE:{v}",
    "DTSTART;TZID={v}:20261201T190000",
    "DTSTART;TZID=Europe/Berlin:{v}",
    "DTEND:{v}",
    "DURATION:{v}",
    "RRULE:{v}",
    "EXDATE:{v}",
    "RDATE;VALUE=PERIOD:{v}/PT1H",
    "RECURRENCE-ID:{v}",
    "SUMMARY:{v}",
    "UID:{v}",
    "X-TRUSTVAULT-KIND:{v}",
    "BEGIN:VTIMEZONE",
    "END:VTIMEZONE",
    "TZID:{v}",
    "BEGIN:VEVENT",
    "END:VEVENT",
    "BEGIN:VALARM",
    "TRIGGER:{v}",
    "END:VALARM",
    " {v}",
]
_line = st.tuples(st.sampled_from(_LINES), st.sampled_from(_VALUES) | st.text(max_size=20)).map(
    lambda lv: lv[0].format(v=lv[1])
)
_mutation = st.one_of(
    st.tuples(st.just("drop"), st.integers(0, 400)),
    st.tuples(st.just("double"), st.integers(0, 400)),
    st.tuples(st.just("swap"), st.integers(0, 400), st.integers(0, 400)),
    st.tuples(
        st.just("value"), st.integers(0, 400), st.sampled_from(_VALUES) | st.text(max_size=20)
    ),
    st.tuples(st.just("insert"), st.integers(0, 400), _line),
    st.tuples(st.just("cut"), st.integers(0, 20_000)),
    st.tuples(st.just("byte"), st.integers(0, 20_000), st.integers(0, 255)),
)


def _mutated(seed: bytes, mutations: list[tuple[Any, ...]]) -> bytes:
    lines = seed.decode("utf-8", "surrogateescape").splitlines()
    for kind, *args in mutations:
        at = int(args[0]) % (len(lines) or 1) if lines else 0
        if kind == "drop" and lines:
            del lines[at]
        elif kind == "double" and lines:
            lines.insert(at, lines[at])
        elif kind == "swap" and lines:
            other = int(args[1]) % len(lines)
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "value" and lines:
            name = lines[at].split(":", 1)[0]
            lines[at] = f"{name}:{args[1]}"
        elif kind == "insert":
            lines.insert(at, str(args[1]))
    data = "\r\n".join(lines).encode("utf-8", "surrogateescape") + b"\r\n"
    for kind, *args in mutations:
        if kind == "cut":
            data = data[: int(args[0])]
        elif kind == "byte" and data:
            at = int(args[0]) % len(data)
            data = data[:at] + bytes([int(args[1])]) + data[at + 1 :]
    return data


_CLOSING = ["DTSTART:20261201T190000Z", "END:VEVENT", "END:VCALENDAR", ""]
_assembled = st.lists(_line, max_size=12).map(
    lambda lines: "\r\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:a@x", *lines, *_CLOSING]
    ).encode("utf-8", "surrogatepass")
)


def _inputs() -> st.SearchStrategy[bytes]:
    seeds = st.sampled_from(_corpus())
    mutated = st.tuples(seeds, st.lists(_mutation, max_size=5)).map(lambda sm: _mutated(*sm))
    return st.one_of(mutated, mutated, _assembled, st.binary(max_size=200))


@cache
def _blank() -> tuple[Path, bytes]:
    root = scratch("calendar-template")
    vault = blank_vault(Factory(), root / "vault", "Alex", ManualClock())  # type: ignore[arg-type]
    key = vault.key
    vault.close()
    return root / "vault", key


def check_calendar(data: bytes) -> None:
    template, key = _blank()
    folder = scratch("calendar") / "vault"
    shutil.copytree(template, folder)
    actions = Actions(Vault.open_with_key(folder, key, clock=ManualClock()))
    try:
        started = time.monotonic()
        try:
            actions.import_calendar(data, share=True, source="fuzz.ics")
            actions.export_calendar(neutral_titles=False)
        except TrustVaultError as exc:
            one_line_error(exc)
        if time.monotonic() - started > BUDGET_SECONDS:
            raise Finding(f"an import took longer than {BUDGET_SECONDS:.0f} s")
    finally:
        actions.close()
        shutil.rmtree(folder.parent)


CALENDAR = Target("calendar", _inputs, check_calendar, brief=30)
