"""Benchmarks for ``make bench`` (``python -m bench``); not part of the tests.

Each benchmark is a function registered with :func:`benchmark`. It gets a :class:`Run` (a scratch
folder and the sizes asked for), prints human lines through ``run.say`` and returns its figures as
a flat ``{name: number}`` mapping; ``python -m bench`` prints every figure as one JSON object on
the last line. Absolute numbers vary +-30% on the shared machine, so where it matters a benchmark
measures a floor in the same run and reports the ratio (see ``/work/shared/PERFORMANCE.md``).

Sync and relay benchmarks register here the same way (a module under ``bench/`` imported by
:data:`MODULES`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["BENCHMARKS", "MODULES", "Figures", "Run", "benchmark"]

Figures = dict[str, float]


@dataclass
class Run:
    """What every benchmark gets: a scratch folder, the entry counts to try, and a printer."""

    folder: Path
    sizes: tuple[int, ...] = (10_000, 100_000)
    lines: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        print(line, flush=True)
        self.lines.append(line)


BENCHMARKS: dict[str, Callable[[Run], Figures]] = {}

# Modules whose import registers benchmarks, in the order they run.
MODULES = [
    "bench.store",
    "bench.sync",
    "bench.withdraw",
    "bench.pairing",
    "bench.drain",
    "bench.relay_load",
    "bench.ui_open",
    "bench.unlock_start",
    "bench.calendar_roundtrip",
]


def benchmark(name: str) -> Callable[[Callable[[Run], Figures]], Callable[[Run], Figures]]:
    """Register ``fn`` under ``name`` (the prefix of its figures in the JSON line)."""

    def register(fn: Callable[[Run], Figures]) -> Callable[[Run], Figures]:
        if name in BENCHMARKS:
            raise ValueError(f"benchmark {name!r} registered twice")
        BENCHMARKS[name] = fn
        return fn

    return register
