"""Vaults written by older schemas open with today's app, upgrade in place, and lose nothing."""

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.helpers import NO_HOLD, PASSPHRASE, ManualClock
from trustvault import agreements
from trustvault.actions import Actions
from trustvault.entries.kinds import validate
from trustvault.queries import Queries
from trustvault.results import AgreementStatus, PairStatus
from trustvault.storage.migrations import LATEST_VERSION
from trustvault.sync.folder_transport import FolderTransport
from trustvault.sync.pair_state import load_identity
from trustvault.sync.service import SyncService
from trustvault.sync.transports import folder_spec
from trustvault.vault import Vault

FIXTURE = Path(__file__).parent / "data" / "schema1_vault"


def test_schema1_vault_upgrades_with_every_entry_and_its_history(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    shutil.copytree(FIXTURE, folder)
    assert LATEST_VERSION > 1

    with Vault.unlock(folder, "schema one passphrase") as vault:
        assert vault.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert vault.name == "Robin"
        titles = sorted(e.title for e in vault.entries.all())
        assert titles == ["Check-in: mood 6, safety 7", "Old schema disclosure", "Phones stay open"]
        disclosure = next(e for e in vault.entries.all() if e.kind == "disclosure")
        assert [r.fields["body"] for r in vault.entries.history(disclosure.id)] == [
            "written by schema 1",
            "written by schema 1, edited",
        ]
        assert [e.title for e in vault.entries.search("edited")] == ["Old schema disclosure"]
        # The full-text index is rebuilt by the upgrade (schema 4): every kind's text is found.
        assert [e.kind for e in vault.entries.search("hopeful")] == ["checkin"]
        assert [e.kind for e in vault.entries.search("unlocked")] == ["agreement"]
        assert vault.integrity_check() == "ok"
        # Sync works on an upgraded vault: the device key pair is made on first use.
        assert len(load_identity(vault.conn).public) == 32
        assert SyncService(vault).status() == "unpaired"

    # Upgrading twice is a no-op: the second open finds the latest schema already.
    with Vault.unlock(folder, "schema one passphrase") as vault:
        assert vault.entries.count() == 3


# -- schema 4 -> 5: the partner's facts move from three places in meta into one record --------

PAIRED_AT_4 = Path(__file__).parent / "data" / "schema4_pair"
OLD_KEYS = ("sync.pair", "partner_device_id", "partner_name", "sync.verified_partner")


def _schema4_copy(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    root = tmp_path / "schema4"
    shutil.copytree(PAIRED_AT_4, root)
    return root, json.loads((root / "expected.json").read_text())


def _open(root: Path, expected: dict[str, Any], name: str, clock: ManualClock) -> Vault:
    vault = Vault.open_with_key(root / name, bytes.fromhex(expected["keys"][name]), clock=clock)
    assert vault.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    meta = {key for (key,) in vault.conn.execute("SELECT key FROM meta")}
    assert meta.isdisjoint(OLD_KEYS)  # the old layout is gone, not left to disagree
    return vault


def _partner_json(service: SyncService) -> dict[str, Any]:
    info = service.partner()
    assert info is not None
    return info.to_json()


def _later() -> ManualClock:
    return ManualClock(datetime(2026, 11, 1, 12, 0, tzinfo=UTC))


def test_a_paired_schema4_vault_keeps_its_partner_and_still_syncs(tmp_path: Path) -> None:
    root, expected = _schema4_copy(tmp_path)
    clock = _later()
    alex, sam = (_open(root, expected, name, clock) for name in ("alex", "sam"))
    sa, sb = (SyncService(v, FolderTransport(root / "sync")) for v in (alex, sam))
    assert Queries(sam).send_hold() == timedelta(minutes=5)  # an upgraded vault has the default
    Actions(sam).set_send_hold(NO_HOLD)  # this test is not about it
    # Name, device, safety number, verified flag: exactly what the schema-4 app showed.
    assert _partner_json(sa) == expected["alex_sees"]
    assert _partner_json(sb) == expected["sam_sees"]
    assert Queries(alex).name_of(expected["sam_device"]) == "Sam"
    assert Queries(sam).name_of(expected["alex_device"]) == "Alex"
    agreement = alex.entries.get(expected["agreement"])
    assert agreements.parties(alex) == (expected["alex_device"], expected["sam_device"])
    assert Queries(alex).agreement_status(agreement) == AgreementStatus.IN_FORCE
    assert Queries(sam).agreement_status(agreement) == AgreementStatus.IN_FORCE

    # The sequence numbers and chains moved too: what waited on either side crosses, with
    # nothing refused, and so does a change made after the upgrade.
    fresh = sam.entries.add("milestone", {"title": "Made after the upgrade"}, "shared")
    results = [service.sync() for _ in range(3) for service in (sa, sb)]
    assert all(r.rejected == r.refused_ops == 0 and not r.problems for r in results), results
    assert sum(r.received for r in results) == 3
    titles = {e.title for e in alex.entries.all()}
    assert {"Waiting in the folder", "Made after the upgrade"} <= titles
    assert "Sent after the upgrade" in {e.title for e in sam.entries.all()}
    assert alex.entries.get(fresh.id).author == expected["sam_device"]

    # Unpair, then pair with a new device of Sam's (a new key): flagged until verified again.
    sa.unpair()
    assert Queries(alex).name_of(expected["sam_device"]) == "Sam"  # old entries keep the name
    newcomer = Vault.create(tmp_path / "sam2", PASSPHRASE, "Sam", kdf_profile="interactive",
                            clock=clock)  # fmt: skip
    new_sam = SyncService(newcomer, FolderTransport(root / "sync"))
    new_sam.join(sa.invite(folder_spec(root / "sync")), folder_spec(root / "sync"))
    sa.sync()
    again = sa.partner()
    assert again is not None and again.status == PairStatus.PAIRED
    assert again.key_changed and not again.verified
    assert again.safety_number != expected["alex_sees"]["safety_number"]
    assert sa.verify().verified and not sa.verify().key_changed
    for vault in (alex, sam, newcomer):
        vault.close()


def test_an_unpaired_schema4_vault_remembers_the_verified_key(tmp_path: Path) -> None:
    """Schema 4 kept only the name, the device and the verified key after unpairing; pairing
    again with the same key is still verified, and the partner's entries keep their name."""
    root, expected = _schema4_copy(tmp_path)
    clock = _later()
    alex, sam = (_open(root, expected, name, clock) for name in ("alex-unpaired", "sam"))
    sa, sb = (SyncService(v, FolderTransport(root / "sync")) for v in (alex, sam))
    assert sa.status() == PairStatus.UNPAIRED and sa.partner() is None
    assert Queries(alex).name_of(expected["sam_device"]) == "Sam"
    agreement = alex.entries.get(expected["agreement"])
    assert Queries(alex).agreement_status(agreement) == AgreementStatus.IN_FORCE

    sb.unpair()
    sb.join(sa.invite(folder_spec(root / "sync")), folder_spec(root / "sync"))
    sa.sync()
    sb.sync()
    assert _partner_json(sa) == expected["alex_sees"]  # same key: still verified, not changed
    for vault in (alex, sam):
        vault.close()


def test_a_joining_schema4_vault_still_waits_for_the_same_inviter(tmp_path: Path) -> None:
    root, expected = _schema4_copy(tmp_path)
    kim = _open(root, expected, "kim-joining", _later())
    service = SyncService(kim, FolderTransport(root / "sync"))
    assert _partner_json(service) == expected["kim_sees"]  # the code's key: same safety number
    assert Queries(kim).name_of("someone") == "Partner"
    service.unpair()  # cancelling works, and leaves no partner behind
    assert service.status() == PairStatus.UNPAIRED
    assert Queries(kim).agreement_parties() == (kim.device_id,)
    kim.close()


# -- schema 22 -> 23: an entry's current version leaves revisions, its history stays ----------

AT_22 = Path(__file__).parent / "data" / "schema22_history"


def _shown(vault: Vault, entry_id: str) -> dict[str, Any]:
    entry = vault.entries.get(entry_id)
    history = vault.entries.history(entry_id)
    return {
        "current": [entry.revision, entry.editor, entry.updated, entry.fields],
        "history": [[r.revision, r.editor, r.updated, r.fields] for r in history],
        "max_revision": vault.entries.max_revision(entry_id),
    }


def test_a_schema22_vault_shows_every_history_as_before(tmp_path: Path) -> None:
    folder = tmp_path / "schema22"
    shutil.copytree(AT_22, folder)
    expected = json.loads((folder / "expected.json").read_text())
    with Vault.open_with_key(folder, bytes.fromhex(expected["key"])) as vault:
        assert vault.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert set(vault.entries.all_ids()) == set(expected["entries"])
        for entry_id, shown in expected["entries"].items():
            assert _shown(vault, entry_id) == shown, entry_id
        # The current versions left revisions; the versions before them and the losers stayed.
        histories = [shown["history"] for shown in expected["entries"].values()]
        kept = sum(len(history) - 1 for history in histories if history)  # a tombstone: none
        assert kept == 8
        assert vault.conn.execute("SELECT count(*) FROM revisions").fetchone()[0] == kept
        assert (
            vault.conn.execute(
                "SELECT count(*) FROM revisions JOIN entries e ON e.id = revisions.entry_id"
                " AND (e.revision, e.editor) = (revisions.revision, revisions.editor)"
            ).fetchone()[0]
            == 0
        )

        # It goes on as before: the partner's entry given back takes a late, losing version and
        # a winning one; the tombstone none until it comes back.
        back = "0190" + "b" * 28
        late = validate("milestone", {"title": "late"})
        assert vault.entries.put_version(back, 2, expected["partner"], "2026-12-02", late)
        assert not vault.entries.put_version(back, 4, expected["partner"], "2026-12-02", late)
        assert [r.revision for r in vault.entries.history(back)] == [2, 3, 4]
        assert vault.entries.get(back).fields["title"] == "given back, edited"
        assert vault.integrity_check() == "ok"


def _automerge(vault: Vault) -> int | None:
    row = vault.conn.execute("SELECT v FROM entries_fts_config WHERE k = 'automerge'").fetchone()
    return None if row is None else int(row[0])


def test_the_index_merges_eight_segments_at_a_time_new_or_upgraded(tmp_path: Path) -> None:
    """Schema 24, on a new vault and on the stored schema-22 vault after its upgrade; and the
    index still finds what it held (FTS5's own check of it passes)."""
    vault = Vault.create(tmp_path / "v", PASSPHRASE, "Alex", kdf_profile="interactive")
    assert _automerge(vault) == 8
    vault.close()
    folder = tmp_path / "schema22"
    shutil.copytree(AT_22, folder)
    expected = json.loads((folder / "expected.json").read_text())
    with Vault.open_with_key(folder, bytes.fromhex(expected["key"])) as vault:
        assert _automerge(vault) == 8
        vault.conn.execute(
            "INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 0)"
        )
