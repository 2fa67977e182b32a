"""Questions: what each partner asked, what is still waiting, and how long answers took.

Either partner asks (Ask a question…); the other answers with a disclosure linked to the
question (Answer…). Both pages list the same questions, waiting ones first, with words for how
long each waited ("waiting 2 days", "answered after 3 days"): never a score.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from trustvault.results import Question
from ui.bridge import VaultBridge
from ui.dialogs.entry_dialogs import DisclosureDialog, QuestionDialog, answer_question
from ui.models.timeline_model import SETTING_LABELS
from ui.pages.page import Page
from ui.widgets.basics import button, label
from ui.widgets.wrapping_rows import wrapping_list

__all__ = ["QuestionsPage"]

QuestionRole = Qt.ItemDataRole.UserRole + 1


class QuestionsPage(Page):
    """Both partners' questions; Answer… opens a disclosure linked to the chosen one."""

    title = "Questions"

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self._questions: list[Question] = []
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.addWidget(
            label(
                "Ask what you need to know, at home or for your next session. The answer is a"
                " disclosure, linked to the question, and you both see what is still waiting.",
                "muted",
                selectable=True,
            )
        )
        self.summary = label("", "subtitle", selectable=True)
        box.addWidget(self.summary)
        self.list = wrapping_list("Questions")
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.list.itemActivated.connect(lambda _item: self.answer())
        box.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.ask_button = button("Ask a question…", icon="question", primary=True)
        self.ask_button.clicked.connect(self.new_entry)
        self.answer_button = button("Answer…", icon="disclosure")
        self.answer_button.setToolTip("Answer the chosen question with a disclosure.")
        self.answer_button.clicked.connect(self.answer)
        row.addWidget(self.ask_button)
        row.addWidget(self.answer_button)
        row.addStretch(1)
        box.addLayout(row)
        self._update_buttons()

    # -- page hooks ------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.bridge.queries is None:
            return
        self.bridge.read(lambda q: (q.questions(), q.device_id), self._show)

    def clear(self) -> None:
        self._questions = []
        self.list.clear()
        self.summary.clear()
        self._update_buttons()

    def new_entry(self) -> None:
        dialog = QuestionDialog(self.bridge, None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- behaviour -------------------------------------------------------------------------

    def chosen(self) -> Question | None:
        item = self.list.currentItem()
        found = item.data(QuestionRole) if item is not None else None
        return found if isinstance(found, Question) else None

    def answer(self) -> DisclosureDialog | None:
        """Answer the chosen question, when it is the partner's."""
        question, q = self.chosen(), self.bridge.queries
        if question is None or q is None or q.is_mine(question.entry):
            return None
        return answer_question(self.bridge, question.entry, self)

    def _show(self, found: tuple[list[Question], str]) -> None:
        questions, me = found
        chosen = self.chosen()
        self._questions = questions
        self.list.clear()
        waiting = [x for x in questions if not x.answered]
        self.summary.setText(_summary(questions, waiting, me, self.bridge))
        for question in questions:
            item = QListWidgetItem(self._words(question, me))
            item.setData(QuestionRole, question)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, self._words(question, me))
            self.list.addItem(item)
            if chosen is not None and chosen.entry.id == question.entry.id:
                self.list.setCurrentItem(item)
        self._update_buttons()

    def _words(self, question: Question, me: str) -> str:
        mine = question.entry.author == me
        who = "You asked" if mine else f"{self.bridge.name_of(question.entry.author)} asked"
        where = SETTING_LABELS.get(str(question.entry.fields.get("setting")), "").lower()
        lines = [f"{who} ({where}) · {question.status}", question.entry.title]
        lines += [f"    Answer: {a.title}" for a in question.answers]
        return "\n".join(lines)

    def _update_buttons(self) -> None:
        question, q = self.chosen(), self.bridge.queries
        partners = question is not None and q is not None and not q.is_mine(question.entry)
        self.answer_button.setEnabled(partners)


def _summary(
    questions: list[Question], waiting: list[Question], me: str, bridge: VaultBridge
) -> str:
    if not questions:
        return "No questions yet."
    for_me = sum(1 for x in waiting if x.entry.author != me)
    mine = len(waiting) - for_me
    if not waiting:
        return "Every question has an answer."
    partner = bridge.partner.name if bridge.partner else "your partner"
    parts = []
    if for_me:
        parts.append(f"{for_me} question{'s' if for_me != 1 else ''} from {partner} for you")
    if mine:
        parts.append(f"{mine} of yours for {partner}")
    return "Waiting: " + " and ".join(parts) + "."
