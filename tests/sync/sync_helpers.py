"""Two real vaults and the medium between them, for the sync tests.

Vaults are real SQLCipher files in temporary folders (``kdf_profile="interactive"``); the medium
is a real folder (:class:`FolderTransport`) unless a test needs to steer deliveries, in which case
it passes its own transport. Creating a vault runs Argon2id (~0.5 s here), so :func:`blank_vault`
creates each person's vault once per session and hands every test its own copy of the files, and
:func:`paired_template` / :func:`copy_couple` do the same for an already-paired couple, so a
hypothesis example starts from fresh, paired vaults in milliseconds.
"""

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from crypto import envelope_v2
from crypto.envelope import open_envelope
from crypto.errors import CryptoError
from crypto.identity import ChannelKeys
from tests.helpers import NO_HOLD, PASSPHRASE, ManualClock
from trustvault.actions import Actions
from trustvault.queries import Queries
from trustvault.storage import ratchet_store
from trustvault.storage.connection import Connection
from trustvault.storage.transaction import transaction
from trustvault.sync import outbox, ratchet_state
from trustvault.sync.folder_transport import SUFFIX, FolderTransport
from trustvault.sync.pair_state import PairState, load_identity, load_pair, save_pair
from trustvault.sync.results import SyncResult
from trustvault.sync.service import SyncService
from trustvault.sync.transport import Transport
from trustvault.sync.transports import folder_spec
from trustvault.vault import Vault

__all__ = [
    "Couple",
    "blank_vault",
    "blobs_in",
    "copy_couple",
    "make_couple",
    "new_vault",
    "open_blob_as_receiver",
    "open_blob_as_sender",
    "pair_up",
    "paired_couple",
    "paired_template",
]


def new_vault(folder: Path, name: str, clock: ManualClock, hold: timedelta = NO_HOLD) -> Vault:
    """A new vault; its shares leave at the next sync (``hold`` 0) unless a test is about the
    hold before sending (:mod:`trustvault.sync.send_hold`)."""
    vault = Vault.create(folder, PASSPHRASE, name, kdf_profile="interactive", clock=clock)
    Actions(vault).set_send_hold(hold)
    return vault


_BLANKS: dict[str, tuple[Path, bytes]] = {}


def blank_vault(
    factory: pytest.TempPathFactory, dest: Path, name: str, clock: ManualClock
) -> Vault:
    """A copy of a new, empty vault named ``name`` (made once per session), opened at ``dest``."""
    if name not in _BLANKS:
        root = factory.mktemp(f"blank-{name.lower()}")
        made = new_vault(root / "vault", name, ManualClock())
        _BLANKS[name] = (root / "vault", made.key)
        made.close()
    source, key = _BLANKS[name]
    shutil.copytree(source, dest)
    return Vault.open_with_key(dest, key, clock=clock)


@dataclass
class Couple:
    """Alex (``a``, the inviter) and Sam (``b``, the joiner), and the folder between them."""

    a: Vault
    b: Vault
    folder: Path
    clock: ManualClock
    sa: SyncService = field(init=False)
    sb: SyncService = field(init=False)
    qa: Queries = field(init=False)
    qb: Queries = field(init=False)
    transport_a: Transport | None = None
    transport_b: Transport | None = None

    def __post_init__(self) -> None:
        self.sa = SyncService(self.a, self.transport_a)
        self.sb = SyncService(self.b, self.transport_b)
        self.qa, self.qb = Queries(self.a), Queries(self.b)

    def settle(self, rounds: int = 3) -> list[SyncResult]:
        """Clean syncs, alternating, enough for ops, receipts and clean-up to cross both ways."""
        results = []
        for _ in range(rounds):
            results.append(self.sa.sync())
            results.append(self.sb.sync())
        return results

    def close(self) -> None:
        self.a.close()
        self.b.close()


def make_couple(
    root: Path,
    factory: pytest.TempPathFactory,
    clock: ManualClock | None = None,
    transport_a: Transport | None = None,
    transport_b: Transport | None = None,
) -> Couple:
    """Two fresh, unpaired vaults and an empty sync folder under ``root``."""
    clock = clock or ManualClock()
    folder = root / "sync-folder"
    folder.mkdir(parents=True)
    a = blank_vault(factory, root / "alex", "Alex", clock)
    b = blank_vault(factory, root / "sam", "Sam", clock)
    return Couple(a, b, folder, clock, transport_a, transport_b)


def pair_up(couple: Couple) -> None:
    """Invite on Alex's device, join on Sam's, and sync until both are paired."""
    code = couple.sa.invite(folder_spec(couple.folder))
    couple.sb.join(code, folder_spec(couple.folder))
    couple.sa.sync()
    couple.sb.sync()
    assert couple.sa.status() == couple.sb.status() == "paired"


def verified_couple(root: Path, factory: pytest.TempPathFactory) -> Couple:
    """A paired couple whose devices both verified the other's key, settled once."""
    couple = make_couple(root, factory)
    pair_up(couple)
    couple.sa.verify()
    couple.sb.verify()
    couple.settle(1)
    return couple


@dataclass(frozen=True)
class Template:
    root: Path
    key_a: bytes
    key_b: bytes


def paired_template(root: Path, factory: pytest.TempPathFactory) -> Template:
    """Create and pair a couple once; its closed files are copied by :func:`copy_couple`."""
    couple = make_couple(root, factory)
    pair_up(couple)
    couple.settle(1)
    template = Template(root, couple.a.key, couple.b.key)
    couple.close()
    return template


