"""Progress: the work the couple is doing, made visible: how soon things are shared now, the
check-in streak, agreements kept, milestones reached. Worded as encouragement, never as a score.
"""

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from trustvault.queries import Queries
from trustvault.results import AgreementStatus, RoutineProgress
from ui.bridge import VaultBridge
from ui.dialogs.entry_dialogs import MilestoneDialog
from ui.pages.page import Page
from ui.pages.routine_bars import RoutineBars
from ui.theme import colors
from ui.widgets.basics import Card, fill_with_scroll, friendly_day, label
from ui.widgets.trend_chart import Series, TrendChart

__all__ = ["ProgressPage", "added_later_words", "latency_words", "streak_words"]


def _plural(n: int | float, one: str, many: str) -> str:
    number = int(n) if float(n).is_integer() else round(float(n), 1)
    return f"{number} {one if number == 1 else many}"


def streak_words(days: int, weeks: int) -> tuple[str, str]:
    """(headline, encouragement) for the check-in streak."""
    if days >= 2:
        return (
            f"{days} days in a row",
            "You keep showing up for each other. That steadiness is what rebuilds trust.",
        )
    if weeks >= 2:
        return (
            f"{weeks} weeks in a row",
            "A check-in every week, week after week. That rhythm matters.",
        )
    if days == 1 or weeks == 1:
        return ("Checked in", "Every check-in counts. Tomorrow is another chance to show up.")
    return ("Ready when you are", "A check-in takes a minute, and every one of them counts.")


def latency_words(trend: list[dict[str, Any]], median: float | None) -> tuple[str, str]:
    """(headline, what the trend says) for how long it takes for things to be shared."""
    if median is None:
        return (
            "Nothing recorded yet",
            "When something is shared, the time it took shows here, so you can both see it shrink.",
        )
    headline = f"Typically {_plural(median, 'day', 'days')} until shared"
    if len(trend) < 2:
        return headline, "As more is shared over the months, the trend will appear here."
    first, last = trend[0], trend[-1]
    then, now = first["median_days"], last["median_days"]
    headline = f"About {_plural(now, 'day', 'days')} lately"
    when_then = date.fromisoformat(first["month"] + "-01").strftime("%B %Y")
    if now < then:
        story = (
            f"Things are being shared sooner: the typical wait went from "
            f"{_plural(then, 'day', 'days')} in {when_then} to {_plural(now, 'day', 'days')} "
            "lately. That is honesty getting quicker."
        )
    elif now == then:
        story = f"The typical wait is steady at {_plural(now, 'day', 'days')}."
    else:
        story = (
            f"Lately it has taken a little longer ({_plural(now, 'day', 'days')}, from "
            f"{_plural(then, 'day', 'days')}). Sharing late is still sharing; it counts."
        )
    return headline, story


def verified_words(count: int, total: int) -> str:
    """Where the days are counted to, said plainly (no figure here is a score)."""
    if not total:
        return ""
    if count == total:
        return "Each one is counted to the day it reached the other's device."
    if not count:
        return "Counted as their author dated them, until they reach the other's device."
    return (
        f"{count} of {total} are counted to the day they reached the other's device; the rest"
        " as their author dated them, until they arrive."
    )


def added_later_words(amendments: int, account_amendments: int) -> str:
    """What was added after a first telling, counted gently: filling in is part of telling."""
    parts = []
    if amendments:
        word = "change" if amendments == 1 else "changes"
        parts.append(f"{amendments} {word} came after a first telling")
    if account_amendments:
        word = "disclosure" if account_amendments == 1 else "disclosures"
        parts.append(f"{account_amendments} {word} added to a full account")
    if not parts:
        return ""
    return (
        "Added later: " + " and ".join(parts) + ". Filling in what was missing is part of"
        " telling the whole story, and it counts."
    )


