"""A device that dies in the middle of pairing must still end up paired after it restarts.

The crash is simulated by a transport that performs one chosen call and then raises, as if the
process had been killed right after it: everything the vault had not committed is rolled back,
while the medium keeps what was written or deleted. Then both devices keep syncing; they must
pair with each other (same safety number) within a few rounds.
"""

import contextlib
from pathlib import Path

import pytest

from crypto.envelope import parse_header
from crypto.errors import CryptoError
from tests.sync.sync_helpers import make_couple
from trustvault.sync.folder_transport import FolderTransport
from trustvault.sync.service import SyncService
from trustvault.sync.transports import folder_spec


class Killed(Exception):
    """Stands for SIGKILL: nothing after the failing call runs, uncommitted writes roll back."""


class Dies:
    """A folder transport that dies just before or just after its first ``method`` call on a
    blob of ``kind`` (``when`` is "before" or "after")."""

    def __init__(self, folder: Path, when: str, method: str, kind: bytes) -> None:
        self.inner = FolderTransport(folder)
        self.when, self.method, self.kind = when, method, kind
        self.armed = True

    def _maybe_die(self, when: str, method: str, kind: bytes | None) -> None:
        if self.armed and (when, method, kind) == (self.when, self.method, self.kind):
            self.armed = False
            raise Killed(f"{when} {method}")

    def _kind_of(self, name: str) -> bytes | None:
        return _kind(self.inner.get(name))

    def put(self, name: str, data: bytes) -> None:
        self._maybe_die("before", "put", _kind(data))
        self.inner.put(name, data)
        self._maybe_die("after", "put", _kind(data))

    def delete(self, name: str) -> None:
        kind = self._kind_of(name)
        self._maybe_die("before", "delete", kind)
        self.inner.delete(name)
        self._maybe_die("after", "delete", kind)

    def names(self) -> list[str]:
        return self.inner.names()

    def get(self, name: str) -> bytes | None:
        return self.inner.get(name)

    def wait(self, timeout: float) -> None:
        self.inner.wait(timeout)

    def close(self) -> None:
        self.inner.close()


CASES = [
    ("inviter", "before", "put", b"W"),  # request read, answer not yet written
    ("inviter", "after", "put", b"W"),  # answer written, request still there
    ("inviter", "after", "delete", b"J"),  # request consumed
    ("joiner", "after", "put", b"J"),  # request written, join not yet recorded
    ("joiner", "before", "delete", b"W"),  # answer read, not yet consumed
    ("joiner", "after", "delete", b"W"),
]


@pytest.mark.parametrize(("who", "when", "method", "kind"), CASES)
def test_a_device_killed_mid_pairing_still_pairs(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    who: str,
    when: str,
    method: str,
    kind: bytes,
) -> None:
    c = make_couple(tmp_path, tmp_path_factory)
    dying = Dies(c.folder, when, method, kind)
    c.sa = SyncService(c.a, dying if who == "inviter" else FolderTransport(c.folder))
    c.sb = SyncService(c.b, dying if who == "joiner" else FolderTransport(c.folder))
    code = c.sa.invite(folder_spec(c.folder))
    with contextlib.suppress(Killed):
        c.sb.join(code, folder_spec(c.folder))
    if c.sb.status() == "unpaired":
        c.sb.join(code, folder_spec(c.folder))  # the person tries again after the crash
    for _ in range(6):
        for service in (c.sa, c.sb):
            with contextlib.suppress(Killed):
                service.sync()
    assert not dying.armed, "the crash happened"
    assert c.sa.status() == c.sb.status() == "paired"
    alex_sees, sam_sees = c.sa.partner(), c.sb.partner()
    assert alex_sees is not None and sam_sees is not None
    assert alex_sees.device == c.b.device_id and sam_sees.device == c.a.device_id
    assert alex_sees.safety_number == sam_sees.safety_number
    entry = c.a.entries.add("milestone", {"title": "after the crash"})
    for _ in range(2):
        c.sa.sync()
        c.sb.sync()
    assert c.b.entries.get(entry.id).fields["title"] == "after the crash"
    c.close()


def _kind(data: bytes | None) -> bytes | None:
    """A pairing frame's clear kind; None for anything else (a v2 envelope shows none)."""
    try:
        return parse_header(data).kind if data else None
    except CryptoError:
        return None
