"""A large import and another program writing to the same vault at the same time: the import
stores its events a batch per transaction, so the other writer gets its turns during the import
instead of waiting for all of it (or failing once its busy timeout runs out)."""

import subprocess
import sys
from pathlib import Path

from trustvault import ics
from trustvault.vault import Vault

WRITER = """
import sys, pathlib, time
from trustvault.vault import Vault
folder, key, stop = pathlib.Path(sys.argv[1]), bytes.fromhex(sys.argv[2]), pathlib.Path(sys.argv[3])
vault = Vault.open_with_key(folder, key)
vault.entries.add("milestone", {"title": "first"}, "private")
print("writing", flush=True)
n = 1
while not stop.exists():
    vault.entries.add("milestone", {"title": f"note {n}"}, "private")
    n += 1
    time.sleep(0.002)
vault.close()
print("wrote", n, flush=True)
"""

EVENT = (
    "BEGIN:VEVENT\r\nUID:e{i}@example.org\r\nDTSTART;TZID=Europe/Paris:20270104T190000\r\n"
    "DTEND;TZID=Europe/Paris:20270104T200000\r\nSUMMARY:Event {i}\r\nEND:VEVENT\r\n"
)


def big_calendar(n: int) -> bytes:
    events = "".join(EVENT.format(i=i) for i in range(n))
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{events}END:VCALENDAR\r\n".encode()
    )


def test_another_process_writes_between_the_batches_of_a_large_import(
    vault: Vault, tmp_path: Path
) -> None:
    n = 5 * ics.BATCH
    prepared = ics.prepare(vault, big_calendar(n), "big.ics")  # outside the write lock
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(vault.folder), vault.key.hex(), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline() == "writing\n"
        added = ics.store(vault, prepared, "shared")
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err  # no "database is locked" on the other side
    assert out.startswith("wrote ")
    assert len(added) == n
    imported = {e.id for e in added}
    order = [e.id in imported for e in sorted(vault.entries.all(), key=lambda e: e.rowid)]
    first, last = order.index(True), len(order) - 1 - order[::-1].index(True)
    between = order[first:last].count(False)
    assert between > 0, "the other writer got no turn during the import"
