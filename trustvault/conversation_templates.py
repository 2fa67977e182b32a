"""The structured conversations a couple can hold, as data: each template's parts and prompts.

FANOS is a weekly check-in used in recovery after infidelity (Feelings, Appreciation, Needs,
Ownership, Self-care); Gottman's State of the Union is a weekly meeting that starts from
appreciations and takes up one issue gently. Each person writes every part privately; the two
are shown together once both are done (:mod:`trustvault.conversations`). The keys are what
travels between the devices; titles and prompts are this app's words and may change.
"""

from dataclasses import dataclass
from typing import Final

from trustvault.errors import InvalidField

__all__ = ["TEMPLATES", "Part", "Template", "template"]


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    prompt: str


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    about: str
    parts: tuple[Part, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(part.key for part in self.parts)


TEMPLATES: Final = {
    "fanos": Template(
        "fanos",
        "FANOS check-in",
        "Five short parts, one at a time. Say what is true for you; there is no reply yet.",
        (
            Part("feelings", "Feelings", "How have you been feeling this week? Name one or two."),
            Part("appreciation", "Appreciation", "Something your partner did that you valued."),
            Part("needs", "Needs", "Something you need this week, from them or from yourself."),
            Part(
                "ownership",
                "Ownership",
                "Something you did that you own: a slip, a hurt, a thing you would do again"
                " differently.",
            ),
            Part("self_care", "Self-care", "How you have been looking after yourself."),
        ),
    ),
    "state_of_the_union": Template(
        "state_of_the_union",
        "State of the Union",
        "Start with what is good between you, then one issue, gently.",
        (
            Part(
                "appreciations",
                "Appreciations",
                "Five things you appreciate about your partner, this week or ever.",
            ),
            Part(
                "issue",
                "An issue to discuss",
                "One issue, told gently: what happened and how you felt, not what is wrong"
                " with them.",
            ),
            Part("need", "What I need", "What you need, as a positive request: 'could we…'."),
            Part(
                "loved",
                "Feeling loved",
                "What your partner could do this week to help you feel loved.",
            ),
        ),
    ),
}


def template(key: str) -> Template:
    """The template named ``key``, or :class:`InvalidField` naming the ones there are."""
    found = TEMPLATES.get(key)
    if found is None:
        raise InvalidField("template", f"{key!r} is not one of {', '.join(TEMPLATES)}")
    return found
