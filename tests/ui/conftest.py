"""UI tests keep every per-user file (the remembered-vaults map, logs) inside the test's tmp dir."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def user_dirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.delenv("TRUSTVAULT_HOME", raising=False)
    return home
