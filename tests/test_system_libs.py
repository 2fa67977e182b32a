"""`make run` names the system libraries Qt's window needs, and the one command that installs
them."""

import subprocess
import sys

from ui.system_libs import install_command, missing_libraries, not_found

DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n'
UBUNTU = "ID=ubuntu\nID_LIKE=debian\n"
FEDORA = "ID=fedora\nVERSION_ID=41\n"
ARCH = "ID=arch\n"
ROCKY = 'ID="rocky"\nID_LIKE="rhel centos fedora"\n'


def test_the_command_fits_the_distribution() -> None:
    missing = ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxkbcommon-x11.so.0"]
    assert install_command(missing, DEBIAN) == (
        "sudo apt install libxcb-cursor0 libxcb-icccm4 libxkbcommon-x11-0"
    )
    assert install_command(missing, UBUNTU).startswith("sudo apt install libxcb-cursor0")
    assert install_command(missing, FEDORA) == (
        "sudo dnf install libxkbcommon-x11 xcb-util-cursor xcb-util-wm"
    )
    assert install_command(missing, ROCKY).startswith("sudo dnf install")
    assert (
        install_command(missing, ARCH)
        == "sudo pacman -S libxkbcommon-x11 xcb-util-cursor xcb-util-wm"
    )
    assert install_command(["libunknown.so.7"], DEBIAN) == "sudo apt install libunknown.so.7"


LDD_ON_A_BARE_DEBIAN = """\
\tlinux-vdso.so.1 (0x00007ffd4a5f2000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f1c2a400000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f1c2a3d0000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-cursor.so.0 => not found
"""


def test_what_the_loader_cannot_find_is_read_from_its_report() -> None:
    """ldd's report on this machine's plugin, trimmed: each missing soname once."""
    assert not_found(LDD_ON_A_BARE_DEBIAN) == [
        "libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"
    ]  # fmt: skip
    assert not_found("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n") == []


def test_the_check_prints_the_command_and_fails_only_when_something_is_missing() -> None:
    done = subprocess.run([sys.executable, "-m", "ui.system_libs"], capture_output=True, text=True,
                          check=False)  # fmt: skip
    if missing_libraries():
        assert done.returncode == 1 and "Install them with:" in done.stderr
    else:
        assert done.returncode == 0 and done.stderr == ""
