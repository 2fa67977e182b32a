"""What the partner's ``version`` ops say on their own, worked out before the vault is read.

Validating an op's fields, writing them as stored text and placing the entry in the timeline
need nothing but the op, so the inbox works them out for the next batch while the previous one
commits (:func:`~trustvault.storage.transaction.batched_transaction`): SQLCipher encrypts and
writes pages without holding the GIL, and this fills that time on the other core. Applying then
takes the result instead of computing it, and an op prepared for nothing (its envelope refused)
costs only that idle time. Nothing here reads or writes the vault: the connection belongs to the
commit while this runs.

A result is exactly what applying would have computed, failures included: an op whose fields do
not validate carries the very exception, raised where validation would have raised it, so the
rules of :mod:`.apply` (which check authorship before the fields) refuse it in the same words.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from trustvault.entries.kinds import STORED_KINDS, sort_key_of, validate
from trustvault.storage.entry_store import StoredTexts, stored_texts

__all__ = ["Prepared", "Ready"]


@dataclass(frozen=True, slots=True)
class Ready:
    """A version op's validated fields, their stored texts and its timeline key (None when its
    ``created`` cannot be placed: applying refuses it there, if it is a new entry)."""

    fields: dict[str, Any]
    texts: StoredTexts
    sort_at: str | None


Outcome = Ready | Exception
"""What validating the op's fields gave: a result, or what it raised (re-raised on apply)."""


class Prepared:
    """Results by op, each taken once. Keyed by the op object itself (its ``id``, checked
    against the object kept alongside, so a reused id can never hand one op another's result)."""

    def __init__(self) -> None:
        self._ready: dict[int, tuple[dict[str, Any], Outcome]] = {}

    def prepare(self, ops: Iterable[dict[str, Any] | None]) -> None:
        """Work out every ``version`` op of ``ops`` whose kind and fields have a shape to
        validate; the others are left for applying to judge."""
        for op in ops:
            if op is None or op.get("t") != "version":
                continue
            kind, raw = op.get("kind"), op.get("fields")
            if type(kind) is str and kind in STORED_KINDS and isinstance(raw, dict):
                self._ready[id(op)] = (op, _outcome(kind, raw, op.get("created")))

    def take(self, op: dict[str, Any]) -> Outcome | None:
        """The result prepared for ``op`` (forgotten here), or None if there is none."""
        found = self._ready.pop(id(op), None)
        if found is None or found[0] is not op:
            return None
        return found[1]

    def clear(self) -> None:
        self._ready.clear()


def _outcome(kind: str, raw: dict[str, Any], created: object) -> Outcome:
    try:
        fields = validate(kind, raw)
    except Exception as exc:  # the partner's data, judged when applied (apply.OpApplier.apply)
        return exc
    sort_at = None
    if type(created) is str:
        try:
            sort_at = sort_key_of(kind, fields, created)
        except ValueError:  # not a date-time: applying refuses a new entry for it
            sort_at = None
    return Ready(fields, stored_texts(kind, fields), sort_at)
