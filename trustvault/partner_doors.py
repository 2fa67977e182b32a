"""The doors between the two partners: pairing, sync, the pause, and closing the shared space
(a part of :class:`trustvault.actions.Actions`, which the faces use; split out to keep each
module small).
"""

from datetime import timedelta
from typing import Any

from trustvault import pauses
from trustvault.results import Closing, PartnerInfo, Pause, SyncResult
from trustvault.storage.transaction import transaction
from trustvault.sync import closing, pairing, receipt_timing, send_hold
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

__all__ = ["PartnerDoors"]


class PartnerDoors:
    """The partner's part of the one door; :class:`~trustvault.actions.Actions` sets these."""

    _vault: Vault
    _sync: SyncService

    # -- pauses ------------------------------------------------------------------------------

    def pause(self, length: timedelta) -> Pause:
        """ "I need a pause", back in ``length`` (20 minutes to 24 hours), no reason asked: it
        reaches the partner's device at the next sync, ahead of any share in its hold."""
        with transaction(self._vault.conn):
            return self._sync.send_pause(pauses.start(self._vault, length))

    def extend_pause(self, more: timedelta = pauses.MORE) -> Pause:
        """ "30 more minutes" on the pause that is on, by either partner."""
        with transaction(self._vault.conn):
            return self._sync.send_pause(pauses.extend(self._vault, more))

    def end_pause(self) -> Pause:
        """ "I'm back" (or "Ready" when the return comes), by either partner: a return kept."""
        with transaction(self._vault.conn):
            return self._sync.send_pause(pauses.end(self._vault))

    # -- pairing -----------------------------------------------------------------------------

    def invite(self, spec: dict[str, Any], ttl: timedelta = pairing.DEFAULT_TTL) -> str:
        """Make an invite code for the medium ``spec`` (:mod:`trustvault.medium`)."""
        return self._sync.invite(spec, ttl)

    def join(self, code: str, spec: dict[str, Any] | None = None) -> PartnerInfo:
        """Answer the partner's invite; ``spec`` names the shared folder (relay codes need none)."""
        return self._sync.join(code, spec)

    def unpair(self, *, anyway: bool = False) -> None:
        """Stop syncing (or cancel a pending invite or join); every entry stays on this device.

        Waits (a :class:`PairingError` that says why) while a withdrawal has not reached the
        partner's device; ``anyway`` unpairs regardless, leaving the partner what it has.
        """
        self._sync.unpair(anyway=anyway)

    def verify(self) -> PartnerInfo:
        """Mark the partner's current key verified, after comparing safety numbers aloud."""
        return self._sync.verify()

    def set_daily_receipts(self, on: bool) -> None:
        """Tell the partner's device what arrived once a day at a random moment (True), or at
        once (False): a receipt at once shows when this person opened the app."""
        with transaction(self._vault.conn):
            receipt_timing.set_daily(self._vault.conn, on, self._vault.clock())

    def set_send_hold(self, hold: timedelta) -> None:
        """How long a newly shared entry waits on this device before it leaves (0 to an hour;
        0: at the next sync). Withdrawing it meanwhile means it was never sent."""
        with transaction(self._vault.conn):
            send_hold.set_hold_length(self._vault.conn, hold)

    def sync(self) -> SyncResult:
        """One round with the partner's device through the paired medium."""
        closing.honour_on_open(self._vault.entries)  # a closing's day may come while unpaired
        return self._sync.sync()

    def close_shared_space(self, *, ask_delete: bool) -> Closing:
        """Close the shared space (or answer the partner's closing): nothing new goes to the
        partner from now on, withdrawals aside; with ``ask_delete`` the partner's device is
        asked to delete what this person wrote once the cooling-off has passed
        (:data:`~trustvault.sync.closing_state.COOLING_OFF`), unless both agree to keep it. On
        that day both devices stop syncing. The faces say where the promise stops
        (:meth:`Closing.sentence`)."""
        with transaction(self._vault.conn):
            return closing.close(self._vault.conn, self._vault.clock, ask_delete=ask_delete)

    def agree_to_keep(self) -> Closing:
        """Agree that both keep everything after the closing; once the partner agrees too,
        neither device deletes what the other wrote."""
        with transaction(self._vault.conn):
            return closing.keep(self._vault.conn, self._vault.clock)
