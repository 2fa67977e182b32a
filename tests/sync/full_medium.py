"""Two real vaults filling a medium too small for what they share, then syncing until it drains.

Both partners write ``n`` shared entries at once, so each fills the medium with its own envelopes
before it has read a single one of the other's: the case where putting before deleting, or a
receipt that cannot get in, stalls the pair for good. Used by the relay test (a real quota) and,
in a private mount namespace, by the folder test (a real tmpfs that runs out of space).

    python -m tests.sync.full_medium FOLDER N     # mount a tmpfs of --size there, drain, print JSON
"""

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tests.helpers import NO_HOLD, PASSPHRASE
from trustvault.actions import Actions
from trustvault.sync.service import SyncService
from trustvault.sync.transports import folder_spec
from trustvault.vault import Vault

__all__ = ["Drained", "drain", "shared_entries"]


@dataclass
class Drained:
    rounds: int = 0
    arrived_at_alex: int = 0
    arrived_at_sam: int = 0
    pending: tuple[int, int] = (0, 0)
    problems: list[str] = field(default_factory=list)


def shared_entries(vault: Vault, n: int, who: str) -> None:
    """``n`` shared entries of ~500 bytes each, in one transaction."""
    body = "x" * 480
    vault.entries.add_many(
        ("disclosure", {"title": f"{who} {i}", "body": body, "occurred_on": "2026-10-01"}, None)
        for i in range(n)
    )


def drain(alex: Vault, sam: Vault, n: int, max_rounds: int = 40) -> Drained:
    """Alternate both devices' syncs until each holds the other's ``n`` entries and nothing of
    either waits for a receipt (or ``max_rounds`` rounds of both pass)."""
    sa, sb = SyncService(alex), SyncService(sam)
    for vault in (alex, sam):
        Actions(vault).set_send_hold(NO_HOLD)  # shares leave at once: the medium is the test
    shared_entries(alex, n, "Alex")
    shared_entries(sam, n, "Sam")
    out = Drained()
    while out.rounds < max_rounds:
        out.rounds += 1
        ra, rb = sa.sync(), sb.sync()
        out.problems += ra.problems + rb.problems
        out.arrived_at_alex = len(alex.entries.all_ids()) - n  # each holds its own n
        out.arrived_at_sam = len(sam.entries.all_ids()) - n
        out.pending = (ra.pending, rb.pending)
        if out.arrived_at_alex == out.arrived_at_sam == n and out.pending == (0, 0):
            break
    # Which ones, once: each of the other's n titles, not just as many entries.
    out.arrived_at_alex = _titles(alex, "Sam", n)
    out.arrived_at_sam = _titles(sam, "Alex", n)
    return out


def _titles(vault: Vault, who: str, n: int) -> int:
    held = {e.fields["title"] for e in vault.entries.all("disclosure")}
    return sum(f"{who} {i}" in held for i in range(n))


def main(argv: list[str] | None = None) -> int:
    """Run inside ``unshare --user --map-root-user --mount``: the tmpfs is private to this
    process and vanishes with it, and no privilege of the machine is needed or touched."""
    p = argparse.ArgumentParser()
    p.add_argument("folder", type=Path)
    p.add_argument("n", type=int)
    p.add_argument("--size", default="192k")
    p.add_argument("--files", type=int, default=0, help="at most this many files (nr_inodes)")
    args = p.parse_args(argv)
    args.folder.mkdir()
    options = f"size={args.size},mode=0700" + (f",nr_inodes={args.files + 1}" if args.files else "")
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tv-full", args.folder],
        check=True,
    )
    with tempfile.TemporaryDirectory() as home:
        alex = Vault.create(Path(home) / "alex", PASSPHRASE, "Alex", kdf_profile="interactive")
        sam = Vault.create(Path(home) / "sam", PASSPHRASE, "Sam", kdf_profile="interactive")
        spec = folder_spec(args.folder)
        sa, sb = SyncService(alex), SyncService(sam)
        sb.join(sa.invite(spec), spec)
        sa.sync()
        sb.sync()
        print(json.dumps(asdict(drain(alex, sam, args.n))))
        alex.close()
        sam.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
