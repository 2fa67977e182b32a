"""The therapy session's agenda: one read, so ``tv session`` and the app's session view show
the same things (issue 12).

The session is the therapy occurrence going on at the moment asked about, else the next one;
"since the last session" counts from the start of the last therapy occurrence that ended
before it (everything, when there was none). Everything here is what this device holds: the
partner's check-ins only when they shared them.
"""

from collections.abc import Sequence
from datetime import datetime
from statistics import fmean

from trustvault import agreements, homework, questions
from trustvault.entries.model import Entry
from trustvault.results import AgreementStatus, CheckinTrend, SessionAgenda
from trustvault.vault import Vault

__all__ = ["agenda"]


def agenda(vault: Vault, at: datetime) -> SessionAgenda:
    """The agenda of the session going on at ``at`` (aware), or of the next one."""
    entries = vault.entries
    events = entries.all("event")
    session = homework.session_at(events, at)
    last = homework.last_session(events, at)
    since = last.start if last is not None else None
    today = at.astimezone().date()
    due = tuple(
        e
        for e in entries.all("agreement")
        if e.fields and agreements.status_of(vault, e, today) is AgreementStatus.DUE_FOR_REVIEW
    )
    asked = tuple(q for q in questions.questions(entries, today) if q.for_session)
    told = sorted(_since(entries.all("disclosure"), since), key=lambda e: (e.created, e.id))
    items = homework.homework_of(vault.conn, entries.all("homework"), agreements.parties(vault))
    mine = tuple(
        h
        for h in items
        if session is not None
        and (h.event_id, h.original_start) == (session.event_id, session.original_start)
    )
    trends = _trends(_since(entries.all("checkin"), since), vault.device_id)
    return SessionAgenda(session, last, due, asked, trends, tuple(told), mine)


def _since(found: Sequence[Entry], since: datetime | None) -> list[Entry]:
    """The entries (with content) written at or after ``since``."""
    return [
        e
        for e in found
        if e.fields and (since is None or datetime.fromisoformat(e.created) >= since)
    ]


def _trends(checkins: Sequence[Entry], me: str) -> tuple[CheckinTrend, ...]:
    """Each person's check-ins in time order, this person first."""
    by_person: dict[str, list[Entry]] = {}
    for entry in sorted(checkins, key=lambda e: (e.created, e.id)):
        by_person.setdefault(entry.author, []).append(entry)
    order = sorted(by_person, key=lambda person: person != me)
    return tuple(_trend(person, by_person[person]) for person in order)


def _trend(person: str, found: list[Entry]) -> CheckinTrend:
    moods = [int(e.fields["mood"]) for e in found]
    safety = [int(e.fields["safety"]) for e in found]
    return CheckinTrend(person, len(found), moods[0], moods[-1], round(fmean(moods), 1),
                        safety[0], safety[-1], round(fmean(safety), 1))  # fmt: skip
