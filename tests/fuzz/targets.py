"""Every fuzz target, by name (what ``make fuzz`` runs and ``make test`` replays)."""

from tests.fuzz.framework import Target
from tests.fuzz.target_calendar import CALENDAR
from tests.fuzz.target_hostile_relay import HOSTILE_RELAY
from tests.fuzz.target_invite import INVITE
from tests.fuzz.target_keyfile import KEYFILE
from tests.fuzz.target_relay import RELAY
from tests.fuzz.target_sync import APPLY, ENVELOPE

__all__ = ["TARGETS"]

TARGETS: dict[str, Target] = {
    t.name: t for t in (APPLY, ENVELOPE, INVITE, RELAY, CALENDAR, KEYFILE, HOSTILE_RELAY)
}
