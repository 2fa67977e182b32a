"""A one-minute grounding exercise, fully offline: box breathing (in 4, hold 4, out 4, hold 4,
four rounds: 64 seconds) or the 5-4-3-2-1 senses. Pure data and arithmetic, no clock: the app
animates it on a timer (``ui.grounding``) and ``tv breathe`` prints the steps.
"""

from dataclasses import dataclass
from typing import Final

__all__ = [
    "BOX",
    "BOX_ROUNDS",
    "EXERCISES",
    "SENSES",
    "Exercise",
    "Step",
]


@dataclass(frozen=True)
class Step:
    """One part of the exercise: what to do, for how many seconds, and for breathing, how
    large the guide's circle should be at its end (0 small, 1 full; None: no circle)."""

    words: str
    seconds: int
    size: float | None = None


@dataclass(frozen=True)
class Exercise:
    name: str
    intro: str
    steps: tuple[Step, ...]
    closing: str = "Well done. Take your time coming back."

    @property
    def seconds(self) -> int:
        return sum(s.seconds for s in self.steps)

    def at(self, elapsed: float) -> tuple[int, float]:
        """The step under way ``elapsed`` seconds in and the share of it done (0 to 1); past
        the end: one past the last step, 1.0."""
        for index, step in enumerate(self.steps):
            if elapsed < step.seconds:
                return index, max(0.0, elapsed) / step.seconds
            elapsed -= step.seconds
        return len(self.steps), 1.0

    def lines(self) -> list[str]:
        """The steps as text, one a line (for the CLI and screen readers)."""
        out = [self.name, self.intro]
        out += [f"{i:>2}. {s.words} ({s.seconds} s)" for i, s in enumerate(self.steps, 1)]
        return [*out, self.closing]


BOX_ROUNDS: Final = 4
_ROUND = (
    Step("Breathe in slowly through your nose", 4, 1.0),
    Step("Hold, gently", 4, 1.0),
    Step("Breathe out slowly", 4, 0.0),
    Step("Hold, and rest", 4, 0.0),
)
BOX: Final = Exercise(
    "Box breathing",
    "Sit comfortably. Follow the circle: in for 4, hold for 4, out for 4, hold for 4.",
    _ROUND * BOX_ROUNDS,
)
SENSES: Final = Exercise(
    "5-4-3-2-1 senses",
    "Look around you, and name things quietly to yourself, one at a time.",
    (
        Step("Name five things you can see", 16),
        Step("Name four things you can feel or touch", 14),
        Step("Name three things you can hear", 12),
        Step("Name two things you can smell", 10),
        Step("Name one thing you can taste, or one good thing about yourself", 8),
    ),
)
EXERCISES: Final = {"box": BOX, "senses": SENSES}
