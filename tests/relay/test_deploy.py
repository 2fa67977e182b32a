"""What can be checked of deploy/ without a container engine or a running systemd.

The Containerfile: every COPY source is in the repository, every package ``pip install .`` needs
is copied, the lock it installs from pins every requirement by hash and holds no Qt, and its
entry point is a console script of this package whose command line the relay accepts. The
systemd units: ``systemd-analyze verify`` finds nothing wrong (unknown keys, bad values, a
missing binary: the one path it cannot see, /opt/trustvault, is pointed at the installed script
in a copy), and their ExecStart lines parse as the relay's options. Building and running the
image needs a registry for its base image (docs/relay.md, "A container", says what was run).
"""

import importlib
import json
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from trustvault.relay.server import POSTGRES_ENV, parse_args

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
INSTALLED = "/opt/trustvault/bin/trustvault-relay"


def _instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Containerfile, continuation lines joined."""
    joined = path.read_text().replace("\\\n", " ")
    lines = [line.strip() for line in joined.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def _json_list(text: str) -> list[str]:
    value = json.loads(text)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value)
    return value


def test_the_containerfile_copies_what_exists_and_starts_the_relay() -> None:
    steps = _instructions(DEPLOY / "Containerfile")
    copied: set[str] = set()
    for kind, args in steps:
        if kind == "COPY":
            *sources, _target = args.split()
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
                copied.add(source.rstrip("/"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = project["tool"]["setuptools"]["packages"]
    missing = {p.split(".")[0] for p in packages} - copied
    assert not missing, f"pip install . needs {missing}, which the Containerfile does not copy"

    runs = " ".join(args for kind, args in steps if kind == "RUN")
    lock = runs.split("--require-hashes", 1)[1].split("-r", 1)[1].split()[0]
    pins = [line for line in (ROOT / lock).read_text().splitlines() if "==" in line.split("#")[0]]
    assert pins, f"{lock} pins nothing"
    assert all(line.rstrip().endswith("\\") for line in pins), f"{lock}: a pin without a hash"
    assert not any(line.lower().startswith("pyside6") for line in pins), "Qt in the relay image"

    (entry,) = [_json_list(args) for kind, args in steps if kind == "ENTRYPOINT"]
    (command,) = [_json_list(args) for kind, args in steps if kind == "CMD"]
    script = project["project"]["scripts"][entry[0]]
    module, _, function = script.partition(":")
    assert callable(getattr(importlib.import_module(module), function))
    assert module == "trustvault.relay.server"
    options = parse_args(entry[1:] + command)
    assert (options.host, options.port, options.data) == ("0.0.0.0", 8765, Path("/data"))  # noqa: S104
    (expose,) = [args for kind, args in steps if kind == "EXPOSE"]
    assert int(expose) == options.port


def _exec_start(unit: str) -> list[str]:
    joined = unit.replace("\\\n", " ")
    (line,) = [x for x in joined.splitlines() if x.startswith("ExecStart=")]
    return shlex.split(line.removeprefix("ExecStart="))


@pytest.mark.parametrize("name", ["trustvault-relay.service", "trustvault-relay@.service"])
def test_the_systemd_units_verify_and_their_command_lines_parse(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = (DEPLOY / name).read_text().replace("%i", "8765")
    command = _exec_start(unit)
    assert command[0] == INSTALLED
    monkeypatch.delenv(POSTGRES_ENV, raising=False)
    if "EnvironmentFile=/etc/trustvault-relay/postgres.env" in unit:  # what that file sets
        monkeypatch.setenv(POSTGRES_ENV, "host=/run/postgresql dbname=trustvault_relay")
    options = parse_args(command[1:])
    assert options.port == 8765 and options.host == "127.0.0.1" and options.proxy_headers
    if "@" in name:  # several processes: the database from the EnvironmentFile, no data folder
        assert options.data is None and options.postgres
    else:
        assert options.data == Path("/var/lib/trustvault-relay")

    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is needed (Debian: apt-get install systemd)"
    script = Path(sys.executable).with_name("trustvault-relay")
    assert script.is_file(), f"{script}: install the package (pip install -e .)"
    copy = tmp_path / name.replace("@", "@8765")
    copy.write_text(unit.replace(INSTALLED, str(script)))
    result = subprocess.run(
        [analyze, "verify", str(copy)], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), (
        result.stdout + result.stderr
    )
