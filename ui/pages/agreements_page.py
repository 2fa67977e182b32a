"""Agreements: what you both agreed to, whether it is in force, what changed, and when to revisit.

A version is "in force" only when both partners accepted its terms (see
``trustvault.agreements``). Either partner may propose new terms (Revise…) or record a review
(Review…); the version in force stays on screen as in force, the proposal beside it as proposed,
until both accept it. Accept records this person's acceptance of the newest terms on screen
(their digest), so what is accepted is exactly what was read, even if a new version arrives.
"""

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from trustvault.queries import Queries
from trustvault.results import AgreementStanding, AgreementStatus, Entry, Revision
from ui.bridge import VaultBridge
from ui.dialogs.entry_dialogs import AgreementDialog
from ui.dialogs.review_dialog import ReviewDialog
from ui.entry_windows import windows_of
from ui.pages.page import Page
from ui.widgets.basics import Banner, Card, friendly_day, label
from ui.widgets.version_diff import Version, VersionDiff
from ui.widgets.wrapping_rows import wrapping_list

__all__ = ["AgreementView", "AgreementsPage"]

STATUS_WORDS = {
    AgreementStatus.PROPOSED: "Proposed",
    AgreementStatus.IN_FORCE: "In force",
    AgreementStatus.DUE_FOR_REVIEW: "Due for review",
    AgreementStatus.ENDED: "Ended",
    AgreementStatus.RETIRED: "Retired",
}
_ORDER = {
    AgreementStatus.DUE_FOR_REVIEW: 0,
    AgreementStatus.PROPOSED: 1,
    AgreementStatus.IN_FORCE: 2,
    AgreementStatus.ENDED: 3,
    AgreementStatus.RETIRED: 4,
}
_OUTCOME_WORDS = {
    "kept": "kept",
    "stepped down": "stepped down",
    "revised": "revised",
    "retired": "retired",
}


@dataclass(frozen=True)
class AgreementView:
    """Everything the page shows about one agreement, read in one go off the UI thread."""

    entry: Entry
    status: AgreementStatus
    accepted: dict[str, str]  # person -> when, for the current wording
    parties: tuple[str, ...]
    versions: list[Version]
    today: date
    standing: AgreementStanding

    @property
    def shown(self) -> dict[str, object]:
        """The fields of the version in force, or of the proposal when none is."""
        held = self.standing.in_force
        return held.fields if held is not None else self.entry.fields

    @property
    def pending(self) -> Revision | None:
        """A proposal beside a version in force (new terms, or a review, not yet accepted)."""
        return self.standing.proposal if self.standing.in_force is not None else None

    @property
    def review_passed(self) -> bool:
        return self.status in (AgreementStatus.DUE_FOR_REVIEW, AgreementStatus.PROPOSED) and (
            _passed(str(self.shown.get("review_on") or ""), self.today)
        )


def _passed(review: str, today: date) -> bool:
    return bool(review) and date.fromisoformat(review) <= today


def load_agreements(q: Queries) -> list[AgreementView]:
    today = q.today()
    parties = q.agreement_parties()
    out = []
    for entry in q.all("agreement"):
        accepted = q.accepted_by(entry)
        held = q.agreement_standing(entry, today)
        versions = _versions(q.history(entry.id))
        out.append(AgreementView(entry, held.status, accepted, parties, versions, today, held))
    out.sort(key=lambda a: (_ORDER[a.status], a.entry.title.lower()))
    return out


def _versions(history: list[Revision]) -> list[Version]:
    """The last saved wording of each version number, oldest first."""
    latest: dict[int, Version] = {}
    for rev in history:
        number = int(rev.fields.get("version", 1))
        latest[number] = Version(number, rev.fields["title"], rev.fields["text"], rev.updated)
    return [latest[n] for n in sorted(latest)]


