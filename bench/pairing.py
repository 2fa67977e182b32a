"""Pairing by the short spoken code, through a real folder and a real relay on loopback (issue 10,
item 6: under 2 seconds). The figure is the wall time from ``invite_by_words`` to both devices
paired (invite, join, then the three syncs it takes: the inviter's, the joiner's, the inviter's),
vault creation excluded; the floor is the long ``tv1-`` code's pairing (invite, join, two syncs)
between two other fresh vaults through the same medium, measured in the same run.
"""

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import Figures, Run, benchmark
from bench.relay_load import _start_relay
from trustvault.actions import Actions
from trustvault.medium import folder_spec, relay_spec

PASSPHRASE = "benchmark passphrase"


def _couple(folder: Path, tag: str) -> tuple[Actions, Actions]:
    a = Actions.create(folder / f"a-{tag}", PASSPHRASE, "Alex", kdf_profile="interactive")
    b = Actions.create(folder / f"b-{tag}", PASSPHRASE, "Sam", kdf_profile="interactive")
    return a, b


def _short(a: Actions, b: Actions, spec: Callable[[], dict[str, Any]]) -> float:
    started = time.perf_counter()
    b.join_by_words(a.invite_by_words(spec()), spec())
    a.sync()
    b.sync()
    a.sync()
    elapsed = time.perf_counter() - started
    assert a.queries.pair_status() == b.queries.pair_status() == "paired"
    return elapsed


def _long(a: Actions, b: Actions, spec: Callable[[], dict[str, Any]], relay: bool) -> float:
    started = time.perf_counter()
    code = a.invite(spec())
    b.join(code, None if relay else spec())
    a.sync()
    b.sync()
    elapsed = time.perf_counter() - started
    assert a.queries.pair_status() == b.queries.pair_status() == "paired"
    return elapsed


def _measure(run: Run, medium: str, spec: Callable[[], dict[str, Any]]) -> Figures:
    folder = run.folder / medium
    folder.mkdir()
    short_pair, long_pair = _couple(folder, "short"), _couple(folder, "long")
    short_s = _short(*short_pair, spec)
    long_s = _long(*long_pair, spec, medium == "relay")
    for actions in (*short_pair, *long_pair):
        actions.close()
    run.say(
        f"   {medium}: the short code pairs in {short_s * 1000:,.0f} ms (target < 2,000);"
        f" the long code in {long_s * 1000:,.0f} ms: {long_s / short_s:.2f} of its speed"
    )
    return {f"{medium}.short_s": short_s, f"{medium}.long_s": long_s,
            f"{medium}.ratio": long_s / short_s}  # fmt: skip


@benchmark("pairing")
def pairing_bench(run: Run) -> Figures:
    shared = run.folder / "shared"
    shared.mkdir()
    figures = _measure(run, "folder", lambda: folder_spec(shared))
    process, url = _start_relay(["--data", str(run.folder / "relay-data")])
    try:
        figures.update(_measure(run, "relay", lambda: relay_spec(url)))
    finally:
        process.terminate()
        process.wait(10)
    return figures
