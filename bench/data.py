"""Deterministic entry data for benchmarks: mixed kinds, ~512 bytes of text each.

Words come from a fixed vocabulary with a skewed frequency, so search has rare, medium and
common words to look for, as a real diary would.
"""

import random
from collections.abc import Mapping
from typing import Any

__all__ = ["COMMON_WORD", "MEDIUM_WORD", "RARE_WORD", "entries"]

_VOCAB = [f"w{n:04d}" for n in range(4000)]
COMMON_WORD = "w0000"  # in most entries
MEDIUM_WORD = "w0300"  # in roughly one entry in a hundred
RARE_WORD = "w3990"  # in a handful


def _words(rng: random.Random, n: int) -> str:
    # Pareto-skewed index: low numbers are common, high ones rare.
    picks = (min(int(rng.paretovariate(0.55)) - 1, len(_VOCAB) - 1) for _ in range(n))
    return " ".join(_VOCAB[i] for i in picks)


def entries(n: int, seed: int = 42) -> list[tuple[str, Mapping[str, Any], None]]:
    """``n`` new entries as :meth:`EntryStore.add_many` takes them."""
    rng = random.Random(seed)
    out: list[tuple[str, Mapping[str, Any], None]] = []
    for i in range(n):
        day = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"
        roll = i % 10
        if roll < 3:
            fields: dict[str, Any] = {
                "title": _words(rng, 6),
                "body": _words(rng, 70),
                "occurred_on": day,
                "category": "contact",
            }
            out.append(("disclosure", fields, None))
        elif roll < 5:
            fields = {
                "title": _words(rng, 5),
                "start": f"{day}T19:00:00+01:00",
                "end": f"{day}T21:00:00+01:00",
                "location": _words(rng, 3),
                "notes": _words(rng, 60),
                "event_kind": "date_night",
            }
            out.append(("event", fields, None))
        elif roll < 8:
            fields = {
                "mood": 1 + i % 10,
                "safety": 1 + (i * 7) % 10,
                "feelings": _words(rng, 3).split(),
                "note": _words(rng, 70),
            }
            out.append(("checkin", fields, None))
        elif roll < 9:
            out.append(("milestone", {"title": _words(rng, 5), "note": _words(rng, 70)}, None))
        else:
            fields = {"title": _words(rng, 5), "text": _words(rng, 75), "review_on": day}
            out.append(("agreement", fields, None))
    return out
