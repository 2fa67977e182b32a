"""Write ``schema22_history/``: a vault written by TrustVault at schema 22, whose ``revisions``
table held every version of an entry, the current one too.

Run once, at commit 5dff554 (the last schema-22 app), from the repository root:

    PYTHONPATH=. python tests/data/make_schema22_history.py tests/data/schema22_history

Schema 23 keeps an entry's current version only in ``entries``; the upgrade test
(``tests/test_migration.py``) opens a copy and compares every history with what this app listed.
The file pins the old layout: never regenerate it with a later app, which would write the new one.

Alex's vault holds, with the clock moved a minute between writes:

- a disclosure edited twice (three versions), a check-in never edited, an agreement whose
  wording changed, a milestone written private and then shared;
- a shared event with concurrent versions: the partner's revision 2 wins over Alex's, and a
  late revision 1 of the partner's loses to both;
- the partner's milestone, edited once by them, then withdrawn (a tombstone without history);
- the partner's milestone withdrawn and then given again at revision 3, and edited to 4.

``expected.json`` holds the database key (test data, no secret) and, for each entry, what this
app showed: its current version, its history and its ``max_revision``.
"""

import json
import shutil
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from trustvault.entries.kinds import validate
from trustvault.entries.model import Entry
from trustvault.storage import social_store
from trustvault.storage.entry_store import EntryStore
from trustvault.storage.migrations import LATEST_VERSION
from trustvault.storage.transaction import transaction
from trustvault.sync.apply import withdraw
from trustvault.vault import Vault

PASSPHRASE = "schema twenty-two passphrase"
PARTNER = "f" * 32  # sorts after any device id this app makes: the partner wins a tie
START = "2026-12-01T19:00"


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def main(target: Path) -> None:
    assert LATEST_VERSION == 22, "run this at the last schema-22 commit"
    with tempfile.TemporaryDirectory() as tmp:
        expected = build(Path(tmp) / "vault")
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(Path(tmp) / "vault", target)
    (target / "expected.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n")


def _partners(store: EntryStore, entry_id: str, title: str, revision: int, at: str) -> None:
    """The partner's milestone, as applying their ``version`` op inserts it."""
    fields = validate("milestone", {"title": title})
    entry = Entry(entry_id, "milestone", PARTNER, at, at, "shared", fields, revision, PARTNER)
    assert store.insert_entry(entry)


def build(folder: Path) -> dict[str, Any]:
    clock = _Clock()
    vault = Vault.create(folder, PASSPHRASE, "Alex", kdf_profile="interactive", clock=clock)
    store, me = vault.entries, vault.device_id
    told = store.add("disclosure", {"title": "Told", "body": "first", "occurred_on": "2026-10-01"})
    store.edit(told.id, {"body": "second"})
    store.edit(told.id, {"body": "third"})
    store.add("checkin", {"mood": 6, "safety": 7})
    pact = store.add("agreement", {"title": "Phones", "text": "stay open"}, "shared")
    store.edit(pact.id, {"text": "stay open after nine"})
    later = store.add("milestone", {"title": "Private first"}, "private")
    store.edit(later.id, {"title": "Private, then shared"})
    store.set_visibility(later.id, "shared")

    event = store.add("event", {"title": "Dinner", "start": START}, "shared")
    for revision, editor, title in ((2, me, "mine"), (2, PARTNER, "theirs"), (1, PARTNER, "late")):
        fields = validate("event", {"title": title, "start": START})
        assert store.put_version(event.id, revision, editor, clock().isoformat(), fields)

    gone, back = "0190" + "a" * 28, "0190" + "b" * 28
    with transaction(vault.conn):  # what applying the partner's ops writes, op by op
        _partners(store, gone, "withdrawn", 1, clock().isoformat())
        fields = validate("milestone", {"title": "withdrawn, edited"})
        assert store.put_version(gone, 2, PARTNER, clock().isoformat(), fields)
        withdraw(store, gone, PARTNER, clock().isoformat())

        _partners(store, back, "given back", 1, clock().isoformat())
        withdraw(store, back, PARTNER, clock().isoformat())
        store.drop_tombstone(back)
        social_store.forget_withdrawal(vault.conn, back)
        _partners(store, back, "given back", 3, clock().isoformat())
        fields = validate("milestone", {"title": "given back, edited"})
        assert store.put_version(back, 4, PARTNER, clock().isoformat(), fields)

    shown = {}
    for entry in store.all():
        shown[entry.id] = {
            "current": [entry.revision, entry.editor, entry.updated, entry.fields],
            "history": [[r.revision, r.editor, r.updated, r.fields] for r in store.history(entry.id)],
            "max_revision": store.max_revision(entry.id),
        }
    (rows,) = vault.conn.execute("SELECT count(*) FROM revisions").fetchone()
    assert rows == sum(len(s["history"]) for s in shown.values())  # the current ones included
    vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    key = vault.key.hex()
    vault.close()
    return {"key": key, "device": me, "partner": PARTNER, "entries": shown}


if __name__ == "__main__":
    main(Path(sys.argv[1]))
