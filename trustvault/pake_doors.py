"""The doors for pairing by a short spoken code (part of :class:`trustvault.actions.Actions`).

The short code is the default in both faces; the long ``tv1-`` code of
:meth:`~trustvault.partner_doors.PartnerDoors.invite` stays as the offline fallback.
"""

from datetime import timedelta
from typing import Any

from trustvault.results import PartnerInfo
from trustvault.sync import pake_service
from trustvault.sync.pake_pairing import SHORT_TTL
from trustvault.sync.service import SyncService
from trustvault.sync.transport import Transport
from trustvault.vault import Vault

__all__ = ["PakeDoors"]


class PakeDoors:
    """Inviting and joining by words; :class:`~trustvault.actions.Actions` sets these."""

    _vault: Vault
    _sync: SyncService
    _transport: Transport | None

    def invite_by_words(self, spec: dict[str, Any], ttl: timedelta = SHORT_TTL) -> str:
        """A short code such as ``7-tiger-vagabond`` for the medium ``spec`` (a folder, or a
        relay's address); to say aloud to the partner. It works once, for an hour."""
        return pake_service.invite_by_words(self._vault, spec, self._transport, ttl)

    def join_by_words(self, code: str, spec: dict[str, Any]) -> PartnerInfo:
        """Answer the partner's short code through the same folder or relay (``spec``); both
        devices pair at their next syncs, once each proved it typed the same code."""
        pake_service.join_by_words(self._vault, code, spec, self._transport)
        self._vault.recorder.refresh()
        info = self._sync.partner()
        assert info is not None
        return info
