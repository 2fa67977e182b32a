"""Each extra fits its user: the base install is the core and the CLI, ``[app]`` adds Qt,
``[relay]`` the server's web stack, and the hashed locks pin exactly what pyproject.toml names.

The "runs without" tests start real processes with a ``sitecustomize`` that makes the other
extras' packages unimportable (as if they were not installed), so an import that slips in at the
top of a module fails here and not on a relay operator's server.
"""

import ast
import os
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import httpx
import pytest

from tests.relay.relay_fixture import RelayServer
from trustvault.sync.relay_transport import create_mailbox

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CLI = Path(sys.executable).with_name("trustvault-cli")
QT = ("PySide6", "shiboken6", "segno")  # what [app] brings
WEB = ("starlette", "uvicorn")  # what [relay] brings (h11 stays: httpx, in the base, needs it)

BLOCKER = """
import importlib.abc, sys

class _NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            message = f"No module named {{name!r}} (blocked by the test)"
            raise ModuleNotFoundError(message, name=name)
        return None

sys.meta_path.insert(0, _NotInstalled())
"""


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement line (PEP 503)."""
    found = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert found, requirement
    return re.sub(r"[-_.]+", "-", found.group()).lower()


def _declared(*extras: str) -> set[str]:
    names = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    for extra in extras:
        names |= {_name(r) for r in PYPROJECT["project"]["optional-dependencies"][extra]}
    return names - {"trustvault"}


def _third_party_imports(files: list[Path]) -> set[str]:
    """Distributions the files import at any depth (stdlib and the project's own left out)."""
    tops: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                tops.add(node.module.split(".")[0])
    ours = {"crypto", "trustvault", "ui", "resources"}
    tops = {t for t in tops if t not in sys.stdlib_module_names and t not in ours}
    owners = packages_distributions()
    missing = sorted(t for t in tops if t not in owners)
    assert not missing, f"imported but not installed: {missing}"
    return {_name(dist) for top in tops for dist in owners[top]}


def _files(top: str, *, without: str = "") -> list[Path]:
    return [p for p in (ROOT / top).rglob("*.py") if not without or without not in p.parts]


def test_each_part_imports_only_what_its_extra_declares() -> None:
    core = _files("crypto") + _files("trustvault", without="relay")
    assert _third_party_imports(core) - _declared() == set()
    relay = _files("trustvault/relay")
    assert _third_party_imports(relay) - _declared("relay") == set()
    assert _third_party_imports(_files("ui")) - _declared("app") == set()
    # The split means something: the base names neither Qt nor the relay's web stack.
    assert {"pyside6-essentials", "segno", "starlette", "uvicorn"} & _declared() == set()


def _locked(name: str) -> dict[str, str]:
    """Name -> version of one lock file; every pin must carry at least one sha256 hash."""
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    pins: dict[str, str] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        first = block.split("\n", 1)[0]
        if first.startswith("#") or not first.strip():
            continue
        pin = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)", first)
        assert pin, f"{name}: not an exact pin: {first}"
        assert "--hash=sha256:" in block, f"{name}: {pin.group(1)} has no hash"
        pins[_name(pin.group(1))] = pin.group(2)
    return pins


def test_the_locks_pin_the_extras_with_hashes_runtime_apart_from_dev() -> None:
    runtime, dev = _locked("runtime.lock"), _locked("dev.lock")
    assert _declared("app", "relay") - set(runtime) == set()
    assert _declared("app", "relay", "dev") - set(dev) == set()
    assert {"pytest", "mypy", "ruff", "hypothesis", "recurring-ical-events"} & set(runtime) == set()
    # The tests run on exactly what a user runs on.
    assert {name: dev.get(name) for name in runtime} == runtime
    # Universal: the other systems' keyring backends are pinned too, behind their markers.
    text = (ROOT / "requirements" / "runtime.lock").read_text(encoding="utf-8")
    assert re.search(r"^pywin32-ctypes==\S+ ; sys_platform == 'win32'", text, re.M)


def _without(tmp_path: Path, blocked: tuple[str, ...]) -> dict[str, str]:
    """An environment whose processes cannot import ``blocked``, as if it were not installed."""
    site = tmp_path / "blocker"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCKER.format(blocked=set(blocked)), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRUSTVAULT_")}
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(ROOT)])
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / "home" / name.lower())
    probe = subprocess.run(
        [sys.executable, "-c", f"import {blocked[0]}"], env=env, capture_output=True, text=True
    )
    assert probe.returncode == 1 and "blocked by the test" in probe.stderr, probe.stderr
    return env


def test_the_cli_runs_without_qt_or_the_relay_stack(tmp_path: Path) -> None:
    env = _without(tmp_path, QT + WEB) | {"TRUSTVAULT_PASSPHRASE": "correct horse battery"}
    version = subprocess.run(
        [CLI, "--version"], env=env, capture_output=True, text=True, timeout=60
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("trustvault-cli ")
    folder = str(tmp_path / "vault")
    for args in (
        ["init", "--name", "Alex", "--kdf", "interactive"],
        ["add", "milestone", "--title", "installed without Qt"],
    ):
        done = subprocess.run(
            [CLI, "--vault", folder, *args], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Added milestone") and "installed without Qt" in done.stdout


def test_the_relay_runs_without_qt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in _without(tmp_path, QT).items():
        monkeypatch.setenv(name, value)  # the relay process inherits this environment
    relay = RelayServer(tmp_path / "relay-data").start()
    try:
        assert httpx.get(f"{relay.url}/v1/health", timeout=5).is_success
        credentials = create_mailbox(relay.url, os.urandom(32))
        assert credentials.mailbox_id and credentials.url == relay.url
    finally:
        relay.stop()
    assert "blocked by the test" not in relay.log_text()
