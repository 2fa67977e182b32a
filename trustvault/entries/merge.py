"""Which version of an entry is current: the one rule both devices apply to concurrent edits.

An entry's versions are keyed by ``(revision, editor)``: the revision number counts edits and the
editor is the id of the device that made the edit. Both partners may edit a shared event at the
same time, so two versions can carry the same revision number; the higher editor id then wins.

The tie-break is fixed, not "the last one to arrive", because each device receives the other's
edits in its own order (and a medium may deliver late, twice or out of order). A rule that looked
only at the two versions, never at arrival, is what makes both devices settle on the same
current version whatever the order. The losing version is not lost: it stays in the history.

The order is total over distinct versions (exactly one of two distinct versions wins), so
:func:`winner` is commutative and its repeated use is associative: the current version is the
maximum of the history, whatever order the versions are folded in. The storage layer lists a
history ``ORDER BY revision, editor``, the same order (SQLite compares text as UTF-8 bytes, which
orders as Python compares ``str``), so its last row is the winner.
"""

from dataclasses import dataclass

__all__ = ["Version", "winner", "wins"]


@dataclass(frozen=True)
class Version:
    """The key of one version of an entry: its revision number and its editor's device id."""

    revision: int
    editor: str


def wins(candidate: Version, current: Version) -> bool:
    """Whether ``candidate`` replaces ``current`` as the entry's current version.

    False for an identical version: recording one again changes nothing.
    """
    return (candidate.revision, candidate.editor) > (current.revision, current.editor)


def winner(a: Version, b: Version) -> Version:
    """The current version of the two, the same whichever is passed first."""
    return a if wins(a, b) else b
