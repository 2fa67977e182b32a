"""A wheel built from the repo installs into a fresh venv and runs, schema files and resources in.

The build runs on a copy of the source (so ``build/`` and ``*.egg-info`` never land in the shared
checkout). The fresh venv has no pip and no dependencies of its own: a ``.pth`` file lends it the
project venv's site-packages for the third-party libraries only, and the commands run outside the
repo, so ``trustvault`` can only be imported from the installed wheel.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

SOURCES = ["pyproject.toml", "README.md", "crypto", "trustvault", "ui", "resources"]


def _repo_files(pattern: str) -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in ROOT.glob(pattern)}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        path = ROOT / name
        assert path.exists(), f"{name} is needed to build the wheel"
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, src / name)
    dist = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=src,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (built,) = dist.glob("trustvault-*.whl")
    return built


def test_wheel_holds_schema_files_and_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "trustvault/storage/schema/001_initial.sql" in names
    wanted = (
        _repo_files("trustvault/storage/schema/*.sql")
        | _repo_files("resources/*.qss")
        | _repo_files("resources/icons/*.svg")
        | _repo_files("resources/*.svg")
        | _repo_files("resources/desktop/*")
    )
    assert wanted - names == set()
    for package in ("crypto", "trustvault", "ui"):
        assert _repo_files(f"{package}/**/*.py") - names == set(), package
    assert not [n for n in names if n.startswith(("tests/", "bench/"))]


@pytest.fixture(scope="module")
def fresh_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    # Third-party libraries only: a path line in a .pth is not itself scanned for .pth files,
    # so the project's editable install (a .pth in that folder) stays out.
    Path(site, "zz_project_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["HOME"] = str(home)
    return env


def test_installed_cli_runs_from_the_wheel(fresh_venv: Path, tmp_path: Path) -> None:
    version = subprocess.run(
        [fresh_venv / "bin" / "trustvault-cli", "--version"],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == "trustvault-cli 0.1.0"

    where = subprocess.run(
        [
            fresh_venv / "bin" / "python",
            "-c",
            "import crypto, resources, trustvault\n"
            "from importlib import resources as r\n"
            "from trustvault.storage.migrations import LATEST_VERSION\n"
            "print(trustvault.__file__)\nprint(crypto.__file__)\nprint(LATEST_VERSION)\n"
            "print(sorted(p.name for p in r.files('resources').iterdir()"
            " if p.name.endswith('.qss')))",
        ],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert where.returncode == 0, where.stderr
    tv_file, crypto_file, latest, qss = where.stdout.splitlines()
    assert tv_file.startswith(str(fresh_venv)) and crypto_file.startswith(str(fresh_venv))
    assert int(latest) == len(_repo_files("trustvault/storage/schema/*.sql"))
    assert qss == str(sorted(p.rsplit("/", 1)[1] for p in _repo_files("resources/*.qss")))


def test_installed_cli_creates_and_reads_a_vault(fresh_venv: Path, tmp_path: Path) -> None:
    """The packaged schema files are found: a vault is made and read with the installed app."""
    env = _env(tmp_path) | {"TRUSTVAULT_PASSPHRASE": "correct horse battery"}
    cli = str(fresh_venv / "bin" / "trustvault-cli")
    folder = str(tmp_path / "vault")
    for args in (
        ["init", "--name", "Alex", "--kdf", "interactive"],
        ["add", "milestone", "--title", "installed from the wheel"],
        ["list"],
    ):
        done = subprocess.run(
            [cli, "--vault", folder, *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
    assert "installed from the wheel" in done.stdout
