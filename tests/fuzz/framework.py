"""What a fuzz target is, how a finding is told apart from the next, and how it is stored.

A :class:`Target` pairs a hypothesis strategy with a ``check`` that feeds one drawn input to the
real code and raises on anything that must never happen (an exception other than a one-line
``TrustVaultError``, a 500, a sync that stops applying). ``make fuzz`` (:mod:`tests.fuzz.run`)
draws inputs for minutes; each distinct finding is shrunk by hypothesis and stored as a crasher,
``crashers/<target>/<digest>.json``, which ``make test`` replays (``test_fuzz_replay.py``).

A crasher holds the input itself (JSON, bytes as base64), not hypothesis's choice sequence: it
stays readable and keeps replaying when a strategy changes. A finding's *signature* is the
exception's type and the innermost function of this project it came from (or a
:class:`Finding`'s message), so one bug found a thousand ways is counted and stored once.
"""

import base64
import hashlib
import json
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from trustvault.errors import TrustVaultError

__all__ = [
    "CRASHERS",
    "Finding",
    "Target",
    "decode",
    "encode",
    "load_crasher",
    "one_line_error",
    "open_note",
    "signature",
    "store_crasher",
    "stored_crashers",
]

CRASHERS = Path(__file__).parent / "crashers"
_PROJECT = ("/trustvault/", "/crypto/")


class Finding(AssertionError):
    """Something the target's code did that it must never do, said without the input's content
    (the message is the finding's signature)."""


@dataclass(frozen=True)
class Target:
    """One surface under fuzz: ``strategy()`` builds the inputs, ``check(value)`` runs one.

    ``brief`` is how many examples ``make test`` runs (derandomized), sized so the whole quick
    pass stays within a few seconds per target.
    """

    name: str
    strategy: Callable[[], st.SearchStrategy[Any]]
    check: Callable[[Any], None]
    brief: int = 30

    def run(self, value: Any) -> None:
        """``check(value)`` with warnings as the app sees them, not as pytest's ``error`` filter
        makes them (icalendar warns about guessed time zones: not a crash in the app)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.check(value)


_PYTHON_WORDS = ("object has no attribute", "object is not", "NoneType", "unhashable type")
"""What Python's own exceptions say: a person reading one was told a bug, not a cause."""


def one_line_error(exc: BaseException) -> None:
    """Pass a ``TrustVaultError`` whose message is one line in the app's words; raise a
    :class:`Finding` otherwise (anything else is re-raised, for the caller to see)."""
    if not isinstance(exc, TrustVaultError):
        raise exc
    message = str(exc)
    if not message or "\n" in message or "Traceback" in message:
        raise Finding(f"{type(exc).__name__} message is not one plain line")
    if any(words in message for words in _PYTHON_WORDS):
        raise Finding(f"{type(exc).__name__} message quotes a Python error")


def signature(exc: BaseException) -> str:
    """A short, content-free name for the bug behind ``exc``: its type, the innermost function
    of this project it passed through, and the function that raised it if that is elsewhere (a
    library), so two bugs of one library behind one call of ours are told apart."""
    if isinstance(exc, Finding):
        return str(exc)
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__name__
    ours = [f for f in frames if any(part in f.filename for part in _PROJECT)]
    where = ours[-1] if ours else frames[-1]
    text = f"{type(exc).__name__} in {_short(where)}"
    if where is not frames[-1]:
        text += f" from {_short(frames[-1])}"
    return text


def _short(frame: traceback.FrameSummary) -> str:
    return f"{'/'.join(frame.filename.rsplit('/', 2)[-2:])}:{frame.name}"


def encode(value: Any) -> Any:
    """``value`` as JSON data: bytes become ``{"$bytes": base64}``, tuples lists."""
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    return value


def decode(data: Any) -> Any:
    if isinstance(data, dict):
        if set(data) == {"$bytes"}:
            return base64.b64decode(data["$bytes"])
        return {k: decode(v) for k, v in data.items()}
    if isinstance(data, list):
        return [decode(v) for v in data]
    return data


def store_crasher(target: str, value: Any, sig: str, folder: Path = CRASHERS) -> Path:
    """Write a finding where the replay test finds it; its name is the digest of its input."""
    body = json.dumps(encode(value), sort_keys=True)  # ensure_ascii keeps lone surrogates
    name = hashlib.sha256(body.encode()).hexdigest()[:16]
    path = folder / target / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"target": target, "signature": sig, "input": json.loads(body)}
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    return path


def stored_crashers(folder: Path = CRASHERS) -> list[tuple[str, Path]]:
    """(target name, file) of every stored crasher, in a stable order."""
    return [(p.parent.name, p) for p in sorted(folder.glob("*/*.json"))]


def load_crasher(path: Path) -> tuple[str, Any]:
    doc = json.loads(path.read_text())
    return doc["signature"], decode(doc["input"])


def open_note(path: Path) -> str | None:
    """Why a stored crasher is still expected to fail (a bug handed to its code's owner), or
    None for a fixed one, replayed as a regression test."""
    note: str | None = json.loads(path.read_text()).get("open")
    return note