class _Tile(Card):
    """A headline figure with a sentence under it."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.caption = label(caption, "muted", selectable=True)
        self.headline = label("", "title", selectable=True)
        self.detail = label("", selectable=True)
        self.box.addWidget(self.caption)
        self.box.addWidget(self.headline)
        self.box.addWidget(self.detail)
        self.box.addStretch(1)
        self.setAccessibleName(caption)

    def set_text(self, headline: str, detail: str) -> None:
        self.headline.setText(headline)
        self.detail.setText(detail)
        self.setAccessibleDescription(f"{headline}. {detail}")

    def clear(self) -> None:
        self.headline.clear()
        self.detail.clear()
        self.setAccessibleDescription("")


class ProgressPage(Page):
    """Four tiles, the latency trend and the milestones reached; read off the UI thread."""

    title = "Progress"

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.streak = _Tile("Check-ins")
        self.latency = _Tile("How soon things are shared")
        self.agreements = _Tile("Agreements")
        self.milestones = _Tile("Milestones")
        self.chart = TrendChart(
            "Once things have been shared in more than one month, a line shows how long "
            "each month's disclosures took to come out.",
            y_label="days",
        )
        self.chart.setAccessibleName("Typical days until shared, month by month")
        self.verified = label("", "muted", selectable=True)
        self.verified.setAccessibleName("How the days are counted")
        self.added = label("", selectable=True)
        self.added.setAccessibleName("Added later")
        self.reached = label("", selectable=True)
        self.reached.setTextFormat(Qt.TextFormat.PlainText)
        self.reached.setAccessibleName("Milestones reached")
        self.routines = RoutineBars()
        self._build()

    def _build(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(
            label(
                "This is not a score. It is a record of the work you are both doing, so you can "
                "see how far you have come, and celebrate it.",
                "muted",
                selectable=True,
            )
        )
        tiles = QGridLayout()
        for n, tile in enumerate((self.latency, self.streak, self.agreements, self.milestones)):
            tiles.addWidget(tile, n // 2, n % 2)
        layout.addLayout(tiles)
        layout.addWidget(label("How soon things are shared", "subtitle", selectable=True))
        layout.addWidget(self.verified)
        layout.addWidget(self.chart)
        layout.addWidget(self.added)
        layout.addWidget(label("Routines that count", "subtitle", selectable=True))
        layout.addWidget(self.routines)
        layout.addWidget(label("Milestones reached", "subtitle", selectable=True))
        layout.addWidget(self.reached)
        layout.addStretch(1)
        fill_with_scroll(self, body)

    # -- page hooks ------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.bridge.queries is not None:
            self.bridge.read(_load, self._show)

    def clear(self) -> None:
        for tile in (self.streak, self.latency, self.agreements, self.milestones):
            tile.clear()
        self.chart.clear()
        self.verified.clear()
        self.added.clear()
        self.reached.clear()
        self.routines.clear()

    def new_entry(self) -> None:
        MilestoneDialog(self.bridge, parent=self).open()

    # -- display ---------------------------------------------------------------------------

    def _show(self, loaded: tuple[dict[str, Any], list[RoutineProgress]]) -> None:
        summary, routines = loaded
        self.routines.set_progress(routines)
        latency = summary["disclosure_latency"]
        self.latency.set_text(*latency_words(latency["trend"], latency["median_days"]))
        total = len(latency["per_disclosure"])
        self.verified.setText(verified_words(latency["verified_count"], total))
        added = added_later_words(latency["amendments"], latency["account_amendments"])
        self.added.setText(added)
        self.added.setVisible(bool(added))
        checkins = summary["checkins"]
        self.streak.set_text(*streak_words(checkins["streak_days"], checkins["streak_weeks"]))
        self.agreements.set_text(*_agreement_words(summary["agreements"]))
        self.milestones.set_text(*_milestone_words(summary["milestones"]))
        series = Series("Typical days until shared", QColor(colors().disclosure))
        for month in latency["trend"]:
            day = date.fromisoformat(month["month"] + "-01")
            series.points.append((day, float(month["median_days"])))
        self.chart.set_series([series] if len(series.points) > 1 else [])
        reached = summary["milestones"]["reached_list"]
        lines = [f"✓ {m['title']}, {friendly_day(m['done_at'])}" for m in reversed(reached)]
        self.reached.setText(
            "\n".join(lines)
            or "Milestones you reach together will gather here. Small steps count too."
        )


def _load(q: Queries) -> tuple[dict[str, Any], list[RoutineProgress]]:
    return q.summary(), q.routine_progress()


def _agreement_words(counts: dict[str, int]) -> tuple[str, str]:
    in_force = counts.get(AgreementStatus.IN_FORCE, 0)
    due = counts.get(AgreementStatus.DUE_FOR_REVIEW, 0)
    proposed = counts.get(AgreementStatus.PROPOSED, 0)
    if not in_force + due + proposed:
        return "None yet", "Agreements you make together, in your own words, will show here."
    headline = f"{in_force + due} in force"
    parts = []
    if due:
        parts.append(f"{due} {'is' if due == 1 else 'are'} ready to revisit together")
    if proposed:
        parts.append(f"{_plural(proposed, 'proposal', 'proposals')} waiting to be accepted")
    detail = "; ".join(parts).capitalize() + "." if parts else "Promises you are keeping."
    return headline, detail


def _milestone_words(counts: dict[str, Any]) -> tuple[str, str]:
    reached, total = counts["reached"], counts["total"]
    if reached:
        return (
            f"{reached} reached",
            "Each one is a step you took together. "
            + (f"{total - reached} still ahead." if total > reached else "Well done."),
        )
    if total:
        return "On the way", f"{_plural(total, 'milestone', 'milestones')} ahead of you."
    return "Yours to choose", "Name the steps you hope to reach, and mark them when you do."