_PAIRED: list[Template] = []


def paired_couple(dest: Path, factory: pytest.TempPathFactory) -> Couple:
    """A fresh copy of a couple paired once per session, syncing through a real folder."""
    if not _PAIRED:
        _PAIRED.append(paired_template(factory.mktemp("paired-template"), factory))
    return copy_couple(_PAIRED[0], dest)


def copy_couple(
    template: Template,
    dest: Path,
    transport_a: Transport | None = None,
    transport_b: Transport | None = None,
) -> Couple:
    """A private copy of the paired template; the stored folder spec still names the template's
    folder, so callers pass transports explicitly (the copied folder, or a memory medium)."""
    shutil.copytree(template.root, dest)
    clock = ManualClock()
    a = Vault.open_with_key(dest / "alex", template.key_a, clock=clock)
    b = Vault.open_with_key(dest / "sam", template.key_b, clock=clock)
    folder = dest / "sync-folder"
    transport_a = transport_a or FolderTransport(folder)
    transport_b = transport_b or FolderTransport(folder)
    return Couple(a, b, folder, clock, transport_a, transport_b)


def blobs_in(folder: Path) -> Iterator[tuple[str, bytes]]:
    """Every file in the folder (hidden and temporary ones too), with its bytes."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path.name, path.read_bytes()


def envelope_names(folder: Path) -> set[str]:
    return {p.name[: -len(SUFFIX)] for p in folder.iterdir() if p.name.endswith(SUFFIX)}


def open_sealed_by(send: bytes, blob: bytes) -> bytes:
    """Open a blob of either format sealed under the sending channel key ``send`` (what
    :mod:`trustvault.sync.message_keys` gives every kind but ``E``, which is ratcheted: see
    :func:`open_blob_as_sender`); :class:`CryptoError` if it does not."""
    if envelope_v2.is_v2(blob):
        envelope_v2.open_head(envelope_v2.direction_keys(send), blob)
        return envelope_v2.open_body(send, blob)
    return open_envelope(send, blob)[1]


SEALED_KEYS: dict[tuple[bytes, bool, bytes], bytes] = {}
"""Every ops envelope's message key sealed in this test, by (pair id, sender is the client,
ratchet field): filled by :func:`witness_sealed_keys` (autouse in tests/conftest.py)."""


def witness_sealed_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Record each message key as it is taken, so a test can still read what a device sent
    after the device itself forgot the key (forward secrecy): "the scan can fail" checks of
    what a medium saw. Nothing in the app reads this; the seizure test never uses it."""
    SEALED_KEYS.clear()
    taken = ratchet_state.key_to_seal

    def recording(
        conn: Connection, pair: PairState, keys: ChannelKeys, first: int
    ) -> tuple[bytes, bytes]:
        key, field = taken(conn, pair, keys, first)
        SEALED_KEYS[(pair.pair_id, keys.is_client, field)] = key
        return key, field

    monkeypatch.setattr(ratchet_state, "key_to_seal", recording)


def open_blob_as_receiver(vault: Vault, blob: bytes) -> bytes | None:
    """Decrypt a blob as ``vault``'s device can when it syncs next: a v2 ops envelope with the
    key its ratchet would use (nothing used up), anything else with its receiving channel key;
    None if it does not open here."""
    state = load_pair(vault.conn)
    assert state is not None and state.paired
    keys = state.keys(load_identity(vault.conn))
    try:
        if envelope_v2.is_v2(blob):
            head = envelope_v2.open_head(envelope_v2.direction_keys(keys.receive), blob)
            if head.kind == b"E":
                key = ratchet_state.key_to_open(vault.conn, state, keys, head.ratchet)
                return None if key is None else envelope_v2.open_body(key, blob)
        return open_sealed_by(keys.receive, blob)
    except CryptoError:
        return None


def open_blob_as_sender(vault: Vault, blob: bytes) -> bytes | None:
    """Decrypt a blob as ``vault``, its sender, could when it sealed it: a v2 ops envelope with
    the message key it keeps until the partner confirms it (afterwards the device cannot: forward
    secrecy; the test's :data:`SEALED_KEYS` witness still can), anything else with its sending
    channel key; None if it is not one of that vault's envelopes."""
    state = load_pair(vault.conn)
    assert state is not None and state.paired
    keys = state.keys(load_identity(vault.conn))
    try:
        if envelope_v2.is_v2(blob):
            head = envelope_v2.open_head(envelope_v2.direction_keys(keys.send), blob)
            if head.kind == b"E":
                kept = ratchet_store.sent_key(vault.conn, head.seq)
                key = (
                    kept[0]
                    if kept
                    else SEALED_KEYS.get((state.pair_id, keys.is_client, head.ratchet))
                )
                return None if key is None else envelope_v2.open_body(key, blob)
        return open_sealed_by(keys.send, blob)
    except CryptoError:
        return None


def record_as_sam(c: Couple, op_type: str, body: dict[str, Any]) -> None:
    """What Sam's modified client does: record any op it likes, sealed with the real keys."""
    with transaction(c.b.conn):
        state = load_pair(c.b.conn)
        assert state is not None
        outbox.record(c.b.conn, state, op_type, body, None)
        save_pair(c.b.conn, state)
