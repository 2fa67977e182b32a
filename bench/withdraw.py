"""Withdrawal benchmark (issue 9, item 1): what erasing a withdrawn entry costs the partner.

The partner's vault holds N entries (its own, private: the full-text index is one for all) and
one the author shared. The author withdraws it; the figure is the partner's sync round that
applies the withdrawal, against the same round applying a comment instead (no erasure), measured
in the same run. The erasure is an FTS5 ``optimize`` (it rewrites the whole index, so it grows
with N) and a TRUNCATE checkpoint of the log; it runs once per round that applied withdrawals.
"""

import time
from datetime import timedelta
from pathlib import Path

from bench import Figures, Run, benchmark
from bench.data import entries
from trustvault.actions import Actions
from trustvault.storage import erasure
from trustvault.storage.transaction import transaction
from trustvault.sync.memory_transport import MemoryTransport
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

PASSPHRASE = "benchmark passphrase"


def _round(n: int, folder: Path) -> Figures:
    transport = MemoryTransport()
    a = Vault.create(folder / "a", PASSPHRASE, "Alex", kdf_profile="interactive")
    b = Vault.create(folder / "b", PASSPHRASE, "Sam", kdf_profile="interactive")
    for vault in (a, b):
        Actions(vault).set_send_hold(timedelta(0))  # measured: the sync, not the hold
    sa, sb = SyncService(a, transport), SyncService(b, transport)
    sb.join(sa.invite({"type": "memory"}), {"type": "memory"})
    sa.sync()
    sb.sync()
    b.entries.add_many([(kind, fields, "private") for kind, fields, _ in entries(n)])
    kept = a.entries.add("disclosure", {"title": "kept", "occurred_on": "2026-01-01"})
    shared = a.entries.add("disclosure", {"title": "withdrawn", "occurred_on": "2026-01-01"})
    for _ in range(2):
        sa.sync()
        sb.sync()

    sa.comment(kept.id, "a note")  # a round that applies one op and erases nothing: the floor
    sa.sync()
    started = time.perf_counter()
    sb.sync()
    plain = time.perf_counter() - started

    sa.revoke(shared.id)
    sa.sync()
    started = time.perf_counter()
    result = sb.sync()
    withdrawn = time.perf_counter() - started
    assert result.received == 1 and not result.erase_pending, result

    wal = b.folder / "vault.db-wal"
    # The erasure alone, once more: an edit leaves a deleted row in the (now single) segment.
    own = b.entries.page(limit=1, author=b.device_id)[0]
    b.entries.edit(own.id, {"title": "edited"} if "title" in own.fields else {"note": "edited"})
    with transaction(b.conn):
        erasure.mark_pending(b.conn)
    started = time.perf_counter()
    assert erasure.finish(b.conn)
    alone = time.perf_counter() - started
    with_log = wal.stat().st_size if wal.exists() else 0
    size = (b.folder / "vault.db").stat().st_size
    a.close()
    b.close()
    return {
        "round_plain_s": plain,
        "round_withdrawal_s": withdrawn,
        "erasure_s": alone,
        "db_mb": size / 1e6,
        "log_after_bytes": with_log,
    }


@benchmark("sync_withdraw")
def withdraw_bench(run: Run) -> Figures:
    figures: Figures = {}
    for n in run.sizes:
        folder = run.folder / str(n)
        folder.mkdir()
        got = _round(n, folder)
        run.say(
            f"   {n:,} entries ({got['db_mb']:.0f} MB): a round applying a withdrawal"
            f" {got['round_withdrawal_s'] * 1000:,.0f} ms, one applying a comment"
            f" {got['round_plain_s'] * 1000:,.0f} ms; the erasure alone"
            f" {got['erasure_s'] * 1000:,.0f} ms; log left {got['log_after_bytes']:.0f} bytes"
        )
        figures.update({f"{n}.{k}": v for k, v in got.items()})
    return figures
