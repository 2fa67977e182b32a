"""One dialog per kind of entry: disclosure, agreement, check-in, milestone, question, heads-up,
homework; the event dialog is in :mod:`ui.dialogs.event_dialog`, the trigger and anniversary
dialogs in :mod:`ui.dialogs.trigger_dialogs`.

Each maps its widgets to the raw fields ``trustvault.entries.kinds.validate`` reads; validation,
error display and saving live in :class:`ui.widgets.entry_form.EntryDialog`. ``dialog_for`` picks
the dialog for a kind, for New (Ctrl+N) menus and for editing an existing entry.
"""

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QWidget,
)

from trustvault.entries.model import Entry
from ui.bridge import VaultBridge
from ui.dialogs.event_dialog import EVENT_KIND_LABELS, EventDialog
from ui.dialogs.trigger_dialogs import AnniversaryDialog, TriggerDialog
from ui.entry_windows import windows_of
from ui.models.timeline_model import SETTING_LABELS
from ui.widgets.basics import label as text_label
from ui.widgets.checkin_fields import CheckinFields
from ui.widgets.entry_form import EntryDialog
from ui.widgets.fields import (
    OptionalDateEdit,
    WhenEdit,
    text_box,
)
from ui.widgets.routine_rule import RuleField

__all__ = [
    "AgreementDialog",
    "CheckinDialog",
    "DisclosureDialog",
    "HeadsUpDialog",
    "MilestoneDialog",
    "QuestionDialog",
    "answer_question",
    "dialog_for",
]

DETAIL_CHOICES = (
    ("", "Not said"),
    ("outline", "An outline"),
    ("some", "Some detail"),
    ("full", "Full detail"),
)
CATEGORIES = ("contact", "messages", "money", "whereabouts", "online", "other")


class DisclosureDialog(EntryDialog):
    """Something shared honestly: what happened, when, and (kept by the store) when it was told."""

    kind = "disclosure"
    noun = "disclosure"

    def build(self) -> None:
        self.title = QLineEdit()
        self.title.setPlaceholderText("A few words about what you are sharing")
        self.body = text_box("What happened, in your own words")
        self.occurred = WhenEdit()
        self.approximate = QCheckBox("The date is approximate")
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems(["", *CATEGORIES])
        self.add_row("Title", "title", self.title)
        self.add_row("What happened", "body", self.body)
        self.add_row("When it happened", "occurred_on", self.occurred)
        self.add_row("", "approximate", self.approximate)
        self.approximate.setAccessibleName("The date is approximate")
        self.add_row("Category", "category", self.category, "Optional; helps you find it later.")
        self.account = OptionalDateEdit("This is my full account, complete as of")
        self.account.setAccessibleName("Full account, complete as of")
        self.add_row(
            "Full account", "complete_as_of", self.account,
            "Anything told later about the days it covers shows as an addition to this account.",
        )  # fmt: skip
        self.content_note = QLineEdit()
        self.content_note.setPlaceholderText("e.g. names, physical details (optional)")
        self.detail = QComboBox()
        for value, text in DETAIL_CHOICES:
            self.detail.addItem(text, value)
        self.add_row(
            "Content note",
            "content_note",
            self.content_note,
            "A few words your partner reads first, and can hold it for a session.",
        )
        self.add_row("How much it tells", "detail", self.detail)  # fmt: skip
        self.answers = ""  # the id of the partner's question this answers, if any
        self.question = text_label("", "muted")
        self.question.setAccessibleName("The question this answers")
        self.form.insertRow(0, self.question)
        self.question.hide()

    def answering(self, question: Entry, asker: str) -> None:
        """Make this the answer to ``asker``'s question: saved with a link to it."""
        self.answers = question.id
        self.question.setText(f"Your answer to {asker}'s question: “{question.title}”")
        self.question.show()
        self.setWindowTitle("Answer a question")

    def raw(self) -> dict[str, Any]:
        raw = {
            "title": self.title.text(),
            "body": self.body.toPlainText(),
            "occurred_on": self.occurred.value(),
            "approximate": self.approximate.isChecked(),
            "category": self.category.currentText(),
            "complete_as_of": self.account.value(),
            "content_note": self.content_note.text(),
            "detail": self.detail.currentData(),
        }
        if self.answers:
            raw["answers"] = self.answers
        return raw

    def load(self, fields: dict[str, Any]) -> None:
        self.answers = str(fields.get("answers", "")) or self.answers
        self.title.setText(fields["title"])
        self.body.setPlainText(fields.get("body", ""))
        self.occurred.set_value(fields["occurred_on"])
        self.approximate.setChecked(bool(fields.get("approximate")))
        self.category.setEditText(fields.get("category", ""))
        self.account.set_value(fields.get("complete_as_of", ""))
        self.content_note.setText(fields.get("content_note", ""))
        self.detail.setCurrentIndex(max(0, self.detail.findData(fields.get("detail", ""))))


class AgreementDialog(EntryDialog):
    """An agreement in your own words; changing the wording makes a new version to accept."""

    kind = "agreement"
    noun = "agreement"

    def build(self) -> None:
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Phones stay open to each other")
        self.text = text_box("What you both agree to, in plain words", 7)
        self.review = OptionalDateEdit("Revisit it on")
        hint = (
            "Changing the wording makes a new version that you both accept again."
            if self.entry is not None
            else "Your partner sees it as proposed until each of you accepts it."
        )
        self.add_row("Title", "title", self.title)
        self.add_row("The agreement", "text", self.text, hint)
        self.add_row("Review date", "review_on", self.review)

    def raw(self) -> dict[str, Any]:
        return {
            "title": self.title.text(),
            "text": self.text.toPlainText(),
            "review_on": self.review.value(),
        }

    def load(self, fields: dict[str, Any]) -> None:
        self.title.setText(fields["title"])
        self.text.setPlainText(fields["text"])
        self.review.set_value(fields.get("review_on", ""))


