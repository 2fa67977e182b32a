"""A display name: what the partner's device shows beside what this person wrote.

One rule for every way a name comes in: typed at ``init`` or in the wizard, changed later
(:meth:`~trustvault.actions.Actions.rename`), or received in the partner's ``profile`` op, which
is judged by the same rule as local input (``trustvault/sync/apply.py``).
"""

import unicodedata
from typing import Any

from trustvault.entries.parsing import parse_text
from trustvault.errors import InvalidField

__all__ = ["NAME_CHARS", "display_name"]

NAME_CHARS = 100
"""A name longer than this is refused (a join message's name is cut to it)."""


def display_name(value: Any) -> str:
    """``value`` stripped, or :class:`InvalidField` naming ``name``: it must be text of 1 to
    :data:`NAME_CHARS` characters on one line (a newline or another control character would
    break the CLI's one-line output and the app's labels)."""
    name = parse_text("name", value, required=True, max_len=NAME_CHARS)
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise InvalidField("name", "must be one line, without control characters")
    return name
