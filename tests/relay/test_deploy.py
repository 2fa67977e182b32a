"""What can be checked of deploy/ without a container engine or a running systemd.

The Containerfile: every COPY source is in the repository, every package ``pip install .`` needs
is copied, the lock it installs from pins every requirement by hash and holds no Qt, and its
entry point is a console script of this package whose command line the relay accepts. The
systemd units: ``systemd-analyze verify`` finds nothing wrong (unknown keys, bad values, a
missing binary: the one path it cannot see, /opt/trustvault, is pointed at the installed script
in a copy), ``systemd-analyze security`` rates them OK, and their ExecStart lines parse as the
relay's options. The install commands of docs/relay.md and of the units' headers: what they
name exists, each unit they enable is copied in first, the lock is hashed and without Qt, and the
user, folder and files a unit needs are made before it starts. Building and running the image
and the units needs an engine and a systemd (docs/relay.md says what was run).
"""

import importlib
import json
import re
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
DOCS = ROOT / "docs" / "relay.md"
INSTALLED = "/opt/trustvault/bin/trustvault-relay"
UNITS = ["trustvault-relay.service", "trustvault-relay@.service"]
# systemd-analyze's exposure, times ten, above which it exits non-zero: "OK" ends at 2.9.
EXPOSURE_THRESHOLD = 20


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


@pytest.mark.parametrize("name", UNITS)
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
    security = subprocess.run(
        [analyze, "security", "--offline=true", f"--threshold={EXPOSURE_THRESHOLD}", str(copy)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    verdict = security.stdout.strip().splitlines()[-1:]
    assert security.returncode == 0, f"{name}: {verdict or security.stderr}"


def _shell_blocks(text: str) -> list[list[str]]:
    """The ```sh blocks of a Markdown text, each as its commands (continuation lines joined)."""
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return [[c.strip() for c in b.replace("\\\n", " ").splitlines() if c.strip()] for b in blocks]


def _header_commands(unit: Path) -> list[str]:
    """The install commands a unit's header comment gives (the lines indented under a ``#``)."""
    commands: list[str] = []
    for line in (x[1:].strip() for x in unit.read_text().splitlines() if x.startswith("#   ")):
        if commands and commands[-1].endswith("\\"):
            commands[-1] = commands[-1][:-1].rstrip() + " " + line
        else:
            commands.append(line)
    return commands


def _install_procedures() -> dict[str, list[str]]:
    """Every block of install commands a deployer follows: the docs' and the units' headers'."""
    procedures = {
        f"docs/relay.md block {i}": b for i, b in enumerate(_shell_blocks(DOCS.read_text()))
    }
    for name in UNITS:
        procedures[f"deploy/{name} header"] = _header_commands(DEPLOY / name)
    return procedures


def _enabled(words: list[str]) -> list[str]:
    """The unit files a ``systemctl enable`` command starts (an instance names its template)."""
    if words[:3] == ["systemctl", "daemon-reload", "&&"]:
        words = words[3:]
    if words[:2] != ["systemctl", "enable"]:
        return []
    units = [w.removesuffix(".service") for w in words[2:] if not w.startswith("-")]
    return [re.sub(r"@.*", "@", unit) + ".service" for unit in units]


def test_the_install_commands_name_what_exists_and_copy_each_unit_before_enabling_it() -> None:
    for where, commands in _install_procedures().items():
        copied: set[str] = set()
        for command in commands:
            for path in re.findall(r"\b(?:deploy|requirements)/[\w.@-]+", command):
                assert (ROOT / path).exists(), f"{where}: {path} is not in the repository"
            words = shlex.split(command, comments=True) or [""]
            if words[:1] == ["cp"] and words[-1] == "/etc/systemd/system/":
                copied.update(Path(w).name for w in words[1:-1])
            if words[0].endswith("/pip") and words[1:2] == ["install"]:
                args = words[2:]
                assert "-r" in args or args[-1:] == ["."], (
                    f"{where}: installs from an index: {command}"
                )
                if "-r" in args:
                    lock = ROOT / args[args.index("-r") + 1]
                    pins = [x for x in lock.read_text().splitlines() if "==" in x.split("#")[0]]
                    assert "--require-hashes" in args, f"{where}: {lock.name} without its hashes"
                    assert not any(x.lower().startswith("pyside6") for x in pins), (
                        f"{where}: {lock.name} installs Qt on the server"
                    )
            for unit in _enabled(words):
                assert unit in copied, f"{where}: enables {unit} without copying it there first"


def test_the_install_commands_make_the_user_folders_and_files_a_unit_needs() -> None:
    for where, commands in _install_procedures().items():
        made: set[str] = set()
        users: set[str] = set()
        for command in commands:
            words = shlex.split(command, comments=True)
            if words[:1] == ["useradd"] and "--system" in words:
                users.add(words[-1])
            if words[:2] == ["install", "-d"]:
                made.update(w for w in words if w.startswith("/etc/"))
            writes = "/dev/stdin" in words or ">" in words  # install ... /dev/stdin PATH, > PATH
            for path in [w for w in words if w.startswith("/etc/")][-1:] if writes else []:
                parent = str(Path(path).parent)
                assert parent in made, f"{where}: writes {path} before making {parent}"
                made.add(path)
            for name in _enabled(words):
                unit = (DEPLOY / name).read_text()
                for user in re.findall(r"^User=(\S+)", unit, re.M):
                    assert user in users, f"{where}: {name} runs as {user}, made nowhere"
                for env in re.findall(r"^EnvironmentFile=(\S+)", unit, re.M):
                    assert env in made, f"{where}: {name} reads {env}, written nowhere"


def test_the_docs_show_the_unit_that_is_in_deploy() -> None:
    text = DOCS.read_text()
    (shown,) = re.findall(r"```ini\n(.*?)```", text, re.S)
    unit = (DEPLOY / "trustvault-relay.service").read_text()
    assert unit[unit.index("[Unit]") :] == shown, "docs/relay.md shows another unit than deploy/"
