"""Check-ins: a quick form for today (mood, safety, feelings, note) and both lines over time."""

from datetime import date
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trustvault import stats
from trustvault.conversation_view import Conversation
from trustvault.entries.kinds import DEFAULT_VISIBILITY, validate
from trustvault.errors import InvalidField
from trustvault.queries import Queries
from ui.bridge import VaultBridge
from ui.dialogs.entry_dialogs import CheckinDialog
from ui.pages.conversation_starts import ConversationsCard
from ui.pages.page import Page
from ui.theme import colors
from ui.widgets.basics import Card, fill_with_scroll, label, set_role
from ui.widgets.checkin_fields import CheckinFields
from ui.widgets.fields import VisibilityChoice
from ui.widgets.trend_chart import Series, TrendChart

__all__ = ["CheckinsPage"]


class CheckinsPage(Page):
    """The form saves through the bridge; the chart reloads on every change."""

    title = "Check-ins"

    def __init__(self, bridge: VaultBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.fields = CheckinFields()
        self.visibility = VisibilityChoice(DEFAULT_VISIBILITY["checkin"])
        self.visibility.setAccessibleName("Who sees this check-in")
        self.save_button = QPushButton("Save check-in")
        self.save_button.setProperty("primary", True)
        self.save_button.setAccessibleName("Save check-in")
        self.save_button.clicked.connect(self.save)
        self.message = label("", selectable=True)
        self.message.setVisible(False)
        self.chart = TrendChart(
            "Your check-ins will draw a line here. One small check-in is a good start.",
            y_range=(1, 10),
        )
        self.chart.setAccessibleName("Mood and safety over time")
        self.summary = label("", "muted", selectable=True)
        self.whose = QComboBox()
        self.whose.setAccessibleName("Whose check-ins the chart shows")
        self.whose.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.whose.currentIndexChanged.connect(lambda _i: self._draw())
        self._data: dict[str, Any] = {}
        self.talks = ConversationsCard(bridge)
        self._build()

    def _build(self) -> None:
        form_card = Card()
        card = form_card.box
        card.addWidget(label("How are you today?", "subtitle", selectable=True))
        card.addWidget(self.fields)
        row = QHBoxLayout()
        row.addWidget(QLabel("Who sees it"))
        row.addWidget(self.visibility)
        row.addStretch(1)
        row.addWidget(self.save_button)
        card.addLayout(row)
        card.addWidget(self.message)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(
            label(
                "A check-in takes a minute: your mood, how safe you feel together, and anything"
                " you want to name. There are no right answers.",
                "muted",
                selectable=True,
            )
        )
        layout.addWidget(form_card)
        layout.addWidget(self.talks)
        over = QHBoxLayout()
        over.addWidget(label("Over time", "subtitle", selectable=True), 1)
        over.addWidget(self.whose)
        layout.addLayout(over)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.summary)
        fill_with_scroll(self, body)

    # -- page hooks ------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.bridge.queries is None:
            return
        self.bridge.read(_load, self._show)

    def clear(self) -> None:
        """Forget the chart, the summary and anything typed into the form."""
        self.chart.clear()
        self.talks.clear()
        self.summary.clear()
        self._data = {}
        self.whose.clear()
        self.fields.reset()
        self.message.clear()
        self.message.setVisible(False)

    def new_entry(self) -> None:
        CheckinDialog(self.bridge, parent=self).open()

    # -- internals -------------------------------------------------------------------------

    def save(self) -> None:
        """Validate (the problem is shown under its field; nothing stored), then write."""
        self.fields.clear_errors()
        self.message.setVisible(False)
        raw = self.fields.raw()
        try:
            validate("checkin", raw)
        except InvalidField as exc:
            if not self.fields.show_error(exc.field, exc.message):
                self._say(exc.message, "error")
            return
        visibility = self.visibility.value()
        self.save_button.setEnabled(False)
        self.bridge.write(
            lambda actions: actions.add("checkin", raw, visibility),
            self._saved,
            self._failed,
        )

    def _saved(self, _entry: object) -> None:
        self.save_button.setEnabled(True)
        self.fields.reset()
        self._say("Saved. Thank you for checking in.", "ok")

    def _failed(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self._say(message, "error")

    def _say(self, text: str, role: str) -> None:
        set_role(self.message, role)
        self.message.setText(text)
        self.message.setVisible(True)

    def _show(self, loaded: tuple[dict[str, dict[str, Any]], list[Conversation]]) -> None:
        """``data`` maps author device id -> series and streak, this device first; the
        conversations go to their card."""
        data, talks = loaded
        self.talks.fill(talks)
        chosen = self.whose.currentData()
        self._data = data
        self.whose.blockSignals(True)
        self.whose.clear()
        mine = self.bridge.queries.device_id if self.bridge.queries else ""
        for author in data:
            whose = "My check-ins" if author == mine else f"{self.bridge.name_of(author)}'s"
            self.whose.addItem(whose, author)
        index = self.whose.findData(chosen)
        self.whose.setCurrentIndex(index if index >= 0 else 0)
        self.whose.blockSignals(False)
        self.whose.setVisible(self.whose.count() > 1)
        self._draw()

    def _draw(self) -> None:
        data = self._data.get(self.whose.currentData()) or {"series": [], "streak": 0}
        palette = colors()
        mood = Series("Mood", QColor(palette.mood))
        safety = Series("Safety", QColor(palette.safety))
        for point in data["series"]:
            day = date.fromisoformat(point["day"])
            mood.points.append((day, float(point["mood"])))
            safety.points.append((day, float(point["safety"])))
        self.chart.set_series([mood, safety])
        self.summary.setText(_summary_text(len(data["series"]), data["streak"]))


def _load(q: Queries) -> tuple[dict[str, dict[str, Any]], list[Conversation]]:
    """Each person's check-ins apart (a partner's shared ones too): two people's moods on one
    line would say nothing about either; and the conversations, in the same read."""
    today = q.today()
    by_author: dict[str, list[Any]] = {q.device_id: []}
    for entry in q.all("checkin"):
        by_author.setdefault(entry.author, []).append(entry)
    series = {
        author: {
            "series": stats.mood_series(entries),
            "streak": stats.streak_days(stats.checkin_days(entries), today),
        }
        for author, entries in by_author.items()
    }
    return series, q.conversations()


def _summary_text(count: int, streak: int) -> str:
    if count == 0:
        return ""
    total = "1 check-in so far" if count == 1 else f"{count} check-ins so far"
    if streak >= 2:
        return f"{total}, and {streak} days in a row. Showing up matters."
    return f"{total}. Showing up matters."
