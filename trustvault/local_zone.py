"""This computer's time zone by its IANA name, so an event a person enters with their local UTC
offset can keep its wall-clock time across daylight-saving changes.

A weekly 19:00 typed as ``2026-10-16T19:00+02:00`` in Paris means "19:00 in Paris", not "17:00
UTC": stored with its fixed offset it would show at 20:00 once Paris leaves summer time. When
the offset given is the one this computer's zone has at that moment, the event is taken to be
in that zone. Anywhere the name cannot be known (no ``TZ``, no ``/etc/localtime`` link, Windows),
nothing is guessed and the offset stays as given.
"""

import contextlib
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["in_local_zone", "local_zone_name"]


def local_zone_name() -> str | None:
    """``TZ`` if it names a zone, else the zone ``/etc/localtime`` links to, else None."""
    candidates = []
    if os.environ.get("TZ"):
        candidates.append(os.environ["TZ"].lstrip(":"))
    try:
        link = os.readlink("/etc/localtime")
    except OSError:
        link = ""
    if "zoneinfo/" in link:
        candidates.append(link.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError, UnicodeDecodeError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        try:
            ZoneInfo(name)
        except (ValueError, OSError, KeyError):  # KeyError: ZoneInfoNotFoundError
            continue
        return name
    return None


def in_local_zone(fields: Mapping[str, Any], zone: str | None) -> dict[str, Any]:
    """``fields`` of a repeating event with ``tz`` set to ``zone`` when its start was given
    with the offset ``zone`` has then; otherwise unchanged. Validation turns the times into
    wall-clock times in the zone."""
    out = dict(fields)
    start = fields.get("start")
    if not zone or fields.get("tz") or not fields.get("rrule") or fields.get("all_day"):
        return out
    if not isinstance(start, str) or len(start.strip()) <= 10:
        return out
    try:
        moment = datetime.fromisoformat(start.strip().replace(" ", "T", 1))
    except ValueError:
        return out  # validation names the problem
    offset = moment.utcoffset()
    if offset is not None and moment.astimezone(ZoneInfo(zone)).utcoffset() == offset:
        out["tz"] = zone
    return out
