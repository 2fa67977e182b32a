"""A plan withdrawn or deleted takes its step-downs and needs with it, on both devices.

A step-down (``plan_step``) and a partner's needs (``plan_need``) are entries of their own
(:mod:`trustvault.plans` says why), so withdrawing the plan alone would leave them in both
timelines, saying what was needed of a plan that is gone. The same rule runs on each device in
the transaction that withdraws the plan there:

- the plan's author's device (:meth:`Actions.withdraw`, or an edit making it private) withdraws
  its person's own shared children through the usual door, so the partner's device is sent a
  ``revoke`` for each (and what has not left yet is undone or redacted), and keeps only a
  tombstone of the partner's children;
- the partner's device, applying the plan's ``revoke``, keeps only a tombstone of the author's
  children (their own ``revoke`` ops follow and change nothing more) and withdraws its own
  person's children on this device without an op: the author's device has taken them away
  already, by this same rule.

A plan deleted for good (:meth:`Actions.delete`) follows the same rule, with "deleted" where
withdrawal says "withdrawn": its author's device deletes every child of its person's (each sends
its own ``delete``, before the plan's) and keeps a "deleted" tombstone of the partner's; the
partner's device, applying the plan's ``delete``, withdraws its person's own children here.

A partner's child written on their device just before the withdrawal (or deletion) reached it
arrives after the plan went here: :func:`take_late_child` keeps only its tombstone, as of the
children the plan took with it (the partner's device made it private by the rule above).
"""

from collections.abc import Callable

from trustvault.clock import iso_now
from trustvault.entries.model import Entry
from trustvault.storage import outbox_store, social_store
from trustvault.storage.entry_store import EntryStore

__all__ = ["CHILD_KINDS", "children", "delete_children", "take_children", "take_late_child"]

CHILD_KINDS = ("plan_step", "plan_need")
"""The kinds of entry that belong to one plan (their ``plan`` field names it)."""


def children(entries: EntryStore, plan_id: str) -> list[Entry]:
    """The plan's step-downs and needs that still hold content here, oldest first."""
    found = [e for kind in CHILD_KINDS for e in entries.linking_to(kind, "plan", plan_id)]
    return sorted((e for e in found if e.fields), key=lambda e: e.id)


def take_children(
    entries: EntryStore,
    plan_id: str,
    by: str,
    at: str,
    revoke_own: Callable[[str], object] | None,
    *,
    reason: str = "withdrawn",
) -> None:
    """Withdraw the children of the plan ``plan_id`` that ``by`` (its author's device) withdrew
    ``at`` (inside the caller's transaction): this person's own shared ones through
    ``revoke_own`` (the author's device, which sends), or on this device only when it is None
    (the partner's device, applying); the other person's become tombstones here that say who
    withdrew the plan; ``reason`` is ``deleted`` when it was deleted for good."""
    from trustvault.sync.apply import withdraw  # apply calls this module while it applies

    for child in children(entries, plan_id):
        if child.author != entries.device:
            withdraw(entries, child.id, by, at, reason=reason)
        elif child.visibility == "shared" and revoke_own is not None:
            revoke_own(child.id)
        elif child.visibility == "shared":
            entries.set_visibility(child.id, "private")
            social_store.mark_withdrawn(entries.connection, child.id, at, None)


def delete_children(
    entries: EntryStore, plan_id: str, at: str, delete_own: Callable[[str], object]
) -> None:
    """Before this person's plan ``plan_id`` is deleted for good (inside the caller's
    transaction): delete each of this person's children through ``delete_own`` (which tells the
    partner's device), and keep a "deleted" tombstone of the partner's."""
    from trustvault.sync.apply import withdraw  # apply calls this module while it applies

    for child in children(entries, plan_id):
        if child.author == entries.device:
            delete_own(child.id)
        else:
            withdraw(entries, child.id, entries.device, at, reason="deleted")


def take_late_child(entries: EntryStore, child_id: str) -> None:
    """A version of the partner's child ``child_id`` was just applied (inside the caller's
    transaction): if its plan was withdrawn or deleted here, keep only its tombstone."""
    held = entries.authorship_of(child_id)
    if held is None or held[0] == entries.device:
        return  # not taken in (an old version of a deleted entry), or this person's own
    child = entries.get(child_id)
    if not child.fields:
        return
    gone = _gone(entries, str(child.fields.get("plan", "")))
    if gone is not None:
        by, at, reason = gone
        from trustvault.sync.apply import withdraw  # apply calls this module while it applies

        withdraw(entries, child.id, by, at, reason=reason)


def _gone(entries: EntryStore, plan_id: str) -> tuple[str, str, str] | None:
    """(who, when, why) the plan ``plan_id`` was taken away here, or None while it stands."""
    conn = entries.connection
    row = entries.authorship_of(plan_id)
    if row is None:  # deleted for good on this device (its time went with it: now will do)
        if outbox_store.deleted_here(conn, plan_id):
            return entries.device, iso_now(entries.clock), "deleted"
        return None
    author, visibility, _ = row
    if author == entries.device:
        sharing = social_store.sharing_row(conn, plan_id)
        if visibility == "shared" or sharing is None or sharing[1] is None:
            return None  # shared, or never shared (the child cannot be the partner's)
        return entries.device, str(sharing[1]), "withdrawn"
    tombstone = social_store.withdrawal(conn, plan_id)
    if tombstone is None:
        return None
    return tombstone.author, tombstone.at, tombstone.reason
