"""Scratch folders for fuzz targets, outside pytest's fixtures (``make fuzz`` runs without it).

One temporary root per process, removed at exit; targets build their real vaults, relays and
sync folders under it once and copy them per input.
"""

import atexit
import itertools
import shutil
import tempfile
from pathlib import Path

__all__ = ["Factory", "scratch"]

_ROOT: list[Path] = []
_COUNT = itertools.count()


def scratch(name: str) -> Path:
    """A new, empty folder that no other input uses."""
    if not _ROOT:
        _ROOT.append(Path(tempfile.mkdtemp(prefix="tv-fuzz-")))
        atexit.register(shutil.rmtree, _ROOT[0], ignore_errors=True)
    path = _ROOT[0] / f"{name}-{next(_COUNT)}"
    path.mkdir()
    return path


class Factory:
    """What the sync test helpers need of ``pytest.TempPathFactory``: ``mktemp``."""

    def mktemp(self, name: str) -> Path:
        return scratch(name)
