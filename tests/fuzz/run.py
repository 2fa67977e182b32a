"""``make fuzz``: run every target (or those named) for a while; store and count what breaks.

    python -m tests.fuzz.run [--seconds N] [target ...]     (FUZZ_SECONDS in the Makefile)

Hypothesis draws the inputs (randomized: each run explores afresh, no example database), in
rounds sized to the time left. When a check fails, hypothesis shrinks the input and the smallest
one is stored under ``crashers/<target>/``; its signature is then known, so the rest of the run
looks for other bugs. Stored crashers that still fail count as known from the start. Each target
prints its executions, findings (new and known) and time.
"""

import argparse
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings

from tests.fuzz.framework import (
    CRASHERS,
    Target,
    load_crasher,
    signature,
    store_crasher,
    stored_crashers,
)

__all__ = ["Stats", "fuzz", "main"]


@dataclass
class Stats:
    target: str
    executions: int = 0
    seconds: float = 0.0
    new: list[str] = field(default_factory=list)
    known: set[str] = field(default_factory=set)

    def line(self) -> str:
        rate = self.executions / self.seconds if self.seconds else 0.0
        return (
            f"fuzz {self.target:<9} {self.executions:>8} executions in {self.seconds:6.0f} s"
            f" ({rate:7.1f}/s)  new findings {len(self.new)}  known still failing"
            f" {len(self.known - set(self.new))}"
        )


def _still_failing(target: Target, folder: Path) -> set[str]:
    known = set()
    for name, path in stored_crashers(folder):
        if name != target.name:
            continue
        _, value = load_crasher(path)
        try:
            target.run(value)
        except Exception as exc:  # (any failure is a finding; its name is kept)
            known.add(signature(exc))
    return known


def fuzz(target: Target, seconds: float, folder: Path = CRASHERS) -> Stats:
    """Fuzz ``target`` for about ``seconds``; new findings are stored under ``folder``."""
    stats = Stats(target.name, known=_still_failing(target, folder))
    failing: list[tuple[Any, str]] = []

    def run_one(value: Any) -> None:
        stats.executions += 1
        try:
            target.run(value)
        except Exception as exc:
            sig = signature(exc)
            if sig in stats.known:
                return  # found before: look for something else
            failing.append((value, sig))
            raise

    started = time.monotonic()
    deadline = started + seconds
    while (now := time.monotonic()) < deadline:
        elapsed = now - started
        if stats.executions:  # rounds sized to the time left at the rate seen so far
            examples = int(min(max(stats.executions / elapsed * (deadline - now), 5), 2000))
        else:
            examples = 10

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=False,
            phases=[Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
            print_blob=False,
        )
        @given(target.strategy())
        def round_(value: Any) -> None:
            run_one(value)

        failing.clear()
        try:
            round_()
        except Exception:  # (hypothesis re-raises the shrunk example's failure)
            if not failing:
                raise
            value, sig = failing[-1]  # the last run is hypothesis replaying the smallest input
            path = store_crasher(target.name, value, sig, folder)
            stats.new.append(sig)
            stats.known.add(sig)
            print(f"  {target.name}: NEW {sig} -> {path}", flush=True)
    stats.seconds = time.monotonic() - started
    return stats


def _quiet_and_offline() -> None:
    """What tests/conftest.py sets up for pytest: the in-memory keychain, no log output (the
    relay target reads the relay's log records itself)."""
    import keyring

    from tests.helpers import MemoryKeyring
    from trustvault.keychain import ALLOW_ENV

    os.environ[ALLOW_ENV] = f"{MemoryKeyring.__module__}.{MemoryKeyring.__qualname__}"
    keyring.set_keyring(MemoryKeyring())
    logging.getLogger().addHandler(logging.NullHandler())


def main(argv: list[str] | None = None) -> int:
    from tests.fuzz.targets import TARGETS

    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.run")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("FUZZ_SECONDS", 120)))
    parser.add_argument("targets", nargs="*", help=f"any of {', '.join(TARGETS)} (default: all)")
    args = parser.parse_args(argv)
    unknown = set(args.targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown target {', '.join(sorted(unknown))}")
    _quiet_and_offline()
    names = args.targets or list(TARGETS)
    results = []
    for name in names:
        print(f"fuzzing {name} for {args.seconds:.0f} s ...", flush=True)
        results.append(fuzz(TARGETS[name], args.seconds))
        print(results[-1].line(), flush=True)
    print("\n".join(["", "fuzz summary", *(s.line() for s in results)]))
    for stats in results:
        for sig in stats.new:
            print(f"  {stats.target}: {sig}")
    return 1 if any(s.new for s in results) else 0


if __name__ == "__main__":
    sys.exit(main())
