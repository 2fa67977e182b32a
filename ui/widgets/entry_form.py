"""The frame every entry dialog shares: a form, the field error shown beside its field, Save.

Save validates on the UI thread with ``trustvault.entries.kinds.validate`` (the same check the
store runs), so a mistake is shown at once next to the field it names and nothing is written;
only valid input goes to :meth:`VaultBridge.write`, and the dialog closes when the write is done.

Locking closes the dialog, so on ``bridge.about_to_lock`` a dialog with unsaved changes keeps them
as a draft inside the vault (:meth:`Actions.keep_draft`); on unlock the window offers it back
(:mod:`ui.draft_offer`), and :meth:`EntryDialog.resume` puts the text back. Saving or discarding a
resumed draft deletes it (the save in the same transaction).

An edit is saved only onto the version it was made on: when the entry moved on meanwhile (the
partner's edit of a shared event arrived, another window saved), Save shows what changed instead
(:mod:`ui.widgets.edit_conflict`) and the person keeps editing on top of the newer version or
discards theirs. The check and the write are one job on the worker, so no sync comes between;
the core refuses a stale edit regardless (``base_revision``).
"""

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from trustvault.actions import Actions
from trustvault.entries.kinds import DEFAULT_VISIBILITY, validate
from trustvault.entries.model import Entry
from trustvault.errors import InvalidField
from trustvault.queries import Queries
from trustvault.results import Draft
from ui.bridge import VaultBridge
from ui.widgets.basics import error_label
from ui.widgets.edit_conflict import Conflict, ConflictPanel, conflict_html
from ui.widgets.fields import VisibilityChoice

__all__ = ["EntryDialog"]


