"""What a sync round and the partner screen report (defined with the other result types)."""

from trustvault.results import PartnerInfo, SyncResult

__all__ = ["PartnerInfo", "SyncResult"]
