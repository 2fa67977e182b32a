"""Write ``schema4_pair/``: vaults paired by TrustVault at schema 4, with the old pairing layout.

Run once, at commit ea9172b (the last schema-4 app), from the repository root:

    PYTHONPATH=. python tests/data/make_schema4_pair.py tests/data/schema4_pair

That app kept the partner in three places of ``meta``: the ``sync.pair`` JSON, the
``partner_device_id`` and ``partner_name`` keys, and ``sync.verified_partner``. The files pin
that layout for the upgrade test (``tests/test_migration.py``): never regenerate them with a
later app, which would write the new layout instead.

- ``alex/`` (inviter) and ``sam/`` (joiner), paired through ``sync/``; both accepted a shared
  agreement; Alex verified Sam's key, Sam did not verify Alex's. Alex then added a shared
  milestone not yet sent; Sam added one, synced (its envelope waits in ``sync/``).
- ``alex-unpaired/``: a copy of ``alex/`` that then unpaired (the partner's name, device and
  verified key were all that stayed).
- ``kim-joining/``: Kim sent a join request for a code nobody answers (``joining``).

``expected.json`` holds the database keys (the fixture's only secret: these vaults are public
test data) and what the schema-4 app showed for each partner, to compare after the upgrade.
"""

import json
import shutil
import sys
import tempfile
from pathlib import Path

from tests.helpers import ManualClock

from trustvault.actions import Actions
from trustvault.storage.migrations import LATEST_VERSION
from trustvault.sync.folder_transport import FolderTransport
from trustvault.sync.transports import folder_spec
from trustvault.vault import Vault

PASSPHRASE = "schema four passphrase"


def _partner(actions: Actions) -> dict[str, object] | None:
    info = actions.queries.partner()
    return None if info is None else info.to_json()


def _close(vault: Vault) -> None:
    vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    vault.close()


def main(target: Path) -> None:
    """Build in a temporary folder (the stored folder spec then names no real place: a test that
    forgot to pass its own transport fails instead of writing into the fixture), then copy."""
    assert LATEST_VERSION == 4, "run this at the last schema-4 commit"
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp) / "schema4_pair")
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(Path(tmp) / "schema4_pair", target)


def build(out: Path) -> None:
    sync = out / "sync"
    sync.mkdir(parents=True)
    clock = ManualClock()

    def vault(name: str, folder: str) -> Vault:
        return Vault.create(out / folder, PASSPHRASE, name, kdf_profile="interactive", clock=clock)

    people = (("Alex", "alex"), ("Sam", "sam"), ("Kim", "kim-joining"), ("Stranger", "stranger"))
    vaults = {folder: vault(name, folder) for name, folder in people}
    alex = Actions(vaults["alex"], FolderTransport(sync))
    sam = Actions(vaults["sam"], FolderTransport(sync))
    kim, stranger = Actions(vaults["kim-joining"]), Actions(vaults["stranger"])

    def settle(rounds: int) -> None:
        for _ in range(rounds):
            alex.sync()
            sam.sync()

    code = alex.invite(folder_spec(sync))
    sam.join(code, folder_spec(sync))
    settle(2)
    agreement = alex.add("agreement", {"title": "Phones stay open", "text": "Always."}, "shared")
    sam.add("milestone", {"title": "First dinner out", "done_at": "2026-10-30"}, "shared")
    settle(2)
    sam.accept(agreement.id)
    alex.accept(agreement.id)
    settle(3)
    alex.verify()
    clock.advance(hours=1)
    alex.add("milestone", {"title": "Sent after the upgrade", "done_at": "2026-11-01"}, "shared")
    sam.add("milestone", {"title": "Waiting in the folder", "done_at": "2026-11-01"}, "shared")
    sam.sync()

    elsewhere = out / "elsewhere"
    elsewhere.mkdir()
    kim.join(stranger.invite(folder_spec(elsewhere)), folder_spec(elsewhere))

    expected: dict[str, object] = {
        "agreement": agreement.id,
        "alex_device": alex.queries.device_id,
        "sam_device": sam.queries.device_id,
        "alex_sees": _partner(alex),
        "sam_sees": _partner(sam),
        "kim_sees": _partner(kim),
    }
    keys = {folder: v.key.hex() for folder, v in vaults.items() if folder != "stranger"}
    for v in vaults.values():
        _close(v)
    shutil.rmtree(out / "stranger")
    shutil.rmtree(elsewhere)
    shutil.copytree(out / "alex", out / "alex-unpaired")
    copy = Vault.open_with_key(out / "alex-unpaired", bytes.fromhex(keys["alex"]), clock=clock)
    Actions(copy).unpair()
    _close(copy)
    keys["alex-unpaired"] = keys["alex"]
    expected["keys"] = keys
    (out / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
