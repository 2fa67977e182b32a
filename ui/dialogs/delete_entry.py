"""Asking before an entry is deleted for good, in words honest about where the promise stops.

Deleting reaches further than withdrawing (nothing of the entry stays on this device, and the
partner's device keeps only a tombstone) but not further than a device: what the partner read,
copied or photographed stays theirs, and a changed app on their device could keep its copy. The
box says which case this entry is in (never shared, not sent yet, on the partner's device, or
with a partner no longer paired), so nobody believes more is gone than is.
"""

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from trustvault.results import DeliveryState, Entry, PartnerCopy
from ui.bridge import VaultBridge
from ui.models.timeline_model import KIND_LABELS, readable_when

__all__ = ["ask_to_delete"]

_NOT_THERE = (DeliveryState.NEVER_SHARED, DeliveryState.HELD, DeliveryState.SENDING)


def ask_to_delete(
    parent: QWidget,
    bridge: VaultBridge,
    entry: Entry,
    on_deleted: Callable[[PartnerCopy], None] | None = None,
) -> None:
    """Show the confirmation; on "Delete", delete through the actions off the UI thread."""
    q = bridge.queries
    if q is None:
        return
    box = QMessageBox(QMessageBox.Icon.Warning, "Delete this entry for good?", "", parent=parent)
    kind = KIND_LABELS[entry.kind].lower()
    box.setText(
        f"\u201c{entry.title or 'This ' + kind}\u201d, every version of it and its comments go"
        " from this device for good. This cannot be undone."
    )
    box.setInformativeText(_partner_words(bridge, entry))
    delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is not delete:
        return
    entry_id = entry.id
    bridge.write(lambda a: a.delete(entry_id), on_deleted)


def _partner_words(bridge: VaultBridge, entry: Entry) -> str:
    q = bridge.queries
    assert q is not None
    partner = bridge.partner.name if bridge.partner is not None else "your partner"
    delivery = q.delivery(entry.id)
    earlier = q.shared_earlier(entry.id)
    if earlier is not None and (q.undoable(entry.id) or delivery.state in _NOT_THERE):
        if earlier.told_now:
            return (
                f"You shared it with {partner} under an earlier pairing: {partner}'s device"
                " deletes its copy at its next sync. What they already read can't be taken"
                " back, and a changed app could keep it."
            )
        return (
            "You shared it under an earlier pairing, and that device keeps what it received"
            " then. What was read can't be taken back."
        )
    if q.undoable(entry.id) or delivery.state in _NOT_THERE:
        return f"Nothing of it has left this device: {partner} will never see it."
    if bridge.partner is None:
        return (
            "You are not paired now, so your partner's device keeps what it received. What"
            " they already read can't be taken back."
        )
    day = readable_when(q.today().isoformat())
    return (
        f"{partner}'s device deletes its copy at its next sync and shows only that {q.name}"
        f" deleted a {KIND_LABELS[entry.kind].lower()} on {day}. What {partner} already read,"
        f" copied or photographed can't be taken back, and a changed app on {partner}'s device"
        " could keep it."
    )
