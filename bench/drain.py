"""How long a full medium takes to drain (issue 15, item 2), against the same sync unhindered.

Two real vaults share ``n`` entries each at once (``n`` = the smallest ``--sizes``, at most
3,000) through a real relay process whose mailbox holds about a tenth of that (``--quota-bytes``),
syncing in turns until every entry has arrived both ways and nothing waits for a receipt. The
floor is the same exchange through a relay without a quota, in the same run: the ratio is what
fullness costs (more rounds, each deleting before it puts), not how fast a relay is.
"""

import time
from datetime import timedelta
from pathlib import Path

from bench import Figures, Run, benchmark
from bench.relay_load import _start_relay
from trustvault.actions import Actions
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

__all__ = ["drain_benchmark"]

PASSPHRASE = "benchmark passphrase"
_MAX_ROUNDS = 200


def _exchange(folder: Path, n: int, relay_args: list[str]) -> tuple[float, int]:
    """Seconds and rounds (of both devices) until ``n`` entries each way have arrived."""
    process, url = _start_relay(["--data", str(folder / "relay"), *relay_args])
    try:
        a = Vault.create(folder / "a", PASSPHRASE, "Alex", kdf_profile="interactive")
        b = Vault.create(folder / "b", PASSPHRASE, "Sam", kdf_profile="interactive")
        for vault in (a, b):
            Actions(vault).set_send_hold(timedelta(0))  # measured: the drain, not the hold
        sa, sb = SyncService(a), SyncService(b)
        sb.join(sa.invite({"type": "relay", "url": url}))
        sa.sync()
        sb.sync()
        body = "w" * 480
        for vault, who in ((a, "Alex"), (b, "Sam")):
            vault.entries.add_many(
                ("disclosure", {"title": f"{who} {i}", "body": body, "occurred_on": "2026-10-01"},
                 "shared") for i in range(n)
            )  # fmt: skip
        started = time.perf_counter()
        rounds = 0
        while rounds < _MAX_ROUNDS:
            rounds += 1
            ra, rb = sa.sync(), sb.sync()
            arrived = len(a.entries.all_ids()) == len(b.entries.all_ids()) == 2 * n
            if arrived and ra.pending == rb.pending == 0:
                break
        seconds = time.perf_counter() - started
        assert rounds < _MAX_ROUNDS, "the medium did not drain"
        a.close()
        b.close()
        return seconds, rounds
    finally:
        process.kill()
        process.wait()


@benchmark("drain")
def drain_benchmark(run: Run) -> Figures:
    n = min(min(run.sizes), 3_000)
    quota = n * 2 * 700 // 10  # bytes: about a tenth of both sides' envelopes at once
    (run.folder / "free").mkdir()
    (run.folder / "full").mkdir()
    free_s, free_rounds = _exchange(run.folder / "free", n, [])
    full_s, full_rounds = _exchange(run.folder / "full", n, ["--quota-bytes", str(quota)])
    run.say(
        f"   {n:,} entries each way: unhindered {free_s:.2f} s in {free_rounds} rounds;"
        f" through a mailbox of {quota // 1024:,} KiB {full_s:.2f} s in {full_rounds} rounds"
        f" ({full_s / free_s:.1f}x)"
    )
    return {
        "entries_each_way": n,
        "floor_s": free_s,
        "full_s": full_s,
        "full_rounds": full_rounds,
        "full_over_floor": full_s / free_s,
    }
