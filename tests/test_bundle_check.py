"""``bundling/check_bundle.py`` (``make bundle-check``) fails, in one line, on a broken bundle.

The real bundle takes minutes to build, so ``.ci/run`` builds and checks it once after the
tests; here the checker meets small stand-in programs that each break one promise, so a check
that could not fail would show.
"""

import importlib.util
import re
import stat
import sys
from importlib.metadata import version
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_bundle", ROOT / "bundling" / "check_bundle.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_bundle = _checker()
SCREENS = sorted(p.name for p in (ROOT / "docs" / "screenshots").glob("*.png"))
GOOD_PNG = (ROOT / "docs" / "screenshots" / SCREENS[0]).read_bytes()


def _program(path: Path, body: str) -> None:
    """A stand-in program: Python with the body under ``args`` (its command-line arguments)."""
    path.write_text(
        f"#!{sys.executable}\nimport sys, json, pathlib\nargs = sys.argv[1:]\n{body}\n",
        encoding="utf-8",
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _bundle(tmp: Path, *, said: str = "", shots: list[str] | None = None, plugins: int = 0) -> Path:
    """A stand-in bundle; ``plugins`` leaves out that many of the Qt plugins, from the first."""
    bundle = tmp / "trustvault"
    bundle.mkdir()
    for name in check_bundle.LINUX_PLUGINS[plugins:]:
        plugin = bundle / "_internal" / "PySide6" / "Qt" / "plugins" / name
        plugin.parent.mkdir(parents=True, exist_ok=True)
        plugin.write_bytes(b"\x7fELF")
    said = said or f"trustvault-cli {version('trustvault')}"
    _program(bundle / "trustvault-cli", f"""
if args == ["--version"]:
    print({said!r})
elif args[0] == "list":
    print(json.dumps([{{"title": "From the bundle"}}]))
""")  # fmt: skip
    png = tmp / "shot.png"
    png.write_bytes(GOOD_PNG)
    _program(bundle / "trustvault", f"""
out = pathlib.Path(args[1])
out.mkdir(parents=True)
for name in {shots if shots is not None else SCREENS!r}:
    (out / name).write_bytes(pathlib.Path({str(png)!r}).read_bytes())
""")  # fmt: skip
    return bundle


def test_a_bundle_that_keeps_its_promises_passes(tmp_path: Path) -> None:
    check_bundle.check(_bundle(tmp_path))


@pytest.mark.parametrize(
    ("broken", "says"),
    [
        ({"said": "trustvault-cli unknown"}, "--version said 'trustvault-cli unknown'"),
        ({"shots": SCREENS[1:]}, "are not the README's"),
        ({"plugins": 1}, "Qt plugins missing from the bundle: platforms/libqxcb.so"),
    ],
)
def test_a_broken_bundle_is_named_in_one_line(
    tmp_path: Path, broken: dict[str, object], says: str
) -> None:
    with pytest.raises(check_bundle.BundleBroken, match=re.escape(says)):
        check_bundle.check(_bundle(tmp_path, **broken))  # type: ignore[arg-type]


def test_a_missing_bundle_or_a_bad_image_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_bundle.main([str(tmp_path / "nothing")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing or not executable (run make bundle)" in err
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not an image at all, and long enough")
    with pytest.raises(check_bundle.BundleBroken, match=re.escape("junk.png is not a PNG image")):
        check_bundle.png_size(junk)
    assert check_bundle.png_size(ROOT / "docs" / "screenshots" / SCREENS[0])[0] >= 800
