"""Issue 10.4: a medium that kept every byte, and later a seized vault, cannot read what was sent.

Two real vaults sync through a real folder that records every blob ever put in it (a cloud
folder's version history). They exchange shared entries over several days, stepping the ratchet
on the way. Then Sam's vault is seized at rest: opened with its passphrase, every row of every
table read, every page of its database file and log decrypted. Nothing in it opens a single
captured ops envelope; the heads still open (they stay under the static head key: PROTOCOL.md
§4b says what that shows).
"""

import shutil
from pathlib import Path

import pytest

from crypto import envelope_v2
from crypto.errors import AuthenticationError, ParameterError
from crypto.identity import ChannelKeys
from crypto.ratchet import RatchetField, RatchetState, kdf_chain
from tests.helpers import PASSPHRASE
from tests.ratchet_attacker import stepped_chains
from tests.sync.sqlcipher_pages import vault_pages
from tests.sync.sync_helpers import SEALED_KEYS, paired_couple
from trustvault.paths import DB_NAME
from trustvault.storage import ratchet_store
from trustvault.storage.connection import Connection
from trustvault.storage.ratchet_store import Stored
from trustvault.sync.folder_transport import FolderTransport
from trustvault.sync.pair_state import load_identity, load_pair
from trustvault.sync.service import SyncService
from trustvault.vault import Vault


class CapturingFolder(FolderTransport):
    """The real folder; every blob put in it is kept, as a version history keeps it."""

    def __init__(self, folder: Path, captured: list[bytes]) -> None:
        super().__init__(folder)
        self.captured = captured

    def put(self, name: str, data: bytes) -> None:
        self.captured.append(data)
        super().put(name, data)


