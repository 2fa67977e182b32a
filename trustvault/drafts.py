"""Drafts: what an open editor held when the vault locked, kept inside it to come back on unlock.

Locking closes every editor (the vault is shut, nothing could be saved), and an auto-lock comes
while the person is away: throwing their words away then is what this prevents. A draft is kept
only in the vault's own table (SQLCipher), never in the app's settings or a temp file, where it
would be plaintext; it is this device's alone and is never recorded as an op, so the partner's
device never learns it existed. Saving the entry it became, or discarding it, deletes it in the
same transaction (:meth:`trustvault.actions.Actions.add` and ``edit`` take ``draft=``).
"""

import json
from collections.abc import Mapping
from typing import Any

from trustvault.clock import iso_now
from trustvault.entries.kinds import KINDS, validate_visibility
from trustvault.errors import InvalidField
from trustvault.ids import new_id
from trustvault.results import Draft
from trustvault.storage import draft_store
from trustvault.storage.transaction import transaction
from trustvault.vault import Vault

__all__ = ["MAX_DRAFT_BYTES", "all_drafts", "discard", "finish", "keep"]

MAX_DRAFT_BYTES = 1_000_000
"""A draft larger than this (as JSON) is refused: no editor holds that much typed text."""


def keep(
    vault: Vault,
    kind: str,
    fields: Mapping[str, Any],
    *,
    visibility: str | None,
    entry_id: str | None,
    base_revision: int | None,
    draft_id: str | None,
) -> Draft:
    """Store (or, given ``draft_id``, replace) a draft; checked first, nothing half-written."""
    if kind not in KINDS:
        raise InvalidField("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    if visibility is not None:
        visibility = validate_visibility(visibility)
    try:
        size = len(json.dumps(dict(fields), ensure_ascii=False).encode("utf-8"))
    except (TypeError, ValueError):
        raise InvalidField("draft", "its fields must be text, numbers or yes/no") from None
    if size > MAX_DRAFT_BYTES:
        raise InvalidField("draft", "it is too long to keep")
    with transaction(vault.conn):
        if entry_id is not None:
            entry = vault.entries.get(entry_id)  # EntryNotFound names it
            if entry.kind != kind:
                raise InvalidField("kind", f"the entry is a {entry.kind}, not a {kind}")
        draft = Draft(
            draft_id or new_id(),
            kind,
            entry_id,
            base_revision,
            dict(fields),
            visibility,
            iso_now(vault.clock),
        )
        draft_store.put(vault.conn, draft)
    return draft


def discard(vault: Vault, draft_id: str) -> bool:
    """Delete a draft; False when it was already gone (saved or discarded elsewhere)."""
    with transaction(vault.conn):
        return draft_store.delete(vault.conn, draft_id)


def finish(vault: Vault, draft_id: str | None) -> None:
    """Inside a save's transaction: the draft it came from is done."""
    if draft_id is not None:
        draft_store.delete(vault.conn, draft_id)


def all_drafts(vault: Vault) -> list[Draft]:
    return draft_store.all_drafts(vault.conn)
