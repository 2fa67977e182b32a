"""A small, realistic scenario for ``trustvault --demo`` and the screenshots, built headless.

Two partners, Alex (who broke trust and now discloses) and Sam, twelve weeks into rebuilding:
disclosures told sooner and sooner, a weekly date night and therapy session, agreements (one in
force, one due for review, one still proposed), a plan winding the open phones down, weekly
check-ins that slowly rise, milestones.
Each partner has an own vault; :func:`build_demo` pairs them through a shared folder and syncs,
so each sees what the other shared. Entries are written with a :class:`DemoClock` set to the
moment they happened, which is how their timestamps spread over the weeks.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from trustvault.actions import Actions
from trustvault.clock import system_clock
from trustvault.demo_triggers import reassure, seed_sam_triggers
from trustvault.medium import folder_spec

__all__ = ["DEMO_PASSPHRASE", "DemoClock", "DemoPair", "build_demo", "seed_alex", "seed_sam"]

DEMO_PASSPHRASE = "demo lantern harbour maple"  # noqa: S105  (public: demo vaults in a temp folder)
WEEKS = 12


class DemoClock:
    """The system clock, except while :meth:`at` pins it to a moment of the scenario."""

    def __init__(self) -> None:
        self._pinned: datetime | None = None

    def __call__(self) -> datetime:
        return self._pinned or system_clock()

    @contextmanager
    def at(self, moment: datetime) -> Iterator[None]:
        self._pinned = moment
        try:
            yield
        finally:
            self._pinned = None


@dataclass(frozen=True)
class DemoPair:
    """Where the demo lives: two vault folders and the sync folder between them."""

    alex: Path
    sam: Path
    sync: Path
    passphrase: str = DEMO_PASSPHRASE


def _at(today: date, days_ago: int, hour: int = 20, minute: int = 0) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), time(hour, minute), UTC)


def _day(today: date, days_ago: int) -> str:
    return (today - timedelta(days=days_ago)).isoformat()


# (days ago it was told, days between happening and telling, title, body, category)
_DISCLOSURES = (
    (80, 41, "I met Jordan for coffee twice this summer",
     "I told you I was working late. I was with Jordan, twice, in July.", "contact"),
    (70, 26, "I deleted messages before you could see them",
     "After you asked about my phone I deleted a thread with Jordan.", "messages"),
    (58, 15, "I spent money on gifts I never mentioned",
     "Two gifts, around 180 in total, from our joint account.", "money"),
    (46, 9, "Jordan emailed me and I replied once",
     "I replied to say I could not talk. I should have shown you the same day.", "contact"),
    (35, 5, "I was not at the gym last Thursday",
     "I drove around for an hour because I did not want to come home and talk.", "whereabouts"),
    (24, 2, "I looked at Jordan's profile online", "Late at night, for a few minutes.", "online"),
    (12, 1, "A colleague flirted with me and I did not stop it right away",
     "At the conference dinner. I changed tables after a while.", "contact"),
    (2, 0, "Jordan texted me this morning",
     "I did not reply. I am telling you now, before anything else.", "contact"),
)  # fmt: skip
_NOTES = {
    "I met Jordan for coffee twice this summer": {
        "content_note": "Names and places",
        "detail": "some",
    },
}
"""A content note and level of detail on a disclosure, as an author may give them."""
_ALEX_MOODS = ((4, 5), (4, 5), (5, 5), (4, 6), (5, 6), (6, 6), (5, 7), (6, 7), (6, 7), (7, 7),
               (6, 8), (7, 8))  # fmt: skip
_SAM_MOODS = ((3, 2), (3, 3), (4, 3), (3, 3), (4, 4), (5, 4), (4, 5), (5, 5), (5, 6), (6, 5),
              (6, 6), (6, 7))  # fmt: skip
_ALEX_FEELINGS = ("ashamed", "hopeful", "tired", "determined", "nervous", "grateful", "calm")
_SAM_FEELINGS = ("hurt", "angry", "guarded", "tired", "curious", "hopeful", "calmer", "closer")


def seed_alex(
    alex: Actions, clock: DemoClock, today: date, deliver: Callable[[datetime], None] | None = None
) -> None:
    """Alex's side: the disclosures, the date night, two agreements, check-ins, milestones.
    ``deliver(moment)`` syncs both devices then, so each disclosure reaches Sam's device the
    evening it was told (the verified figure counts to that day)."""
    add = alex.add
    with clock.at(_at(today, 84, 18)):
        add(
            "event",
            {
                "title": "Date night",
                "event_kind": "date_night",
                "rrule": "FREQ=WEEKLY",
                "start": f"{_day(today, 81)}T19:00",
                "end": f"{_day(today, 81)}T21:30",
                "notes": "Phones away. One of us picks the place, the other the film.",
            },
        )
        add(
            "event",
            {
                "title": "Weekly check-in talk",
                "event_kind": "check_in",
                "rrule": "FREQ=WEEKLY",
                "start": f"{_day(today, 79)}T18:00",
                "end": f"{_day(today, 79)}T18:45",
            },
        )
        phones = add(
            "agreement",
            {
                "title": "Open phones",
                "text": "Either of us may look at the other's phone when we ask.",
                "review_on": _day(today, -21),
            },
        )
        contact = add(
            "agreement",
            {
                "title": "No contact with Jordan",
                "text": "If Jordan gets in touch, I tell Sam the same day and do not reply.",
                "review_on": _day(today, 2),
            },
        )
    with clock.at(_at(today, 45, 21)):
        alex.propose_revision(
            phones.id, {"text": "Our phones are open to each other any time, without asking first."}
        )
    for past, latency, title, body, category in _DISCLOSURES:
        with clock.at(_at(today, past, 21, 15)):
            add(
                "disclosure",
                {
                    "title": title,
                    "body": body,
                    "category": category,
                    "occurred_on": _day(today, past + latency),
                    "approximate": latency > 20,
                    **_NOTES.get(title, {}),
                },
            )
            if deliver is not None:
                deliver(clock())
    with clock.at(_at(today, 63, 20, 30)):  # the full timeline; one thing came after it
        add(
            "disclosure",
            {
                "title": "The full timeline, as I wrote it for Sam",
                "body": "Everything with Jordan, from the first message in June until now.",
                "occurred_on": _day(today, 125),
                "complete_as_of": _day(today, 63),
            },
        )
        if deliver is not None:
            deliver(clock())
    gifts = next(e for e in alex.queries.all("disclosure") if e.title.startswith("I spent"))
    with clock.at(_at(today, 55, 21)):
        alex.edit(gifts.id, {"body": "Three gifts, not two: around 240 from our joint account."})
        if deliver is not None:
            deliver(clock())
    for week, (mood, safety) in enumerate(_ALEX_MOODS):
        with clock.at(_at(today, (WEEKS - 1 - week) * 7 + 1, 21, 30)):
            feelings = [_ALEX_FEELINGS[(week + i) % len(_ALEX_FEELINGS)] for i in (0, 3)]
            add("checkin", {"mood": mood, "safety": safety, "feelings": feelings}, "shared")
    with clock.at(_at(today, 63, 20)):
        add("milestone", {"title": "Wrote the full timeline for Sam", "done_at": _day(today, 63)})
    with clock.at(_at(today, 30, 20)):
        add(
            "milestone",
            {
                "title": "30 days of same-day honesty",
                "due_on": _day(today, -20),
                "note": "Every disclosure told within a day.",
            },
        )
    with clock.at(_at(today, 4, 18, 40)):
        add("headsup", {"what": "Jordan liked one of my photos", "response": "I blocked them"})
    alex.accept(phones.id)
    alex.accept(contact.id)


def seed_sam(sam: Actions, clock: DemoClock, today: date) -> None:
    """Sam's side: therapy, a proposed agreement, check-ins, milestones."""
    add = sam.add
    with clock.at(_at(today, 83, 12)):
        add(
            "event",
            {
                "title": "Couples therapy with Dr. Reyes",
                "event_kind": "therapy",
                "rrule": "FREQ=WEEKLY",
                "start": f"{_day(today, 78)}T17:30",
                "end": f"{_day(today, 78)}T18:30",
                "location": "Harbour Counselling",
            },
        )
    with clock.at(_at(today, 76, 20)):
        add("milestone", {"title": "First therapy session together", "done_at": _day(today, 78)})
    with clock.at(_at(today, 50, 20)):
        add("milestone", {"title": "One month of weekly check-ins", "done_at": _day(today, 50)})
    with clock.at(_at(today, 6, 20)):
        pause = add(
            "agreement",
            {
                "title": "A pause when we need it",
                "text": "Either of us can ask for a 30-minute pause in a hard"
                " conversation; we come back to it the same day.",
            },
        )
        add("milestone", {"title": "A weekend away together", "due_on": _day(today, -40)})
    with clock.at(_at(today, 9, 21)):
        add("question", {"text": "Have you heard from Jordan since the conference?"})
    with clock.at(_at(today, 2, 21)):
        add(
            "question",
            {"text": "What did you tell yourself at the time?", "setting": "for_session"},
        )
    for week, (mood, safety) in enumerate(_SAM_MOODS):
        with clock.at(_at(today, (WEEKS - 1 - week) * 7, 21)):
            feelings = [_SAM_FEELINGS[(week // 2 + i) % len(_SAM_FEELINGS)] for i in (0, 1)]
            note = "Better week. The date night helped." if week == WEEKS - 2 else ""
            add(
                "checkin",
                {"mood": mood, "safety": safety, "feelings": feelings, "note": note},
                "shared",
            )
    sam.accept(pause.id)


def _respond(sam: Actions, alex_device: str) -> None:
    """Sam reads Alex's disclosures, asks for time on the newest, accepts Alex's agreements."""
    told = [e for e in sam.queries.all("disclosure") if e.author == alex_device]
    for entry in told[1:]:
        sam.acknowledge(entry.id)
    if told:
        sam.acknowledge(told[0].id, need_time=True)
        sam.comment(told[0].id, "Thank you for telling me straight away. I need a day.")
    for entry in sam.queries.all("agreement"):
        if entry.author == alex_device:
            sam.accept(entry.id)


def _plan(
    alex: Actions, sam: Actions, alex_clock: DemoClock, sam_clock: DemoClock, today: date
) -> None:
    """Sam proposes a plan winding "Open phones" down; both accept; Alex steps down when the
    first step is done, and Sam writes what they need (Alex has not yet: a gentle prompt)."""
    phones = next(a for a in sam.queries.all("agreement") if a.title == "Open phones")
    with sam_clock.at(_at(today, 60, 21)):
        plan = sam.propose_plan(
            "Phones, winding down together",
            _day(today, 60),
            _day(today, -60),
            [
                {"label": "Phones open whenever either of us asks", "days": 28},
                {"label": "A weekly look together, on Sundays", "until": _day(today, -30)},
                {"label": "On request, when one of us needs it"},
            ],
            agreements=[phones.id],
            text="So that trust can carry more of the weight, a little at a time.",
        )
        sam.accept(plan.id)
        sam.write_plan_needs(plan.id, "To be told first, before I find out another way.")
        sam.sync()
    with alex_clock.at(_at(today, 59, 8)):
        alex.sync()
        alex.accept(plan.id)
    with alex_clock.at(_at(today, 31, 20)):
        alex.step_down(plan.id, "Sunday evenings, as we said in session.")
        alex.sync()
    sam.sync()


def _keep_routines(
    alex: Actions, sam: Actions, alex_clock: DemoClock, sam_clock: DemoClock, today: date
) -> None:
    """Both mark the weekly check-ins as they happen (one skipped, one moved), and Sam sets a
    milestone that counts them: twelve held within four weeks from today."""
    talk = next(e for e in sam.queries.all("event") if e.fields.get("event_kind") == "check_in")
    for n, days_ago in enumerate(range(79, 0, -7)):
        state = {44: "skipped", 23: "moved"}.get(days_ago, "held")
        side, clock = (alex, alex_clock) if n % 2 else (sam, sam_clock)
        with clock.at(_at(today, days_ago - 1, 12)):  # the next day: it has happened anywhere
            side.mark_occurrence(talk.id, _day(today, days_ago), state)
    with sam_clock.at(_at(today, 1, 12)):
        rule = {"count": 12, "event_kind": "check_in"}
        sam.add("milestone", {"title": "12 weekly check-ins", "due_on": _day(today, -28),
                              "rule": rule})  # fmt: skip


def _answer(
    alex: Actions,
    sam_device: str,
    clock: DemoClock,
    today: date,
    deliver: Callable[[datetime], None],
) -> None:
    """Alex answers Sam's question asked at home, two days after it was asked (about a message
    the day before: told a day later, like the disclosures of those weeks), and it reaches
    Sam's device that evening."""
    asked = [q for q in alex.queries.questions() if q.entry.author == sam_device]
    at_home = [q.entry for q in asked if not q.for_session]
    with clock.at(_at(today, 7, 20)):
        for question in at_home:
            alex.add(
                "disclosure",
                {
                    "title": "Yes: one message from Jordan on Sunday",
                    "body": "Jordan asked how I was. I did not reply, and I blocked the number.",
                    "category": "contact",
                    "occurred_on": _day(today, 8),
                    "answers": question.id,
                },
            )
        if at_home:
            deliver(_at(today, 7, 20))  # within Alex's evening too: it is sealed then


def _homework(alex: Actions, sam: Actions) -> None:
    """Homework from the last session, for the next one: a letter each (Sam's is written)."""
    letter = sam.add_homework("Each write a letter: what we want the next year to hold")
    alex.add_homework("Read chapter 3 of the book Dr. Reyes lent us", "author")
    sam.mark_homework_done(letter.entry.id)
    sam.sync()
    alex.sync()


def build_demo(
    root: Path, *, today: date | None = None, kdf_profile: str = "interactive"
) -> DemoPair:
    """Create, seed, pair and sync both demo vaults under ``root``; all vaults are left closed."""
    today = today or system_clock().date()
    pair = DemoPair(root / "alex", root / "sam", root / "sync")
    pair.sync.mkdir(parents=True, exist_ok=True)
    alex_clock, sam_clock = DemoClock(), DemoClock()
    alex = Actions.create(pair.alex, DEMO_PASSPHRASE, "Alex", kdf_profile=kdf_profile,
                          clock=alex_clock)  # fmt: skip
    sam = Actions.create(pair.sam, DEMO_PASSPHRASE, "Sam", kdf_profile=kdf_profile,
                         clock=sam_clock)  # fmt: skip
    try:
        for side in (alex, sam):
            # The demo shows sharing cross within seconds; Preferences gives the hold back.
            side.set_send_hold(timedelta(0))
        # They paired before the first disclosure and compared their safety numbers.
        with alex_clock.at(_at(today, 90, 19)), sam_clock.at(_at(today, 90, 19)):
            code = alex.invite(folder_spec(pair.sync))
            sam.join(code, folder_spec(pair.sync))
            alex.sync()
            sam.sync()
            alex.verify()
            sam.verify()

        def deliver(moment: datetime) -> None:
            with sam_clock.at(moment):
                for side in (alex, sam, alex):  # the version, then Sam's word that it came
                    side.sync()

        seed_alex(alex, alex_clock, today, deliver)
        seed_sam(sam, sam_clock, today)
        seed_sam_triggers(sam, sam_clock.at, today)
        for side in (alex, sam, alex, sam):
            side.sync()
        reassure(alex)
        _respond(sam, alex.queries.device_id)
        _plan(alex, sam, alex_clock, sam_clock, today)
        _answer(alex, sam.queries.device_id, alex_clock, today, deliver)
        _keep_routines(alex, sam, alex_clock, sam_clock, today)  # synced now, not at a past day
        _homework(alex, sam)
        for side in (sam, alex, sam, alex):
            side.sync()
    finally:
        alex.close()
        sam.close()
    return pair
