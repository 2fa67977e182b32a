"""``make bundle-check``: the one-folder bundle works on its own, as a person without Python
runs it.

Each program in ``dist/trustvault/`` runs with a bare environment (no PYTHONPATH, no venv on
PATH, a fresh home) from a folder outside the checkout, so nothing is borrowed from this
machine's Python:

0. on Linux, the Qt plugins a desktop needs are inside: the X11 (xcb), Wayland and offscreen
   platforms and the SVG icon engine (step 3 proves offscreen; no display here proves the rest);
1. ``trustvault-cli --version`` names the version this checkout builds;
2. ``trustvault-cli init``, ``add`` and ``list --json`` make and read a vault: SQLCipher (linked
   into sqlcipher3's extension), pynacl and Argon2id inside the bundle;
3. ``trustvault --screenshots DIR`` (offscreen) renders every screen the README shows (the
   names in ``docs/screenshots/``), each a real PNG of at least the window's size.

Prints one line per step and exits 1 on the first failure. Only the standard library: it runs
before anything is known to work.
"""

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MIN_SIZE = (400, 400)  # smaller than any screen it renders (a dialog such as grounding.png)
TIMEOUT = 300
LINUX_PLUGINS = (
    "platforms/libqxcb.so",
    "platforms/libqwayland.so",
    "platforms/libqoffscreen.so",
    "iconengines/libqsvgicon.so",
)
"""Under ``_internal/PySide6/Qt/plugins/``: what a Linux desktop loads to show the window."""


class BundleBroken(Exception):
    """A step's one-line reason."""


def _env(home: Path) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    env |= {"QT_QPA_PLATFORM": "offscreen", "TRUSTVAULT_HOME": str(home / "vault")}
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    return env


def _run(program: Path, args: list[str], env: dict[str, str], cwd: Path) -> str:
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [str(program), *args], env=env, cwd=cwd, capture_output=True, text=True,
            timeout=TIMEOUT, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise BundleBroken(f"{program.name} {' '.join(args)}: no answer in {TIMEOUT} s") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BundleBroken(
            f"{program.name} {' '.join(args)}: exit {done.returncode}: " + " | ".join(tail)
        )
    print(f"  ok  {program.name} {' '.join(args)} ({time.perf_counter() - started:.1f} s)")
    return done.stdout


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk; BundleBroken if it is not a PNG."""
    head = path.read_bytes()[:24]
    if len(head) < 24 or not head.startswith(PNG_SIGNATURE) or head[12:16] != b"IHDR":
        raise BundleBroken(f"{path.name} is not a PNG image")
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def check(bundle: Path) -> None:
    cli, app = bundle / "trustvault-cli", bundle / "trustvault"
    for program in (cli, app):
        if not os.access(program, os.X_OK):
            raise BundleBroken(f"{program} is missing or not executable (run make bundle)")
    if sys.platform.startswith("linux"):
        plugins = bundle / "_internal" / "PySide6" / "Qt" / "plugins"
        missing = [name for name in LINUX_PLUGINS if not (plugins / name).is_file()]
        if missing:
            raise BundleBroken(f"Qt plugins missing from the bundle: {', '.join(missing)}")
        print(f"  ok  Qt plugins: {', '.join(LINUX_PLUGINS)}")
    with tempfile.TemporaryDirectory(prefix="tv-bundle-check-") as scratch:
        home = Path(scratch)
        env = _env(home)

        said = _run(cli, ["--version"], env, home).strip()
        wanted = f"trustvault-cli {version('trustvault')}"
        if said != wanted:
            raise BundleBroken(f"--version said {said!r}, not {wanted!r}")

        vault_env = env | {"TRUSTVAULT_PASSPHRASE": "bundle check passphrase"}
        _run(cli, ["init", "--name", "Alex", "--kdf", "interactive"], vault_env, home)
        _run(cli, ["add", "milestone", "--title", "From the bundle"], vault_env, home)
        listed = json.loads(_run(cli, ["list", "--json"], vault_env, home))
        if [e.get("title") for e in listed] != ["From the bundle"]:
            raise BundleBroken(f"list --json did not show the entry just added: {listed}")

        shots = home / "screenshots"
        _run(app, ["--screenshots", str(shots)], env, home)
        wanted_names = sorted(p.name for p in (ROOT / "docs" / "screenshots").glob("*.png"))
        got_names = sorted(p.name for p in shots.glob("*.png"))
        if got_names != wanted_names:
            raise BundleBroken(f"screenshots {got_names} are not the README's {wanted_names}")
        for path in sorted(shots.glob("*.png")):
            width, height = png_size(path)
            if width < MIN_SIZE[0] or height < MIN_SIZE[1]:
                raise BundleBroken(f"{path.name} is {width}x{height}, too small to be a screen")
        print(f"  ok  {len(got_names)} screenshots, each a PNG of a whole screen")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="check_bundle", description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, nargs="?", default=ROOT / "dist" / "trustvault")
    args = parser.parse_args(argv)
    print(f"checking {args.bundle}")
    try:
        check(args.bundle.resolve())
    except BundleBroken as exc:
        print(f"bundle-check: {exc}", file=sys.stderr)
        return 1
    print("bundle-check: the bundle starts, keeps a vault and renders its screens")
    return 0


if __name__ == "__main__":
    sys.exit(main())
