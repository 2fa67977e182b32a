"""A large sync applies the partner's ops in batches and validates the next batch's versions while
the one before commits (:mod:`trustvault.sync.prepared`, on a thread of the commit's own): what
the receiver shows, refuses and says must be what applying each op on its own gives."""

import json
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from tests.sync.sync_helpers import Couple, paired_couple, record_as_sam
from trustvault.ids import new_id
from trustvault.storage.connection import open_database
from trustvault.storage.transaction import batched_transaction, transaction
from trustvault.sync import inbox
from trustvault.sync.apply import OpApplier, OpRefused
from trustvault.sync.prepared import Prepared

pytestmark = pytest.mark.usefixtures("small_batches")


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of three ops, so ten ops cross three commits with a batch prepared during each."""
    monkeypatch.setattr(inbox, "BATCH_OPS", 3)


def _milestone(c: Couple, title: str, **changes: Any) -> dict[str, Any]:
    """The version op Sam's modified client sends for a new milestone of its own."""
    body = {
        "id": new_id(), "kind": "milestone", "author": c.b.device_id,
        "created": "2026-11-01T09:00:00Z", "rev": 1, "editor": c.b.device_id,
        "updated": "2026-11-01T09:00:00Z", "fields": {"title": title},
    }  # fmt: skip
    return {**body, **changes}


def test_ops_validated_ahead_are_applied_and_refused_as_one_by_one(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    titles = [f"Step {i}" for i in range(10)]
    for i, title in enumerate(titles):
        if i == 7:  # in the third batch, prepared while the second commits
            record_as_sam(c, "version", _milestone(c, "", note="x"))
        if i == 8:  # a new entry whose creation time the timeline cannot place
            record_as_sam(c, "version", _milestone(c, "unplaced", created="soon"))
        c.b.entries.add("milestone", {"title": title}, "shared")
        c.sb.sync()  # an envelope each: a batch is whole envelopes
    got = c.sa.sync()
    shown = sorted(e.title for e in c.qa.all("milestone"))
    assert shown == sorted(titles)
    assert got.refused_ops == 2
    assert "A change from your partner was not applied: its title is not valid" in got.problems
    assert (
        "A change from your partner was not applied: malformed version: created is not a"
        " date-time" in got.problems
    )
    found = c.qa.search("Step 9")
    assert [e.title for e in found] == ["Step 9"]  # its index row was written too
    c.close()


def test_a_prepared_result_is_the_one_applied(applier: OpApplier) -> None:
    """The applier takes what was prepared (once) rather than validating again: the entry it
    stores is the prepared one even if the op changed after."""
    prepared = Prepared()
    applier = OpApplier(applier.store, applier.partner, prepared)
    op = {
        "t": "version", "seq": 1, "id": new_id(), "kind": "milestone",
        "author": applier.partner, "created": "2026-11-01T09:00:00Z", "rev": 1,
        "editor": applier.partner, "updated": "2026-11-01T09:00:00Z",
        "fields": {"title": "  prepared  "},
    }  # fmt: skip
    prepared.prepare([op])
    op["fields"] = {"title": ""}  # would be refused if validated now
    applier.prefetch([op])
    applier.apply(op)
    applier.flush()
    assert applier.store.get(op["id"]).title == "prepared"
    assert prepared.take(op) is None  # taken once
    op["fields"] = {"title": ""}
    with pytest.raises(OpRefused, match="title is not valid"):
        applier.apply({**op, "rev": 2})  # nothing prepared for this one: validated here


def test_a_failed_commit_is_the_error_even_when_the_work_meanwhile_fails(tmp_path: Path) -> None:
    """A commit refused while work runs beside it is what the caller hears, and nothing of the
    refused transaction stays; work failing beside a commit that holds leaves the commit."""
    conn = open_database(tmp_path / "t.db", bytes(range(32)), create=True)
    conn.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)")
    conn.execute("CREATE TABLE c (n INTEGER REFERENCES t (n) DEFERRABLE INITIALLY DEFERRED)")

    def fails() -> None:
        raise ValueError("the work failed")

    with pytest.raises(ValueError, match="the work failed"), batched_transaction(conn) as step:
        conn.execute("INSERT INTO t VALUES (1)")
        step(fails)
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    with pytest.raises(sqlcipher3.IntegrityError), batched_transaction(conn) as step:
        conn.execute("INSERT INTO t VALUES (2)")
        step(None)
        conn.execute("INSERT INTO c VALUES (3)")  # no t row 3: refused at COMMIT
        step(fails)
    assert [r[0] for r in conn.execute("SELECT n FROM t")] == [1, 2]
    assert conn.execute("SELECT count(*) FROM c").fetchone()[0] == 0
    assert not conn.in_transaction
    conn.close()


def _malformed_next(c: Couple) -> None:
    """Sam's modified client spoils the text of the op it just recorded, before sealing it: the
    envelope authenticates, but its op is of no type an app knows."""
    with transaction(c.b.conn):
        seq = c.b.conn.execute("SELECT max(seq) FROM outbox_ops").fetchone()[0]
        bad = json.dumps({"t": "nope", "seq": seq})
        c.b.conn.execute("UPDATE outbox_ops SET op = ? WHERE seq = ?", (bad, seq))


def test_an_envelope_with_malformed_ops_is_refused_when_its_batch_is_read(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """An envelope of a later batch whose op is malformed is refused in the words its opening
    uses, and what comes after it waits for the partner to send it again."""
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    for i in range(8):
        c.b.entries.add("milestone", {"title": f"Step {i}"}, "shared")
        if i == 5:  # in the second batch, prepared while the first commits
            _malformed_next(c)
        c.sb.sync()
    got = c.sa.sync()
    assert sorted(e.title for e in c.qa.all("milestone")) == [f"Step {i}" for i in range(5)]
    assert (got.received, got.rejected, got.waiting) == (5, 1, 2)
    assert "A file in the sync folder was refused: it is malformed." in got.problems
    again = c.sa.sync()
    assert again.rejected == 0 and again.waiting == 2, "refused once, remembered"
    c.close()


def test_a_malformed_envelope_behind_a_gap_is_refused_in_the_same_sync(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """An envelope that cannot be applied yet (one before it is missing) is still read: a
    malformed one is refused at once, and only the well-formed ones wait."""
    c = paired_couple(tmp_path / "couple", tmp_path_factory)
    for i in range(4):
        c.b.entries.add("milestone", {"title": f"Step {i}"}, "shared")
        if i == 2:
            _malformed_next(c)
        c.sb.sync()
    first = c.b.conn.execute("SELECT name FROM outbox_envelopes ORDER BY first_seq").fetchone()
    held = tmp_path / "held"
    (c.folder / f"{first[0]}.bin").rename(held)  # the medium has not delivered it yet
    got = c.sa.sync()
    assert (got.received, got.rejected, got.waiting) == (0, 1, 2)
    assert "A file in the sync folder was refused: it is malformed." in got.problems
    held.rename(c.folder / f"{first[0]}.bin")
    done = c.sa.sync()
    assert done.received == 2 and done.waiting == 1  # the last waits for the refused one
    c.close()