class AgreementsPage(Page):
    """A list by status on the left; the chosen agreement, its changes and Accept on the right."""

    title = "Agreements"

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.views: list[AgreementView] = []
        self.reminder = Banner()
        self.list = wrapping_list("Agreements")
        self.list.setSpacing(2)
        self.list.currentRowChanged.connect(self._show_current)
        self.new_button = QPushButton("New agreement…")
        self.new_button.clicked.connect(self.new_entry)
        self.heading = label("", "title", selectable=True)
        self.status_line = label("", selectable=True)
        self.due_notice = Banner()
        self.text = QTextBrowser()
        self.text.setAccessibleName("Wording of the agreement")
        self.acceptance = label("", "muted", selectable=True)
        self.accept_button = QPushButton("Accept this version")
        self.accept_button.setProperty("primary", True)
        self.accept_button.clicked.connect(self.accept_current)
        self.edit_button = QPushButton("Revise…")
        self.edit_button.setAccessibleName("Revise the wording")
        self.edit_button.clicked.connect(self.edit_current)
        self.review_button = QPushButton("Review…")
        self.review_button.setAccessibleName("Record a review")
        self.review_button.clicked.connect(self.review_current)
        self.proposal_notice = Banner()
        self.proposal_text = QTextBrowser()
        self.proposal_text.setAccessibleName("Proposed wording")
        self.diff = VersionDiff()
        self.empty = label(
            "No agreements yet. An agreement is something you both choose, in your own words: "
            "what you will do, and when you will look at it together again.",
            "muted",
            selectable=True,
        )
        self._build()
        self._show_current(-1)

    def _build(self) -> None:
        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        lbox.addWidget(self.list, 1)
        lbox.addWidget(self.new_button)
        self.detail = Card()
        box = self.detail.box
        box.addWidget(self.heading)
        box.addWidget(self.status_line)
        box.addWidget(self.due_notice)
        box.addWidget(self.text, 2)
        box.addWidget(self.proposal_notice)
        box.addWidget(self.proposal_text, 1)
        self.proposal_text.setMaximumHeight(90)
        box.addWidget(self.acceptance)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.review_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        box.addWidget(label("What changed", "subtitle", selectable=True))
        box.addWidget(self.diff, 2)
        right = QWidget()
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(0, 0, 0, 0)
        rbox.addWidget(self.empty)
        rbox.addWidget(self.detail, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reminder)
        layout.addWidget(split, 1)

    # -- page hooks ------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.bridge.queries is not None:
            self.bridge.read(load_agreements, self._fill)

    def clear(self) -> None:
        """Drop every agreement's wording, status and history from the widgets."""
        self.views = []
        self.list.clear()
        self.reminder.show_text("")
        self._show_current(-1)

    def new_entry(self) -> None:
        AgreementDialog(self.bridge, parent=self).open()

    # -- actions ---------------------------------------------------------------------------

    def current(self) -> AgreementView | None:
        row = self.list.currentRow()
        return self.views[row] if 0 <= row < len(self.views) else None

    def accept_current(self) -> None:
        view = self.current()
        if view is None:
            return
        entry_id, wording = view.entry.id, Queries.wording_of(view.entry)
        self.accept_button.setEnabled(False)
        self.bridge.write(
            lambda actions: actions.accept(entry_id, wording=wording),
            on_error=self._accept_failed,
        )

    def edit_current(self) -> None:
        view = self.current()
        if view is not None:
            entry = view.entry
            windows_of(self.bridge).single(
                ("edit", entry.id), lambda: AgreementDialog(self.bridge, entry, parent=self)
            )

    def review_current(self) -> None:
        view = self.current()
        if view is not None:
            entry = view.entry
            windows_of(self.bridge).single(
                ("review", entry.id), lambda: ReviewDialog(self.bridge, entry, parent=self)
            )

    def _accept_failed(self, message: str) -> None:
        self.acceptance.setText(message)
        self.accept_button.setEnabled(True)

    # -- display ---------------------------------------------------------------------------

    def _fill(self, views: list[AgreementView]) -> None:
        chosen = self.current()
        chosen_id = chosen.entry.id if chosen else None
        self.views = views
        self.list.blockSignals(True)
        self.list.clear()
        for view in views:
            waiting = " · a proposal waits" if view.pending is not None else ""
            title = view.shown["title"]
            item = QListWidgetItem(f"{title}\n{STATUS_WORDS[view.status]}{waiting}")
            item.setToolTip(STATUS_WORDS[view.status])
            self.list.addItem(item)
        self.list.blockSignals(False)
        rows = [i for i, v in enumerate(views) if v.entry.id == chosen_id]
        self.list.setCurrentRow(rows[0] if rows else (0 if views else -1))
        self._show_current(self.list.currentRow())
        due = [v for v in views if v.review_passed]
        self.reminder.show_text(_reminder_text(due))

    def _show_current(self, row: int) -> None:
        view = self.views[row] if 0 <= row < len(self.views) else None
        self.detail.setVisible(view is not None)
        self.empty.setVisible(view is None and not self.views)
        if view is None:
            for widget in (self.heading, self.status_line, self.acceptance):
                widget.clear()
            self.text.clear()
            self.proposal_text.clear()
            self.proposal_notice.show_text("")
            self.proposal_text.setVisible(False)
            self.diff.clear()
            self.due_notice.show_text("")
            return
        fields = view.shown
        self.heading.setText(str(fields["title"]))
        self.status_line.setText(f"{STATUS_WORDS[view.status]} · {_details(fields)}")
        self.text.setPlainText(str(fields["text"]))
        pending = view.pending
        self.proposal_notice.show_text(self._proposal_words(view) if pending else "")
        self.proposal_text.setVisible(pending is not None)
        self.proposal_text.setPlainText(str(pending.fields["text"]) if pending else "")
        self.due_notice.show_text(_due_text(view))
        self.acceptance.setText(self._acceptance_text(view))
        mine = self.bridge.queries.device_id if self.bridge.queries else ""
        accepted_by_me = mine in view.accepted
        self.accept_button.setEnabled(not accepted_by_me)
        noun = "the proposal" if pending else "this version"
        self.accept_button.setText(f"You accepted {noun}" if accepted_by_me else f"Accept {noun}")
        self.diff.set_versions(view.versions)

    def _proposal_words(self, view: AgreementView) -> str:
        pending = view.pending
        assert pending is not None
        q = self.bridge.queries
        who = (
            "You"
            if q is not None and pending.editor == q.device_id
            else (self.bridge.name_of(pending.editor))
        )
        terms = pending.fields
        outcome = terms.get("outcome")
        old = view.shown
        if outcome and terms.get("reviewed_on") != old.get("reviewed_on"):
            what = f"recorded a review ({_OUTCOME_WORDS[str(outcome)]})"
        else:
            what = f"proposed version {terms['version']}"
        ends = f", ending after {friendly_day(terms['ends_on'])}" if terms.get("ends_on") else ""
        return (
            f"{who} {what}{ends}. It takes effect once you both accept it; until then the"
            f" version above stays {STATUS_WORDS[view.status].lower()}."
        )

    def _acceptance_text(self, view: AgreementView) -> str:
        names = []
        for person, when in sorted(view.accepted.items(), key=lambda kv: kv[1]):
            who = (
                "You"
                if self.bridge.queries and person == self.bridge.queries.device_id
                else (self.bridge.name_of(person))
            )
            names.append(f"{who} accepted on {friendly_day(when)}")
        waiting = [p for p in view.parties if p and p not in view.accepted]
        lines = ["; ".join(names) + "."] if names else []
        if len(view.parties) < 2:
            lines.append("Once you pair with your partner, they can read and accept it too.")
        elif waiting:
            pending = [
                "you"
                if self.bridge.queries and p == self.bridge.queries.device_id
                else self.bridge.name_of(p)
                for p in waiting
            ]
            noun = "the proposal" if view.pending is not None else "this version"
            lines.append(f"Waiting for {' and '.join(pending)} to accept {noun}.")
        if view.pending is not None and lines:
            first = lines[0]
            first = "you" + first[3:] if first.startswith("You") else first
            lines[0] = f"The proposal: {first}"
        return "\n".join(lines)


