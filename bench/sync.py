"""Sync benchmarks (issue 3, point 11).

- apply: the receiver applies N incoming changes through the real sync path of a pair at protocol
  v2 (``SyncService.sync``: list, sort by keyed tag, open head and body, chain, apply, receipt)
  against a floor measured in the same run: the same sealed envelopes' bodies decrypted (one
  XChaCha20-Poly1305 each), decoded and inserted into SQLCipher in batched transactions with no
  app logic (one plain table, as in shared/PERFORMANCE.md). A second floor inserts the same rows
  into the vault's own tables (entries, full-text index), to show how much of the gap is the
  schema rather than the sync logic. Each floor is the median of several runs, since one run of
  20 fsync'd commits swings by half on a shared machine. Measured twice: with the
  app's batching (up to 256 ops per envelope) and with one op per envelope (N envelopes). Aim:
  at least a third of the floor's rate. The real path is a median too, of runs by fresh pairs
  (a receiver applies its envelopes once): one run alone swung from 18,200 to 21,500/s between
  two benches of the same code.
- full: a full sync of N shared entries between two freshly paired vaults through a real folder:
  sender seals and puts, receiver applies and confirms, sender collects the receipt and cleans up.
  Aim: under 10 seconds for 10,000 entries.
"""

import gc
import json
import os
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench import Figures, Run, benchmark
from bench.data import entries
from crypto import envelope_v2
from crypto.envelope import open_envelope
from trustvault.actions import Actions
from trustvault.storage import outbox_store, ratchet_store
from trustvault.storage.connection import open_database
from trustvault.storage.migrations import migrate
from trustvault.storage.transaction import transaction
from trustvault.sync import outbox
from trustvault.sync.memory_transport import MemoryTransport
from trustvault.sync.pair_state import load_identity, load_pair
from trustvault.sync.service import SyncService
from trustvault.sync.transport import Transport
from trustvault.sync.transports import folder_spec
from trustvault.vault import Vault

PASSPHRASE = "benchmark passphrase"
REAL_RUNS = 3
"""Fresh pairs applying their own envelopes, the median taken: each costs a pair made and
10,000 entries sealed."""
FLOORS_PER_PAIR = 2
"""Runs of each floor before each pair's apply (six in all, the median taken): three runs in a
row let one bench's floor differ from the next one's by 16% (60,851 and 70,756/s), which moved
the ratio from 0.37 to 0.31 with the same code."""


def _paired(folder: Path, transport: Transport, spec: dict[str, Any]) -> tuple[Vault, Vault]:
    a = Vault.create(folder / "a", PASSPHRASE, "Alex", kdf_profile="interactive")
    b = Vault.create(folder / "b", PASSPHRASE, "Sam", kdf_profile="interactive")
    for vault in (a, b):
        Actions(vault).set_send_hold(timedelta(0))  # measured: the sync, not the hold
    code = SyncService(a, transport).invite(spec)
    SyncService(b, transport).join(code, spec)
    SyncService(a, transport).sync()
    SyncService(b, transport).sync()
    SyncService(a, transport).sync()
    return a, b


def _shared(n: int) -> list[tuple[str, Any, str]]:
    """``n`` entries of mixed kinds, all shared (private ones never leave the device)."""
    return [(kind, fields, "shared") for kind, fields, _ in entries(n)]


def _opener(sender: Vault, receive_key: bytes) -> Callable[[bytes], bytes]:
    """Open an envelope with no app logic: v1 under the channel key; v2's head under the static
    head key and its body under the message key the sender still keeps (ops envelopes are
    ratcheted, PROTOCOL.md §4b: the floor pays the decryption, not the ratchet's bookkeeping)."""
    head_keys = envelope_v2.direction_keys(receive_key)
    kept = {}
    for _name, _blob, first, _last in outbox_store.envelopes(sender.conn):
        found = ratchet_store.sent_key(sender.conn, first)
        if found is not None:
            kept[first] = found[0]

    def open_one(blob: bytes) -> bytes:
        if not envelope_v2.is_v2(blob):
            return open_envelope(receive_key, blob)[1]
        head = envelope_v2.open_head(head_keys, blob)
        return envelope_v2.open_body(kept.get(head.seq, receive_key), blob)

    return open_one


