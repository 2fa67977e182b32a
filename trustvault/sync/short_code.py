"""The short pairing code people say aloud: ``7-tiger-vagabond`` (channel, even word, odd word).

The channel number only names where the two devices meet on the medium (it is public); the two
words are the secret: one word of the PGP list's 256 even words and one of its 256 odd words,
65,536 codes in all. The secret never leaves the device: SPAKE2 (:mod:`crypto.pake`) proves that
both typed the same code, and an attacker gets one online guess per invitation (one in 65,536)
before a wrong code burns it. Two lists, so a swapped or dropped word is caught by the words.
"""

import difflib
import re
from dataclasses import dataclass

from crypto.random import random_bytes
from trustvault.errors import PairingError
from trustvault.sync import pgp_words

__all__ = [
    "ShortCode",
    "completions",
    "is_short_code",
    "new_code",
    "parse_code",
    "random_channel",
]

_SHAPE = re.compile(r"[0-9]{1,4}[\s-]")
_EVEN, _ODD = frozenset(pgp_words.EVEN), frozenset(pgp_words.ODD)
_ALL = (*pgp_words.EVEN, *pgp_words.ODD)
MAX_CHANNEL = 9999


@dataclass(frozen=True, repr=False)
class ShortCode:
    channel: int
    first: str
    second: str

    @property
    def text(self) -> str:
        return f"{self.channel}-{self.first}-{self.second}"

    def __repr__(self) -> str:
        return f"ShortCode(channel={self.channel})"  # never the words


def new_code(channel: int) -> ShortCode:
    """Two fresh words from the CSPRNG for ``channel``."""
    pick = random_bytes(2)
    return ShortCode(channel, pgp_words.EVEN[pick[0]], pgp_words.ODD[pick[1]])


def random_channel(limit: int) -> int:
    """A channel from 1 to ``limit`` (a small one keeps the code short)."""
    return 1 + int.from_bytes(random_bytes(4), "big") % limit


def is_short_code(text: str) -> bool:
    """A short code (a number first) rather than the long ``tv1-`` one."""
    return _SHAPE.match(text.strip()) is not None


def parse_code(text: str) -> ShortCode:
    """Read a typed code (spaces or dashes, any case); :class:`PairingError` naming what is
    wrong: the shape, the number, or the first word that is not on its list."""
    parts = [p for p in re.split(r"[\s-]+", text.strip().lower()) if p]
    if len(parts) != 3 or not parts[0].isdigit():
        raise PairingError(
            "A pairing code is a number and two words, like 7-tiger-vagabond; check it with"
            " your partner."
        )
    channel = int(parts[0])
    if not 1 <= channel <= MAX_CHANNEL:
        raise PairingError(f"The code's number must be from 1 to {MAX_CHANNEL}.")
    for position, (word, words) in enumerate(((parts[1], _EVEN), (parts[2], _ODD)), 1):
        if word not in words:
            raise PairingError(_not_a_word(word, position, words))
    return ShortCode(channel, parts[1], parts[2])


def completions(prefix: str, position: int) -> list[str]:
    """Words that may come at ``position`` (1: even list, 2: odd list) starting with ``prefix``."""
    words = pgp_words.EVEN if position == 1 else pgp_words.ODD
    prefix = prefix.strip().lower()
    return [w for w in words if w.startswith(prefix)]


def _not_a_word(word: str, position: int, words: frozenset[str]) -> str:
    place = "first" if position == 1 else "second"
    if word in _ALL:
        return (
            f"“{word}” is a code word, but not a {place} one: check the order of the words"
            " with your partner."
        )
    near = difflib.get_close_matches(word, sorted(words), n=2, cutoff=0.7)
    hint = f" Did you mean {' or '.join(f'“{n}”' for n in near)}?" if near else ""
    return f"“{word}” is not one of the code's words ({place} word).{hint}"