def _rows(conn: Connection) -> list[object]:
    """Every value of every row of every table: what "take every row" means."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    values: list[object] = []
    for table in tables:
        for row in conn.execute(f'SELECT * FROM "{table}"'):  # noqa: S608  (names from the schema)
            values.extend(row)
    return values


def _forward(key: bytes, steps: int = 24) -> list[bytes]:
    out = []
    for _ in range(steps):
        message_key, key = kdf_chain(key)
        out.append(message_key)
    return out


def _attacker_keys(values: list[object], keys: ChannelKeys, publics: set[bytes]) -> list[bytes]:
    """Every key the seized rows give: each 32-byte run of any stored bytes, the static channel
    keys, every chain of the stored ratchet run forward, and two root steps with the stored
    private (if any) and every public the captured heads carry."""
    blobs = [bytes(v) for v in values if isinstance(v, bytes | memoryview) and len(v) >= 32]
    candidates = {b[i : i + 32] for b in blobs if len(b) <= 4096 for i in range(len(b) - 31)}
    candidates |= {keys.send, keys.receive}
    found = []
    for raw in blobs:
        try:
            state = RatchetState.unpack(raw)
        except ParameterError:
            continue
        found.append(state)
    assert found, "the seized vault holds its ratchet state: the attacker model looks at it"
    for state in found:
        for chain in (state.sending, *state.receiving):
            candidates.update(_forward(chain.key))
        for chain_key in stepped_chains(state.root, state.own_secret, publics):
            candidates.update(_forward(chain_key, 8))
    return list(candidates)


def _secrets(state: RatchetState) -> set[bytes]:
    """The secret values of one ratchet state: its root, private and chain keys."""
    chains = (state.sending, *state.receiving)
    return {state.root, *(c.key for c in chains), state.own_secret} - {b"", bytes(32)}


def _opens(blob: bytes, keys: list[bytes]) -> bool:
    for key in keys:
        try:
            envelope_v2.open_body(key, blob)
            return True
        except AuthenticationError:
            continue
    return False


@pytest.fixture
def states_saved(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Connection, bytes]]:
    """Every ratchet state either vault ever stored, to look for old ones on the seized disk."""
    saved: list[tuple[Connection, bytes]] = []
    save = ratchet_store.save

    def recording(conn: Connection, pair_id: bytes, stored: Stored) -> None:
        saved.append((conn, stored.state))
        save(conn, pair_id, stored)

    monkeypatch.setattr(ratchet_store, "save", recording)
    return saved


def test_a_seized_vault_cannot_open_the_captured_envelopes(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    states_saved: list[tuple[Connection, bytes]],
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    captured: list[bytes] = []
    c.transport_a = CapturingFolder(c.folder, captured)
    c.transport_b = CapturingFolder(c.folder, captured)
    c.sa, c.sb = SyncService(c.a, c.transport_a), SyncService(c.b, c.transport_b)
    for day in range(4):  # several days of use, both writing: the ratchet steps on the way
        c.a.entries.add("milestone", {"title": f"FS-ALEX-{day}", "note": "SEALED-HERON"})
        if day % 2:
            c.b.entries.add("milestone", {"title": f"FS-SAM-{day}", "note": "SEALED-EGRET"})
        c.settle(2)
        c.clock.advance(days=1)
    assert {e.title for e in c.b.entries.all()} >= {f"FS-ALEX-{d}" for d in range(4)}
    sam_conn = c.b.conn
    old_states = {packed for conn, packed in states_saved if conn is sam_conn}
    # Seized while the app is open (its log is on disk too): the files copied, then opened with
    # the passphrase, every key and row taken, every page of the file and of the log decrypted.
    shutil.copytree(tmp_path / "couple" / "sam", tmp_path / "seized")
    c.close()
    db = tmp_path / "seized" / DB_NAME
    assert db.with_name(DB_NAME + "-wal").exists(), "the log was taken too"
    with Vault.unlock(tmp_path / "couple" / "sam", PASSPHRASE) as unlocked:
        vault_key = unlocked.key  # the passphrase gives the vault key
    pages = b"".join(p.data for p in vault_pages(db, vault_key))
    with Vault.open_with_key(tmp_path / "seized", vault_key) as seized:
        pair = load_pair(seized.conn)
        assert pair is not None
        sam_keys = pair.keys(load_identity(seized.conn))
        values = _rows(seized.conn)
    # What the medium kept: every ops envelope, from both devices; the heads open for the holder
    # of the vault (the head key is static).
    heads: list[tuple[bytes, envelope_v2.InnerHead]] = []
    for blob in captured:
        for direction in (sam_keys.receive, sam_keys.send):
            try:
                head = envelope_v2.open_head(envelope_v2.direction_keys(direction), blob)
            except AuthenticationError:
                continue
            if head.kind == b"E":
                heads.append((blob, head))
    fields = {RatchetField.unpack(h.ratchet) for _, h in heads}
    publics = {f.public for f in fields} - {bytes(32)}
    assert len(heads) >= 6 and len(publics) >= 4, "both devices sent, and stepped, several times"
    # The scan can fail: each captured envelope opened with the key it was sealed with.
    witnessed = [SEALED_KEYS[(pair.pair_id, h.sender == 0, h.ratchet)] for _, h in heads]
    opened = b"".join(
        envelope_v2.open_body(k, b) for k, (b, _) in zip(witnessed, heads, strict=True)
    )
    assert b"SEALED-HERON" in opened and b"SEALED-EGRET" in opened

    # Seized: every row and every key in it opens none of them.
    attempts = _attacker_keys(values, sam_keys, publics)
    assert not [h.seq for b, h in heads if _opens(b, attempts)]
    # Nor does anything left on the disk: no message key of theirs, no old ratchet state, in any
    # page of the database file or its log, free pages and stale log frames included.
    assert not [k for k in witnessed if k in pages]
    current = next(bytes(v) for v in values if isinstance(v, bytes) and bytes(v) in old_states)
    gone = set().union(*(_secrets(RatchetState.unpack(s)) for s in old_states))
    gone -= _secrets(RatchetState.unpack(current))
    assert len(gone) >= 10 and not [k for k in gone if k in pages]
    # What the seized vault still reads: the heads (static head key), kinds and sequence numbers.
    assert sorted(h.seq for _, h in heads if h.sender == (0 if sam_keys.is_client else 1))