def _quiet() -> None:
    """Start a timed run with the disk's write-back and the collector's work done, so no run
    pays for what the one before it wrote (a run right after the floors' ten databases was
    slower by a tenth than one after a pair was made)."""
    gc.collect()
    os.sync()


def _median_seconds(runs: list[float]) -> float:
    return sorted(runs)[len(runs) // 2]


def _floor(folder: Path, blobs: list[bytes], key: Callable[[bytes], bytes]) -> tuple[float, int]:
    """Decrypt, decode and batch-insert the same envelopes: the rate with no app logic."""
    conn = open_database(folder / f"floor-{time.monotonic_ns()}.db", bytes(range(32)), create=True)
    conn.execute("CREATE TABLE ops (id TEXT PRIMARY KEY, kind TEXT, fields TEXT)")
    _quiet()
    started = time.perf_counter()
    count, rows = 0, []
    for blob in blobs:
        payload = key(blob)
        for item in json.loads(payload)["ops"]:
            op = json.loads(item)
            rows.append((op["id"], op["kind"], json.dumps(op["fields"])))
        if len(rows) >= 500:
            with transaction(conn):
                conn.executemany("INSERT INTO ops VALUES (?, ?, ?)", rows)
            count, rows = count + len(rows), []
    with transaction(conn):
        conn.executemany("INSERT INTO ops VALUES (?, ?, ?)", rows)
    count += len(rows)
    seconds = time.perf_counter() - started
    conn.close()
    return seconds, count


def _vault_tables_floor(folder: Path, blobs: list[bytes], key: Callable[[bytes], bytes]) -> float:
    """The same, but inserting into the vault's own tables (entries and the full-text index; a
    new entry has no revisions row) with no validation, chain or rules: what the schema itself
    costs. Returns seconds."""
    path = folder / f"floor-vault-{time.monotonic_ns()}.db"
    conn = open_database(path, bytes(range(32)), create=True)
    migrate(conn)
    _quiet()
    started = time.perf_counter()
    rowid, rows, index = 0, [], []
    for blob in blobs:
        payload = key(blob)
        for item in json.loads(payload)["ops"]:
            op = json.loads(item)
            rowid += 1
            data = json.dumps(op["fields"], sort_keys=True)
            rows.append((rowid, op["id"], op["kind"], op["author"], op["created"], op["updated"],
                         "shared", op["created"], str(op["fields"].get("title", "")), data,
                         op["rev"], op["editor"]))  # fmt: skip
            index.append((rowid, str(op["fields"].get("title", "")), data))
    with transaction(conn):
        conn.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.executemany("INSERT INTO entries_fts (rowid, title, body) VALUES (?, ?, ?)", index)
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def _sent(folder: Path, n: int, ops_per_envelope: int) -> tuple[Vault, Vault, MemoryTransport]:
    """A fresh pair whose sender has sealed ``n`` shared entries for the receiver."""
    folder.mkdir()
    saved = outbox.MAX_OPS
    outbox.MAX_OPS = ops_per_envelope
    try:
        transport = MemoryTransport()
        a, b = _paired(folder, transport, {"type": "memory"})
        a.entries.add_many(_shared(n))
        SyncService(a, transport).sync()
    finally:
        outbox.MAX_OPS = saved
    return a, b, transport


def _apply_once(run: Run, n: int, ops_per_envelope: int, label: str) -> Figures:
    """The real path applied by :data:`REAL_RUNS` fresh pairs (each receiver can apply its
    envelopes once), each run after :data:`FLOORS_PER_PAIR` runs of both floors over the first
    pair's envelopes: interleaved, so a slow spell of the machine (the disk writing back what the
    floors wrote, say) weighs on both sides alike. Medians of each."""
    real_runs: list[float] = []
    floor_runs: list[float] = []
    schema_runs: list[float] = []
    for attempt in range(REAL_RUNS):
        folder = run.folder / f"{label}-{attempt}"
        a, b, transport = _sent(folder, n, ops_per_envelope)
        if attempt == 0:
            blobs = [bytes(r[0]) for r in a.conn.execute("SELECT blob FROM outbox_envelopes")]
            state = load_pair(b.conn)
            assert state is not None and state.seal_format == state.partner_format == 2
            assert all(envelope_v2.is_v2(blob) for blob in blobs), "the pair is at v2"
            receive_key = _opener(a, state.keys(load_identity(b.conn)).receive)
        for _ in range(FLOORS_PER_PAIR):
            seconds, floor_n = _floor(folder, blobs, receive_key)
            floor_runs.append(seconds)
            schema_runs.append(_vault_tables_floor(folder, blobs, receive_key))
        _quiet()
        started = time.perf_counter()
        result = SyncService(b, transport).sync()
        real_runs.append(time.perf_counter() - started)
        assert result.received == n and result.rejected == 0, result
        a.close()
        b.close()
    floor_s, schema_s = _median_seconds(floor_runs), _median_seconds(schema_runs)
    real_s = _median_seconds(real_runs)
    real_rate, floor_rate, schema_rate = n / real_s, floor_n / floor_s, n / schema_s
    each = " / ".join(f"{n / s:,.0f}" for s in real_runs)
    run.say(
        f"   {label}: {len(blobs)} envelopes, {n} changes: sync path {real_rate:,.0f}/s"
        f" (median of {each}), floor {floor_rate:,.0f}/s, ratio {real_rate / floor_rate:.2f}"
        f" (aim >= 0.33); into the vault's own tables {schema_rate:,.0f}/s, ratio"
        f" {real_rate / schema_rate:.2f} (those tables alone, written then committed, reach"
        f" {schema_rate / floor_rate:.2f} of the floor)"
    )
    figures = {f"{label}.sync_run{i}_per_s": n / s for i, s in enumerate(real_runs, 1)}
    return figures | {
        f"{label}.vault_tables_ratio_to_floor": schema_rate / floor_rate,
        f"{label}.vault_tables_floor_per_s": schema_rate,
        f"{label}.ratio_to_vault_tables": real_rate / schema_rate,
        f"{label}.envelopes": len(blobs),
        f"{label}.sync_per_s": real_rate,
        f"{label}.floor_per_s": floor_rate,
        f"{label}.ratio": real_rate / floor_rate,
    }


@benchmark("sync_apply")
def apply_bench(run: Run) -> Figures:
    n = 10_000
    figures = _apply_once(run, n, outbox.MAX_OPS, "batched")
    figures.update(_apply_once(run, n, 1, "one_op_per_envelope"))
    return figures


@benchmark("sync_full")
def full_bench(run: Run) -> Figures:
    n = 10_000
    sync_folder = run.folder / "shared"
    sync_folder.mkdir()
    spec = folder_spec(sync_folder)
    from trustvault.sync.folder_transport import FolderTransport

    a, b = _paired(run.folder, FolderTransport(sync_folder), spec)
    a.entries.add_many(_shared(n))
    started = time.perf_counter()
    sent = SyncService(a).sync()
    got = SyncService(b).sync()
    done = SyncService(a).sync()
    seconds = time.perf_counter() - started
    assert got.received == n and done.pending == 0, (got, done)
    left = len(list(sync_folder.iterdir()))
    a.close()
    b.close()
    run.say(
        f"   {n} entries through a folder in {seconds:.2f} s (aim < 10 s);"
        f" {sent.sent} ops sent, {left} blob(s) left in the folder after clean-up"
    )
    return {"entries": n, "seconds": seconds, "blobs_left": left}
