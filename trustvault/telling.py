"""How a disclosure was told: the verified days from the event to its telling, and what came later.

The figure the couple watches shrink is counted from the event (``occurred_on``) to the day the
disclosure first reached the partner's device, as that device wrote it down (schema 11,
:mod:`trustvault.sync.tellings`). The author's own date (``disclosed_at``) and how long the
author kept it private are shown beside it, not instead of it: an author's client can write any
``disclosed_at``, but not the partner's records. Until the partner's device has said when it
arrived (or for a disclosure never shared), the author's own date is all there is, and the
figure says it is unverified.

A later version whose facts differ, arriving on a later day than the first telling, is an
*amendment*: "added N days after first telling". A disclosure may be a *full account*, which its
author states is "complete as of" a day; a disclosure of an event on or before that day, first
told after it, is an amendment to that account rather than a separate surprise. Pure functions
over what :class:`trustvault.queries.Queries` reads; the words are the faces' to share.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from trustvault.entries.model import Entry, Revision

__all__ = ["FACTS", "Account", "Amendment", "Telling", "amendments", "telling_of"]

FACTS = ("title", "body", "occurred_on", "approximate", "category")
"""What a disclosure tells; a change to ``disclosed_at`` (the author's own dating) is not one."""


@dataclass(frozen=True)
class Amendment:
    """A later version of a disclosure that changed its facts."""

    revision: int
    received_on: date
    days_after: int

    def to_json(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "received_on": self.received_on.isoformat(),
            "days_after": self.days_after,
        }

    def words(self) -> str:
        n = self.days_after
        return f"added {n} {'day' if n == 1 else 'days'} after first telling"


@dataclass(frozen=True)
class Account:
    """A full account: its entry and the day its author says it is complete as of."""

    entry_id: str
    author: str
    complete_as_of: date
    told_on: date


@dataclass(frozen=True)
class Telling:
    """When a disclosure happened, was written, dated, shared and received."""

    occurred_on: date
    written_on: date
    dated_on: date | None
    shared_on: date | None  # this device's own record, for its own disclosures
    received_on: date | None  # the partner's device's record: the verified telling
    approximate: bool = False
    amendments: tuple[Amendment, ...] = ()
    complete_as_of: date | None = None  # this disclosure is a full account
    account_of: date | None = None  # this disclosure amends the account complete as of this

    @property
    def verified(self) -> bool:
        return self.received_on is not None

    @property
    def told_on(self) -> date:
        """The day it counts as told: received, else shared, else as dated, else written."""
        return self.received_on or self.shared_on or self.dated_on or self.written_on

    @property
    def verified_days(self) -> int | None:
        return None if self.received_on is None else _days(self.occurred_on, self.received_on)

    @property
    def dated_days(self) -> int | None:
        return None if self.dated_on is None else _days(self.occurred_on, self.dated_on)

    @property
    def days(self) -> int | None:
        """The figure to show and count: verified when known, else the author's own dating."""
        return self.verified_days if self.verified else self.dated_days

    @property
    def kept_private_days(self) -> int | None:
        """From when it was written to when it reached the partner (or left this device)."""
        end = self.received_on or self.shared_on
        return None if end is None else _days(self.written_on, end)

    def notes(self, author: str) -> list[str]:
        """What stands beside the verified figure when it differs from the author's account:
        "kept private N days before sharing", "{author} dated it 2 Oct 2026"."""
        out = []
        kept = self.kept_private_days
        if kept:
            out.append(f"kept private {kept} {'day' if kept == 1 else 'days'} before sharing")
        if self.verified and self.dated_on is not None and self.dated_on != self.received_on:
            out.append(f"{author} dated it {_day(self.dated_on)}")
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "verified": self.verified,
            "verified_days": self.verified_days,
            "dated_days": self.dated_days,
            "received_on": _iso(self.received_on),
            "shared_on": _iso(self.shared_on),
            "kept_private_days": self.kept_private_days,
            "amendments": [a.to_json() for a in self.amendments],
            "complete_as_of": _iso(self.complete_as_of),
            "amends_account_of": _iso(self.account_of),
        }


def telling_of(
    entry: Entry,
    arrived: Sequence[tuple[int, str]],
    shared_on: str | None,
    history: Sequence[Revision] | None,
    accounts: Sequence[Account] = (),
) -> Telling:
    """The telling of one disclosure (with fields). ``arrived`` is its (revision, day) arrival
    rows; ``history`` its versions (needed only when versions arrived on more than one day)."""
    f = entry.fields
    first = min((date.fromisoformat(day) for _, day in arrived), default=None)
    own = Telling(
        occurred_on=date.fromisoformat(f["occurred_on"][:10]),
        written_on=date.fromisoformat(entry.created[:10]),
        dated_on=date.fromisoformat(f["disclosed_at"][:10]) if f.get("disclosed_at") else None,
        shared_on=date.fromisoformat(shared_on) if shared_on else None,
        received_on=first,
        approximate=bool(f.get("approximate")),
        amendments=tuple(amendments(arrived, history or ())),
        complete_as_of=(
            date.fromisoformat(f["complete_as_of"]) if f.get("complete_as_of") else None
        ),
    )
    return _with_account(entry, own, accounts)


def amendments(arrived: Sequence[tuple[int, str]], history: Sequence[Revision]) -> list[Amendment]:
    """Per later day of arrival: the newest version that came that day, if its facts differ
    from the newest one that came before (several edits in one day count once)."""
    by_day: dict[date, int] = {}
    for revision, text in arrived:
        d = date.fromisoformat(text)
        by_day[d] = max(by_day.get(d, 0), revision)
    days = sorted(by_day)
    if len(days) < 2:
        return []
    facts = {r.revision: r.fields for r in history}
    out, before = [], by_day[days[0]]
    for day in days[1:]:
        revision = by_day[day]
        if revision <= before:
            continue  # an older version arriving late (a re-share) adds nothing
        old, new = facts.get(before), facts.get(revision)
        if old is not None and new is not None and _facts(old) != _facts(new):
            out.append(Amendment(revision, day, (day - days[0]).days))
        before = revision
    return out


def _with_account(entry: Entry, own: Telling, accounts: Sequence[Account]) -> Telling:
    """``own`` with the account it amends: the latest full account by the same author, told
    before it, complete as of a day on or after its event and before it was told."""
    fitting = [
        a.complete_as_of
        for a in accounts
        if a.entry_id != entry.id
        and a.author == entry.author
        and a.told_on <= own.told_on
        and own.occurred_on <= a.complete_as_of < own.told_on
    ]
    if not fitting:
        return own
    return replace(own, account_of=max(fitting))


def _facts(fields: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(fields.get(k) for k in FACTS)


def _days(start: date, end: date) -> int:
    return max((end - start).days, 0)


def _day(day: date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
