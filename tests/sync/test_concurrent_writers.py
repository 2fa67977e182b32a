"""Another writer on the same vault while a sync runs (the desktop app syncing on its own while
the CLI adds an entry, or ``sync --watch`` in a terminal next to the app).

The other writer is a second connection to the same vault files, as another process would have.
It writes between the sync's transactions; nothing it recorded may be lost or reused.
"""

from pathlib import Path

import pytest

from tests.sync.sync_helpers import paired_couple
from trustvault.sync.folder_transport import FolderTransport
from trustvault.sync.service import SyncService
from trustvault.vault import Vault


class Interleaving(FolderTransport):
    """Runs ``during`` once, at the first call of ``method`` (between the sync's transactions)."""

    def __init__(self, folder: Path, method: str, during: object) -> None:
        super().__init__(folder)
        self.method, self.during = method, during

    def _maybe(self, method: str) -> None:
        if method == self.method and callable(self.during):
            during, self.during = self.during, None
            during()

    def names(self) -> list[str]:
        self._maybe("names")
        return super().names()

    def get(self, name: str) -> bytes | None:
        self._maybe("get")
        return super().get(name)

    def put(self, name: str, data: bytes) -> None:
        self._maybe("put")
        super().put(name, data)


@pytest.mark.parametrize("method", ["names", "get", "put"])
def test_entries_written_by_another_process_during_a_sync_are_not_lost(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, method: str
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    c.b.entries.add("milestone", {"title": "something to receive"})
    c.sb.sync()
    c.a.entries.add("milestone", {"title": "something to send"})
    other = Vault.open_with_key(c.a.folder, c.a.key, clock=c.clock)
    written: list[str] = []

    def cli_adds() -> None:
        written.append(other.entries.add("milestone", {"title": "from the CLI"}).id)

    c.sa = SyncService(c.a, Interleaving(c.folder, method, cli_adds))
    c.sa.sync()
    assert written, "the other writer ran"
    written.append(c.a.entries.add("milestone", {"title": "later, in the app"}).id)
    written.append(other.entries.add("milestone", {"title": "later, in the CLI"}).id)
    results = c.settle()
    assert all(r.rejected == 0 and r.refused_ops == 0 for r in results), results
    for entry_id in written:
        assert c.b.entries.get(entry_id).fields == c.a.entries.get(entry_id).fields
    assert c.b.entries.count() == c.a.entries.count() == 5
    other.close()
    c.close()
