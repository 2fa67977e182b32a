"""Issue 10's "done when", from the first envelope on: a medium that saw every byte since pairing,
and later a seized vault, cannot read what was exchanged, the first envelopes after pairing too.

The ratchet's first state is keyed by a seed both devices agreed and deleted (PROTOCOL.md §4b).
For each way a pair comes to v2 (short code, long code, a v1 pair moving to v2) a real folder
records every blob from the pairing on; the two vaults exchange a few entries; Sam's vault is
copied and opened with its passphrase. The attacker then derives, from everything in it, the
start the ratchet would have without a seed (static keys and pair id), the start under every
32-byte value stored, and steps from each with every stored private: none of it opens a single
captured ops envelope, while the recorded message keys open every one (so the check can fail;
and it does for a pair whose devices send no seed, shown by the control case). No ephemeral
secret or PAKE key made for the seed is left in any page of the seized files.
"""

import contextlib
import shutil
from collections.abc import Callable
from pathlib import Path

import nacl.bindings as sodium
import pytest

from crypto import envelope_v2, pake
from crypto.errors import AuthenticationError, ParameterError
from crypto.identity import ChannelKeys, KeyPair
from crypto.ratchet import NO_PUBLIC, RatchetField, initial_state, kdf_root, seed_from_dh
from tests.helpers import PASSPHRASE
from tests.sync.sqlcipher_pages import vault_pages
from tests.sync.sync_helpers import SEALED_KEYS, Couple, make_couple, pair_up
from tests.sync.test_forward_secrecy import (
    CapturingFolder,
    _attacker_keys,
    _forward,
    _opens,
    _rows,
)
from trustvault.actions import Actions
from trustvault.paths import DB_NAME
from trustvault.storage import seed_store
from trustvault.storage.connection import Connection
from trustvault.storage.seed_store import Ephemeral
from trustvault.storage.transaction import transaction
from trustvault.sync import pair_seed, sealing
from trustvault.sync.pair_state import load_identity, load_pair
from trustvault.sync.service import SyncService
from trustvault.sync.transports import folder_spec
from trustvault.vault import Vault


