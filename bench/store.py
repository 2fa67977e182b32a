"""Vault store benchmarks (issue 2, point 7).

- insert: N entries through ``EntryStore.add_many`` against a raw SQLCipher batched insert of the
  same rows (already validated and serialised, same schema, same connection settings), measured
  in the same run; the figure that matters is the ratio (aim: at least 0.5).
- open: a fresh process opens a 100,000-entry vault with ``Vault.open_with_key`` (no Argon2id)
  and reads the first page of the timeline (aim: under 150 ms).
- search: full-text search at 100,000 entries (aim: under 50 ms).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import Figures, Run, benchmark
from bench.data import COMMON_WORD, MEDIUM_WORD, RARE_WORD, entries
from trustvault.entries.kinds import body_text, sort_key_of, title_of
from trustvault.entries.model import Entry
from trustvault.storage.connection import open_database
from trustvault.storage.migrations import migrate
from trustvault.storage.transaction import transaction
from trustvault.vault import Vault

PASSPHRASE = "benchmark passphrase"
ROOT = Path(__file__).resolve().parent.parent


def _rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def _raw_insert(path: Path, key: bytes, made: list[Entry]) -> float:
    """The floor: the same rows the store writes (entries and the full-text index; a new entry
    has no revisions row), prepared up front, in one ``executemany`` transaction."""
    conn = open_database(path, key, create=True)
    migrate(conn)
    rows, fts = [], []
    for rowid, e in enumerate(made, start=1):
        data = json.dumps(e.fields, sort_keys=True)
        sort_at = sort_key_of(e.kind, e.fields, e.created)
        rows.append(
            (
                rowid,
                e.id,
                e.kind,
                e.author,
                e.created,
                e.updated,
                e.visibility,
                sort_at,
                e.title,
                data,
                e.revision,
                e.editor,
            )
        )
        fts.append((rowid, title_of(e.kind, e.fields), body_text(e.kind, e.fields)))
    started = time.perf_counter()
    with transaction(conn):
        conn.executemany(
            "INSERT INTO entries (rowid, id, kind, author, created, updated, visibility, sort_at,"
            " title, fields, revision, editor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany("INSERT INTO entries_fts (rowid, title, body) VALUES (?, ?, ?)", fts)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def _store_insert(folder: Path, n: int) -> tuple[float, bytes, list[Entry]]:
    """Validation, serialisation and insert through the app's store, in one ``add_many``."""
    items = entries(n)
    v = Vault.create(folder, PASSPHRASE, "Bench", kdf_profile="interactive")
    started = time.perf_counter()
    made = v.entries.add_many(items)
    elapsed = time.perf_counter() - started
    key = v.key
    v.close()
    return elapsed, key, made


@benchmark("insert")
def insert(run: Run) -> Figures:
    figures: Figures = {}
    for n in run.sizes:
        # Alternate the two and keep each one's best: the shared machine's load comes and goes,
        # and a ratio of two runs minutes apart would measure the load, not the store.
        store_s = raw_s = float("inf")
        for rep in range(3 if n <= 20_000 else 1):
            folder = run.folder / f"store-{n}" if rep == 0 else run.folder / f"store-{n}-{rep}"
            took, key, made = _store_insert(folder, n)
            store_s = min(store_s, took)
            raw_s = min(raw_s, _raw_insert(run.folder / f"raw-{n}-{rep}.db", key, made))
        store_rate, raw_rate = _rate(n, store_s), _rate(n, raw_s)
        ratio = store_rate / raw_rate
        run.say(
            f"insert {n:>7,} entries: store {store_rate:>9,.0f}/s ({store_s * 1000:,.0f} ms), "
            f"raw SQLCipher {raw_rate:>9,.0f}/s ({raw_s * 1000:,.0f} ms), ratio {ratio:.2f}"
        )
        figures[f"store_per_s_{n}"] = store_rate
        figures[f"raw_per_s_{n}"] = raw_rate
        figures[f"ratio_{n}"] = ratio
    single = min(2000, run.sizes[0])
    v = Vault.open_with_key(run.folder / f"store-{run.sizes[0]}", key_of(run, run.sizes[0]))
    items = entries(single, seed=7)
    started = time.perf_counter()
    for kind, raw, vis in items:
        v.entries.add(kind, raw, vis)
    one_s = time.perf_counter() - started
    v.close()
    run.say(f"add one at a time (a transaction each): {_rate(single, one_s):,.0f}/s")
    figures["single_add_per_s"] = _rate(single, one_s)
    return figures


_KEYS: dict[Path, bytes] = {}


def key_of(run: Run, n: int) -> bytes:
    folder = run.folder / f"store-{n}"
    if folder not in _KEYS:
        _KEYS[folder] = Vault.unwrap_key(folder, PASSPHRASE)
    return _KEYS[folder]


def _big_vault(run: Run) -> tuple[Path, bytes]:
    """The largest vault the insert benchmark made, or a new one."""
    n = max(run.sizes)
    shared = run.folder.parent / "insert" / f"store-{n}"
    if shared.exists():
        return shared, Vault.unwrap_key(shared, PASSPHRASE)
    _, key, _ = _store_insert(run.folder / "big", n)
    return run.folder / "big", key


_OPEN_SCRIPT = """
import json, sys, time
started = time.perf_counter()
from pathlib import Path
from trustvault.vault import Vault
imported = time.perf_counter()
v = Vault.open_with_key(Path(sys.argv[1]), bytes.fromhex(sys.argv[2]))
page = v.entries.page(200)
done = time.perf_counter()
assert len(page) == 200
v.close()
print(json.dumps({"import_ms": (imported - started) * 1000, "open_ms": (done - imported) * 1000}))
"""


@benchmark("open")
def open_first_page(run: Run) -> Figures:
    folder, key = _big_vault(run)
    n = max(run.sizes)
    opens, walls, imports = [], [], []
    for _ in range(7):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _OPEN_SCRIPT, str(folder), key.hex()],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        walls.append((time.perf_counter() - started) * 1000)
        got = json.loads(done.stdout)
        opens.append(got["open_ms"])
        imports.append(got["import_ms"])
    figures = {
        "first_page_ms": statistics.median(opens),
        "imports_ms": statistics.median(imports),
        "process_ms": statistics.median(walls),
    }
    run.say(
        f"open a {n:,}-entry vault with its key + newest 200 entries, fresh process: "
        f"{figures['first_page_ms']:.1f} ms (median of 7; imports {figures['imports_ms']:.0f} ms, "
        f"whole process {figures['process_ms']:.0f} ms)"
    )
    return figures


@benchmark("search")
def search(run: Run) -> Figures:
    folder, key = _big_vault(run)
    n = max(run.sizes)
    figures: Figures = {}
    with Vault.open_with_key(folder, key) as v:
        v.entries.search(MEDIUM_WORD)  # warm the page cache once, as a running app would be
        for label, query in (
            ("rare", RARE_WORD),
            ("medium", MEDIUM_WORD),
            ("common", COMMON_WORD),
            ("prefix", "w03"),
            ("two_words", f"{COMMON_WORD} {MEDIUM_WORD}"),
        ):
            times, hits = [], 0
            for _ in range(7):
                started = time.perf_counter()
                hits = len(v.entries.search(query))
                times.append((time.perf_counter() - started) * 1000)
            figures[f"{label}_ms"] = statistics.median(times)
            run.say(
                f"search {n:,} entries for {label} word(s) {query!r}: "
                f"{figures[f'{label}_ms']:.1f} ms ({hits} hits shown)"
            )
    return figures
