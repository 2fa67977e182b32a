"""What a sync round and the partner screen report; plain data for the CLI's JSON and the UI."""

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["PartnerInfo", "SyncResult"]


@dataclass
class SyncResult:
    """Counts of one sync round. Reasons in ``problems`` never contain entry content."""

    sent: int = 0
    received: int = 0
    rejected: int = 0
    duplicates: int = 0
    refused_ops: int = 0
    pending: int = 0
    waiting: int = 0
    paired_now: bool = False
    status: str = ""
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PartnerInfo:
    name: str
    device: str
    status: str
    safety_number: str
    verified: bool
    key_changed: bool

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