@pytest.fixture
def seed_secrets(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every ephemeral secret stored for a seed and every PAKE key made, to look for on disk."""
    made: list[bytes] = []
    save, finish = seed_store.save, pake.Pending.finish

    def saving(conn: Connection, purpose: str, kept: Ephemeral) -> None:
        made.extend([kept.secret] if kept.secret else [])
        save(conn, purpose, kept)

    def finishing(self: pake.Pending, peer_message: bytes) -> bytes:
        key = finish(self, peer_message)
        made.append(key)
        return key

    monkeypatch.setattr(seed_store, "save", saving)
    monkeypatch.setattr(pake.Pending, "finish", finishing)
    return made


def _capturing(root: Path, factory: pytest.TempPathFactory) -> tuple[Couple, list[bytes]]:
    c = make_couple(root, factory)
    captured: list[bytes] = []
    c.transport_a = CapturingFolder(c.folder, captured)
    c.transport_b = CapturingFolder(c.folder, captured)
    c.sa, c.sb = SyncService(c.a, c.transport_a), SyncService(c.b, c.transport_b)
    return c, captured


def _short_code(c: Couple) -> None:
    code = Actions(c.a, c.transport_a).invite_by_words(folder_spec(c.folder))
    Actions(c.b, c.transport_b).join_by_words(code, folder_spec(c.folder))
    c.sa.sync()
    c.sb.sync()
    c.sa.sync()
    assert c.sa.status() == c.sb.status() == "paired"


def _from_v1(c: Couple) -> None:
    for vault in (c.a, c.b):
        with transaction(vault.conn):
            sealing._behave_as_v1(vault.conn, True)
    pair_up(c)
    c.a.entries.add("milestone", {"title": "FS-V1", "note": "SEALED-HERON"})
    c.settle(1)
    for vault in (c.a, c.b):
        sealing._behave_as_v1(vault.conn, False)


def _unseeded(c: Couple) -> None:
    """The control: both devices act as v2 before seeds, so the pair starts unseeded."""
    for vault in (c.a, c.b):
        pair_seed._behave_unseeded(vault.conn, True)
    pair_up(c)


def _start_keys(
    values: list[object],
    keys: ChannelKeys,
    pair: tuple[bytes, bytes],
    me: KeyPair,
    publics: set[bytes],
) -> set[bytes]:
    """The keys of every start the seized vault can make: unseeded (static keys and pair id),
    seeded by any stored 32-byte value or by an agreement of one with a stored seed public, and
    one DH step from each with every stored 32-byte value as a private. ``pair`` is the pair id
    and the partner's static public."""
    pair_id, partner = pair
    stored = {bytes(v) for v in values if isinstance(v, bytes | memoryview) and len(v) == 32}
    seeds = {b"", *stored}
    for row in (v for v in values if isinstance(v, bytes) and len(v) == 32):
        for secret in stored:
            mine = bytes(sodium.crypto_scalarmult_base(secret))
            with contextlib.suppress(ParameterError):  # a stored value that is no public
                seeds.add(seed_from_dh(KeyPair(mine, secret), row))
    c2s, s2c = (keys.send, keys.receive) if keys.is_client else (keys.receive, keys.send)
    found: set[bytes] = set()
    for seed in seeds:
        start = initial_state(c2s, s2c, pair_id, me, partner, keys.is_client, seed)
        for chain in (start.sending, *start.receiving):
            found.update(_forward(chain.key, 8))
        for secret in {me.secret, *stored} if seed == b"" else {me.secret}:
            own = bytes(sodium.crypto_scalarmult_base(secret))
            for public in publics:
                shared = bytes(sodium.crypto_scalarmult(secret, public))
                for order in (public + own, own + public):
                    found.update(_forward(kdf_root(start.root, shared + order)[1], 8))
    return found


@pytest.mark.parametrize("route", ["short code", "long code", "from v1", "unseeded"])
def test_a_seized_vault_cannot_open_even_the_first_envelopes(
    route: str,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    seed_secrets: list[bytes],
) -> None:
    c, captured = _capturing(tmp_path / "couple", tmp_path_factory)
    pairing: dict[str, Callable[[Couple], None]] = {
        "short code": _short_code, "long code": pair_up, "from v1": _from_v1,
        "unseeded": _unseeded,
    }  # fmt: skip
    try:
        pairing[route](c)
        for day in range(2):  # a little use: the first envelopes, then a step or two
            c.a.entries.add("milestone", {"title": f"FS-A-{day}", "note": "SEALED-HERON"})
            c.b.entries.add("milestone", {"title": f"FS-S-{day}", "note": "SEALED-EGRET"})
            c.settle(2)
            c.clock.advance(days=1)
        assert {e.title for e in c.b.entries.all()} >= {"FS-A-0", "FS-A-1"}
        # The kx server's vault is seized: its static private is what an unseeded start exposes
        # the most to (the client's first chain steps against it).
        state = load_pair(c.b.conn)
        assert state is not None
        server = c.a if state.keys(load_identity(c.b.conn)).is_client else c.b
        shutil.copytree(
            tmp_path / "couple" / ("alex" if server is c.a else "sam"), tmp_path / "seized"
        )
        seized_key, keys_of = server.key, {"alex": c.a.key, "sam": c.b.key}
    finally:
        for vault in (c.a, c.b):
            pair_seed._behave_unseeded(vault.conn, False)
            sealing._behave_as_v1(vault.conn, False)
        c.close()
    db = tmp_path / "seized" / DB_NAME
    pages = b"".join(p.data for p in vault_pages(db, seized_key))
    with Vault.unlock(tmp_path / "seized", PASSPHRASE) as seized:
        pair = load_pair(seized.conn)
        assert pair is not None
        me = load_identity(seized.conn)
        seized_keys = pair.keys(me)
        values = _rows(seized.conn)
    heads = []
    for blob in captured:
        if not envelope_v2.is_v2(blob):
            continue
        for direction in (seized_keys.receive, seized_keys.send):
            try:
                head = envelope_v2.open_head(envelope_v2.direction_keys(direction), blob)
            except AuthenticationError:  # not this direction's
                continue
            if head.kind == b"E":
                heads.append((blob, head))
    fields = [RatchetField.unpack(h.ratchet) for _, h in heads]
    assert {h.sender for _, h in heads} == {0, 1}, "both devices' envelopes, the first ones too"
    publics = {f.public for f in fields} - {NO_PUBLIC}
    # The scan can fail: each captured envelope opens with the key it was sealed with.
    witnessed = [SEALED_KEYS[(pair.pair_id, h.sender == 0, h.ratchet)] for _, h in heads]
    opened = b"".join(
        envelope_v2.open_body(k, b) for k, (b, _) in zip(witnessed, heads, strict=True)
    )
    assert b"SEALED-HERON" in opened and b"SEALED-EGRET" in opened
    attempts = list(
        _start_keys(values, seized_keys, (pair.pair_id, pair.partner_public), me, publics)
    )
    attempts += _attacker_keys(values, seized_keys, publics)
    read = [h.seq for b, h in heads if _opens(b, attempts)]
    if route == "unseeded":  # the control: without a seed the first chains are re-derivable
        assert read, "the attacker model re-derives an unseeded start"
        return
    assert not read, f"{route}: a seized vault opened captured envelopes"
    # What made the seed is gone: no ephemeral secret, no PAKE key, in any page or log frame.
    assert seed_secrets, "the route made a seed"
    # Nor on the other device: each side deleted its own, the joiner's ephemeral included.
    for name, key in keys_of.items():
        pages += b"".join(p.data for p in vault_pages(tmp_path / "couple" / name / DB_NAME, key))
    assert not [s for s in seed_secrets if s in pages or s.hex().encode() in pages]
    assert not [v for v in values if isinstance(v, bytes) and v in seed_secrets]
