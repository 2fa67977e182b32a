"""Questions and their answers: a question is an entry of its own; an answer is a disclosure
whose ``answers`` field names it.

Only the partner's question can be answered (one does not answer oneself), and only while its
text is on this device: the check runs in :meth:`Actions.add` and :meth:`Actions.edit`, inside
the write's transaction. The partner's device takes the link as it comes (its own validation
checks the id's form); a link to a question it does not hold is shown as a plain disclosure.

An answer counts once it is shared (a private draft answer is not told yet), on both devices.
"""

from datetime import date, tzinfo

from trustvault.entries.model import Entry
from trustvault.errors import EntryNotFound, InvalidField
from trustvault.results import Question
from trustvault.stats import day_of
from trustvault.storage.entry_store import EntryStore

__all__ = ["check_answer", "question_of", "questions", "status_of"]

_LINK = "answers"


def check_answer(entries: EntryStore, question_id: str) -> None:
    """Refuse (naming the ``answers`` field) a link to anything but the partner's question."""
    try:
        question = entries.get(question_id)
    except EntryNotFound:
        raise InvalidField(_LINK, f"there is no question {question_id[:10]} here") from None
    if question.kind != "question":
        raise InvalidField(_LINK, f"{question_id[:10]} is a {question.kind}, not a question")
    if question.author == entries.device:
        raise InvalidField(_LINK, "that is your own question; you answer your partner's")
    if not question.fields:
        raise InvalidField(_LINK, "that question was withdrawn by its author")


def questions(entries: EntryStore, today: date, tz: tzinfo | None = None) -> list[Question]:
    """Every question on this device (not tombstones), unanswered first, then newest first."""
    linked: dict[str, list[Entry]] = {}
    for answer in entries.linking_to("disclosure", _LINK):
        if answer.visibility == "shared":
            linked.setdefault(str(answer.fields[_LINK]), []).append(answer)
    out = [
        _status(question, linked.get(question.id, []), today, tz)
        for question in entries.all("question")
        if question.fields
    ]
    out.sort(key=lambda q: q.entry.created, reverse=True)
    out.sort(key=lambda q: q.answered)  # stable: unanswered first, each part newest first
    return out


def status_of(
    entries: EntryStore, question: Entry, today: date, tz: tzinfo | None = None
) -> Question:
    """One question's answers and wait (for showing a single entry)."""
    answers = entries.linking_to("disclosure", _LINK, question.id)
    return _status(question, [a for a in answers if a.visibility == "shared"], today, tz)


def _status(question: Entry, answers: list[Entry], today: date, tz: tzinfo | None) -> Question:
    ordered = tuple(sorted(answers, key=lambda e: e.created))
    asked = day_of(question.created, tz)
    until = day_of(ordered[0].created, tz) if ordered else today
    return Question(question, ordered, max(0, (until - asked).days))


def question_of(entries: EntryStore, disclosure: Entry) -> Entry | None:
    """The question a disclosure answers, if it names one this device holds (with its text)."""
    target = disclosure.fields.get(_LINK)
    if not target:
        return None
    try:
        question = entries.get(str(target))
    except EntryNotFound:
        return None
    return question if question.kind == "question" and question.fields else None