def _details(fields: dict[str, object]) -> str:
    """The version's number, its review and end dates and its last review, on one line."""
    parts = [f"version {fields['version']}"]
    if fields.get("review_on"):
        parts.append(f"review date {friendly_day(str(fields['review_on']))}")
    if fields.get("ends_on"):
        parts.append(f"ends after {friendly_day(str(fields['ends_on']))}")
    if fields.get("outcome"):
        day = friendly_day(str(fields["reviewed_on"]))
        parts.append(f"reviewed {day}: {_OUTCOME_WORDS[str(fields['outcome'])]}")
    return " · ".join(parts)


def _due_text(view: AgreementView) -> str:
    if not view.review_passed:
        return ""
    if view.status == AgreementStatus.PROPOSED:
        return (
            f"The review date ({friendly_day(str(view.shown['review_on']))}) has passed while "
            "this is still waiting to be accepted. It may be a good moment to talk it through."
        )
    return (
        f"The review date you chose ({friendly_day(str(view.shown['review_on']))}) has come. "
        "Find a calm moment to read it together, decide (keep it, step it down, revise it or"
        " retire it), and record what you decide with Review…"
    )


def _reminder_text(due: list[AgreementView]) -> str:
    if not due:
        return ""
    if len(due) == 1:
        return f"Time to revisit “{due[0].entry.title}”: its review date has come."
    names = ", ".join(f"“{v.entry.title}”" for v in due[:3])
    more = f" and {len(due) - 3} more" if len(due) > 3 else ""
    return f"{len(due)} agreements are ready to revisit: {names}{more}."
