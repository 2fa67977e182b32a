"""Before the app starts on Linux: are the system libraries Qt's X11 plugin needs installed?

Without them Qt aborts with a message that names one library (often ``xcb-cursor0``) even when
others are missing. This asks the dynamic loader (``ldd`` on the plugin) which are not found and
prints the one command that installs them on Debian/Ubuntu, Fedora or Arch. It never imports Qt,
so it runs where Qt cannot load. ``make run`` calls it; ``python -m ui.system_libs`` does too.
"""

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["PACKAGES", "install_command", "main", "missing_libraries", "not_found"]

PACKAGES: dict[str, tuple[str, str, str]] = {
    # soname: (Debian/Ubuntu, Fedora, Arch)
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image"),
    "libxcb-render-util.so.0": (
        "libxcb-render-util0",
        "xcb-util-renderutil",
        "xcb-util-renderutil",
    ),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11"),
    "libX11.so.6": ("libx11-6", "libX11", "libx11"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx", "libglvnd"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl", "libglvnd"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype", "freetype2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "dbus"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
}
_INSTALLERS = ("sudo apt install", "sudo dnf install", "sudo pacman -S")
_FAMILIES = {"debian": 0, "ubuntu": 0, "fedora": 1, "rhel": 1, "centos": 1, "arch": 2}


def missing_libraries(plugin: Path | None = None) -> list[str]:
    """The sonames Qt's X11 plugin needs and the loader cannot find ([] if ``ldd`` is absent)."""
    plugin = plugin or _xcb_plugin()
    ldd = shutil.which("ldd")
    if plugin is None or ldd is None:
        return []
    done = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, check=False)
    return not_found(done.stdout)


def not_found(ldd_output: str) -> list[str]:
    """The sonames ``ldd`` reports as ``=> not found``, each once, sorted."""
    lines = ldd_output.splitlines()
    return sorted({line.split()[0] for line in lines if line.strip().endswith("not found")})


def install_command(missing: list[str], os_release: str) -> str:
    """The one command that installs ``missing`` on this distribution (Debian's by default)."""
    fields = dict(line.split("=", 1) for line in os_release.splitlines() if "=" in line)
    names = [fields.get("ID", ""), *fields.get("ID_LIKE", "").split()]
    family = next((_FAMILIES[n.strip('"')] for n in names if n.strip('"') in _FAMILIES), 0)
    tool = _INSTALLERS[family]
    packages = sorted({PACKAGES[s][family] if s in PACKAGES else s for s in missing})
    return f"{tool} {' '.join(packages)}"


def main() -> int:
    if not sys.platform.startswith("linux"):
        return 0
    missing = missing_libraries()
    if not missing:
        return 0
    try:
        release = Path("/etc/os-release").read_text(encoding="utf-8", errors="replace")
    except OSError:
        release = ""
    print(
        f"TrustVault's window needs system libraries that are missing: {', '.join(missing)}."
        f"\nInstall them with:\n\n    {install_command(missing, release)}\n",
        file=sys.stderr,
    )
    return 1


def _xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    plugin = Path(spec.submodule_search_locations[0]) / "Qt/plugins/platforms/libqxcb.so"
    return plugin if plugin.exists() else None


if __name__ == "__main__":
    raise SystemExit(main())