class CheckinDialog(EntryDialog):
    """A check-in: mood and safety from 1 to 10, feelings and a note. Private by default."""

    kind = "checkin"
    noun = "check-in"

    def build(self) -> None:
        self.fields = CheckinFields()
        self.form.addRow(self.fields)
        self._field_widgets.update(
            mood=self.fields.mood,
            safety=self.fields.safety,
            feelings=self.fields.feelings,
            note=self.fields.note,
        )
        self._field_errors.update(self.fields.errors)

    def raw(self) -> dict[str, Any]:
        return self.fields.raw()

    def load(self, fields: dict[str, Any]) -> None:
        self.fields.load(fields)


class MilestoneDialog(EntryDialog):
    """A step on the way: something to reach, or something already reached."""

    kind = "milestone"
    noun = "milestone"

    # not "done": that would hide QDialog.done(), which accept() calls
    def build(self) -> None:
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Our first weekend away")
        self.target = OptionalDateEdit("Hoping to reach it by")
        self.reached = OptionalDateEdit("We reached it on")
        self.note = text_box("What it means to you (optional)", 3)
        self.rule = RuleField(EVENT_KIND_LABELS[:-1])
        self.add_row("Title", "title", self.title)
        self.add_row("Target date", "due_on", self.target)
        self.add_row("Reached", "done_at", self.reached)
        hint = "Counted from the occurrences marked held on the Calendar, by the target date."
        self.add_row("Counts", "rule", self.rule, hint)
        self.add_row("Note", "note", self.note)

    def raw(self) -> dict[str, Any]:
        return {
            "title": self.title.text(),
            "due_on": self.target.value(),
            "done_at": self.reached.value(),
            "note": self.note.toPlainText(),
            "rule": self.rule.value(),
        }

    def load(self, fields: dict[str, Any]) -> None:
        self.title.setText(fields["title"])
        self.target.set_value(fields.get("due_on", ""))
        self.reached.set_value(fields.get("done_at", "")[:10])
        self.note.setPlainText(fields.get("note", ""))
        self.rule.set_value(fields.get("rule"))


class QuestionDialog(EntryDialog):
    """A question for the partner, to answer in writing at home or together in a session."""

    kind = "question"
    noun = "question"

    def build(self) -> None:
        self.text = text_box("What you would like to know", 3)
        self.setting = QComboBox()
        for value, text in SETTING_LABELS.items():
            self.setting.addItem(text, value)
        hint = "Your partner answers with a disclosure; you both see how long it waited."
        self.add_row("Your question", "text", self.text, hint)
        self.add_row("Where to answer it", "setting", self.setting)

    def raw(self) -> dict[str, Any]:
        return {"text": self.text.toPlainText(), "setting": self.setting.currentData()}

    def load(self, fields: dict[str, Any]) -> None:
        self.text.setPlainText(fields["text"])
        self.setting.setCurrentIndex(max(0, self.setting.findData(fields.get("setting"))))


class HeadsUpDialog(EntryDialog):
    """A heads-up, quick to write: what happened, and what I did. Told as it happens."""

    kind = "headsup"
    noun = "heads-up"

    def build(self) -> None:
        self.what = QLineEdit()
        self.what.setPlaceholderText("e.g. Jordan messaged me")
        self.response = QLineEdit()
        self.response.setPlaceholderText("e.g. I did not reply")
        hint = "A small thing, told now. It counts apart from full disclosures."
        self.add_row("What happened", "what", self.what, hint)
        self.add_row("What I did", "response", self.response)

    def raw(self) -> dict[str, Any]:
        return {"what": self.what.text(), "response": self.response.text()}

    def load(self, fields: dict[str, Any]) -> None:
        self.what.setText(fields["what"])
        self.response.setText(fields.get("response", ""))


class HomeworkEditDialog(EntryDialog):
    """Homework's wording, edited by its author; a new item is written on the Session page
    (:class:`ui.dialogs.homework_dialog.HomeworkDialog`), which finds its session."""

    kind = "homework"
    noun = "homework"

    def build(self) -> None:
        self.text = QLineEdit()
        self.add_row("Homework", "text", self.text, "Whom it is for and its session stay.")

    def raw(self) -> dict[str, Any]:
        kept = dict(self.entry.fields) if self.entry is not None else {}
        return {**kept, "text": self.text.text()}

    def load(self, fields: dict[str, Any]) -> None:
        self.text.setText(fields["text"])


DIALOGS: dict[str, type[EntryDialog]] = {
    "disclosure": DisclosureDialog,
    "event": EventDialog,
    "agreement": AgreementDialog,
    "checkin": CheckinDialog,
    "milestone": MilestoneDialog,
    "question": QuestionDialog,
    "headsup": HeadsUpDialog,
    "trigger": TriggerDialog,
    "anniversary": AnniversaryDialog,
    "homework": HomeworkEditDialog,
}


def dialog_for(
    kind: str, bridge: VaultBridge, entry: Entry | None = None, parent: QWidget | None = None
) -> EntryDialog:
    """The dialog that creates (or, given ``entry``, edits) an entry of ``kind``."""
    return DIALOGS[kind](bridge, entry, parent)


def answer_question(bridge: VaultBridge, question: Entry, parent: QWidget) -> DisclosureDialog:
    """The disclosure editor for an answer to the partner's ``question`` (one per question)."""

    def make() -> DisclosureDialog:
        dialog = DisclosureDialog(bridge, None, parent)
        dialog.answering(question, bridge.name_of(question.author))
        return dialog

    return windows_of(bridge).single(("answer", question.id), make)