class EntryDialog(QDialog):
    """Base for the per-kind dialogs: subclasses build rows in ``build()`` and map them in
    ``raw()`` / ``load()``. Pass ``entry`` to edit an existing entry (a new revision)."""

    kind: ClassVar[str]
    noun: ClassVar[str]
    saved = Signal(object)  # the stored Entry

    def __init__(
        self, bridge: VaultBridge, entry: Entry | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.entry = entry
        self.draft_id: str | None = None  # the kept draft this dialog continues, if any
        self.base_revision = entry.revision if entry is not None else None
        self.base_editor = entry.editor if entry is not None else None  # None: revision alone
        self._conflict: Conflict | None = None
        self._saving = False
        self.setWindowTitle(f"Edit {self.noun}" if entry else f"New {self.noun}")
        self.setMinimumWidth(480)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._field_widgets: dict[str, QWidget] = {}
        self._field_errors: dict[str, QLabel] = {}
        self.error_label = error_label()
        self.error_label.setAccessibleName("Problem with this entry")
        self.visibility: VisibilityChoice | None = None
        self.build()
        if entry is None:
            self.visibility = VisibilityChoice(DEFAULT_VISIBILITY[self.kind])
            self.add_row("Who sees it", "visibility", self.visibility)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.conflict = ConflictPanel()
        self.conflict.keep_editing.clicked.connect(self.edit_newer)
        self.conflict.discard_mine.clicked.connect(self.discard_mine)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.conflict)
        layout.addWidget(self.buttons)
        self._loaded: dict[str, Any] = {}
        if entry is not None:
            self.load(entry.fields)
            self._loaded = self.raw()
        self._opened_with = self._typed()
        bridge.about_to_lock.connect(self._keep_draft)

    # -- for subclasses --------------------------------------------------------------------

    # Each kind's dialog overrides these three (a QDialog cannot also take ABCMeta); calling the
    # base class's is a programming error, hence the raise.

    def build(self) -> None:
        """Add the kind's rows with :meth:`add_row`."""
        raise NotImplementedError(type(self).__name__)

    def raw(self) -> dict[str, Any]:
        """The fields as typed, for ``validate``."""
        raise NotImplementedError(type(self).__name__)

    def load(self, fields: dict[str, Any]) -> None:
        """Fill the rows from a stored entry (edit mode)."""
        raise NotImplementedError(type(self).__name__)

    def add_row(self, label: str, field: str, widget: QWidget, hint: str = "") -> None:
        """Add a labelled row for ``field`` (the name InvalidField uses) with its error line."""
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        if hint:
            note = QLabel(hint)
            note.setWordWrap(True)
            note.setProperty("role", "muted")
            box.addWidget(note)
        error = error_label()
        error.setAccessibleName(f"Problem with {label.lower()}")
        box.addWidget(error)
        caption = QLabel(label)
        caption.setBuddy(widget)
        if not widget.accessibleName():
            widget.setAccessibleName(label)
        self.form.addRow(caption, holder)
        self._field_widgets[field] = widget
        self._field_errors[field] = error

    # -- saving ----------------------------------------------------------------------------

    def field_error(self, field: str) -> str:
        """The error shown beside ``field`` (empty when none); tests read this."""
        label = self._field_errors.get(field)
        return label.text() if label is not None and not label.isHidden() else ""

    def show_error(self, field: str, message: str) -> None:
        label = self._field_errors.get(field)
        if label is None:
            label = self.error_label
        label.setText(message)
        label.setVisible(True)
        widget = self._field_widgets.get(field)
        if widget is not None:
            widget.setProperty("invalid", True)
            widget.setAccessibleDescription(message)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_errors(self) -> None:
        for field, label in self._field_errors.items():
            label.clear()
            label.setVisible(False)
            widget = self._field_widgets[field]
            widget.setProperty("invalid", False)
            widget.setAccessibleDescription("")
        self.error_label.clear()
        self.error_label.setVisible(False)

    def save(self) -> None:
        """Validate; on a problem show it beside its field and store nothing; else write."""
        self.clear_errors()
        raw = self._keep_unchanged(self.raw())
        try:
            validate(self.kind, raw)
        except InvalidField as exc:
            self.show_error(exc.field, exc.message)
            return
        self.buttons.setEnabled(False)
        self._saving = True
        self.bridge.write(self._writer(raw), self._on_saved, self._on_failed)

    def _keep_unchanged(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Fields left as loaded keep their stored value, so an edit that only shows a date in
        local time (or drops seconds) does not record a change nobody made."""
        if self.entry is None:
            return raw
        stored = self.entry.fields
        return {
            k: stored[k] if k in stored and self._loaded.get(k) == v else v for k, v in raw.items()
        }

    def _writer(self, raw: dict[str, Any]) -> Callable[[Actions], Entry | Conflict]:
        kind, entry, draft = self.kind, self.entry, self.draft_id
        if entry is None:
            visibility = self.visibility.value() if self.visibility else None
            return lambda actions: actions.add(kind, raw, visibility, draft=draft)
        base, base_editor = self.base_revision, self.base_editor

        def edit(actions: Actions) -> Entry | Conflict:
            q = actions.queries
            current = q.entry(entry.id)
            if current.revision != base or base_editor not in (None, current.editor):
                was = [r for r in q.history(entry.id) if r.revision == base]
                mine = [r for r in was if r.editor == base_editor] or was
                return Conflict(mine[-1].fields if mine else {}, current)
            door = actions.propose_revision if Queries.is_revision(current, raw) else actions.edit
            return door(entry.id, raw, base_revision=base, draft=draft)

        return edit

    # -- a newer version arrived -----------------------------------------------------------

    def _changed_here(self) -> dict[str, Any]:
        """The fields this person changed from what the editor loaded, as typed."""
        return {k: v for k, v in self.raw().items() if self._loaded.get(k) != v}

    def _show_conflict(self, conflict: Conflict) -> None:
        self._saving = False
        self._conflict = conflict
        self.buttons.setEnabled(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        current = conflict.current
        q = self.bridge.queries
        who = (
            "You changed it elsewhere (another window or the command line)"
            if q is not None and current.editor == q.device_id
            else f"{self.bridge.name_of(current.editor)} changed this {self.noun}"
        )
        stored = self.entry.fields if self.entry is not None else {}
        mine = {k: v for k, v in self._keep_unchanged(self.raw()).items() if stored.get(k) != v}
        self.conflict.show_conflict(
            f"{who} while you were editing it. Nothing of yours is saved yet.",
            conflict_html(conflict.base, current.fields, mine),
        )

    def edit_newer(self) -> None:
        """Go on from the newer version: it is loaded, with this person's changes over it."""
        conflict = self._conflict
        if conflict is None:
            return
        mine = self._changed_here()
        self.entry = conflict.current
        self.base_revision, self.base_editor = conflict.current.revision, conflict.current.editor
        self.load(conflict.current.fields)
        self._loaded = self.raw()
        self._opened_with = self._typed()
        if mine:
            self.load({**conflict.current.fields, **mine})
        self._conflict = None
        self.conflict.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)

    def discard_mine(self) -> None:
        """Close without saving (the newer version stays), and without asking again."""
        draft_id = self.draft_id
        if draft_id is not None and self.bridge.is_unlocked:
            self.draft_id = None
            self.bridge.write(lambda actions: actions.discard_draft(draft_id))
        QDialog.reject(self)

    # -- drafts ----------------------------------------------------------------------------

    def resume(self, draft: Draft) -> None:
        """Continue a draft kept when the vault locked: its text over what the dialog loaded.
        What the dialog opened with stays the measure of "changed", so Escape still asks."""
        self.draft_id = draft.id
        if draft.base_revision is not None:
            self.base_revision = draft.base_revision
        self.load({**(self.entry.fields if self.entry is not None else {}), **draft.fields})
        if self.visibility is not None and draft.visibility is not None:
            self.visibility.set_value(draft.visibility)

    def _keep_draft(self) -> None:
        """The vault is locking: keep unsaved text inside it (queued before the close)."""
        if self._saving or not self.isVisible():
            return  # a save on its way lands first; a closed dialog holds nothing
        draft_id = self.draft_id
        if self._typed() == self._opened_with:
            if draft_id is not None:  # a resumed draft, put back as it was: nothing to keep
                self.bridge.write(lambda actions: actions.discard_draft(draft_id))
            return
        kind, raw, visibility = self.kind, self.raw(), self._typed()[1]
        entry_id = self.entry.id if self.entry is not None else None
        base = self.base_revision
        self.bridge.write(
            lambda actions: actions.keep_draft(
                kind,
                raw,
                visibility=visibility,
                entry_id=entry_id,
                base_revision=base,
                draft_id=draft_id,
            )
        )

    def reject(self) -> None:
        """Esc, Cancel or closing the window: a draft with changes asks before it is thrown
        away. Locking closes it without asking (the vault is shut, nothing could be saved)."""
        if self.bridge.is_unlocked and self._typed() != self._opened_with:
            answer = QMessageBox.question(
                self,
                "Discard this draft?",
                f"Your changes to this {self.noun} have not been saved.",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        draft_id = self.draft_id
        if self.bridge.is_unlocked and draft_id is not None:
            self.draft_id = None
            self.bridge.write(lambda actions: actions.discard_draft(draft_id))
        super().reject()

    def _typed(self) -> tuple[dict[str, Any], str | None]:
        visibility = self.visibility.value() if self.visibility else None
        return self.raw(), visibility

    def _on_saved(self, entry: Entry | Conflict) -> None:
        if isinstance(entry, Conflict):
            self._show_conflict(entry)
            return
        self.entry = entry
        self.saved.emit(entry)
        self.accept()

    def _on_failed(self, message: str) -> None:
        self._saving = False
        self.buttons.setEnabled(True)
        self.error_label.setText(message)
        self.error_label.setVisible(True)
