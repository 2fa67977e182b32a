"""The entry as the rest of the app sees it: an immutable snapshot of its current version."""

from dataclasses import dataclass, field
from typing import Any

from trustvault.entries.kinds import title_of

__all__ = ["Entry", "Revision"]


@dataclass(frozen=True)
class Entry:
    """One entry's current version. ``author`` and ``editor`` are device ids."""

    id: str
    kind: str
    author: str
    created: str
    updated: str
    visibility: str
    fields: dict[str, Any]
    revision: int
    editor: str
    rowid: int = field(default=0, compare=False)

    @property
    def title(self) -> str:
        return title_of(self.kind, self.fields)

    @property
    def edited(self) -> bool:
        return self.revision > 1

    def to_json(self, author_name: str) -> dict[str, Any]:
        """The documented ``--json`` shape: common keys, then the kind's own fields."""
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "author": author_name,
            "visibility": self.visibility,
            "created": self.created,
            "updated": self.updated,
            "revision": self.revision,
        }
        out.update(self.fields)
        return out


@dataclass(frozen=True)
class Revision:
    """One stored version of an entry; the history is every revision, oldest first."""

    entry_id: str
    revision: int
    editor: str
    updated: str
    fields: dict[str, Any]
