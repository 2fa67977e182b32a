"""``python -m bench [--only NAME ...] [--sizes 10000,100000]``: human lines, then one JSON line."""

import argparse
import importlib
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

from bench import BENCHMARKS, MODULES, Run


def main(argv: list[str] | None = None) -> int:
    for module in MODULES:
        importlib.import_module(module)
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS), help="run just this")
    parser.add_argument("--sizes", default="10000,100000", help="entry counts, comma-separated")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    figures: dict[str, float | str] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    with tempfile.TemporaryDirectory(prefix="tv-bench-") as scratch:
        for name in args.only or list(BENCHMARKS):
            run = Run(Path(scratch) / name, sizes)
            run.folder.mkdir()
            started = time.perf_counter()
            run.say(f"== {name}")
            for key, value in BENCHMARKS[name](run).items():
                figures[f"{name}.{key}"] = round(value, 3)
            run.say(f"   ({time.perf_counter() - started:.1f} s)")
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
