"""Mailboxes in PostgreSQL (psycopg 3), shared by several relay processes behind one proxy.

The same rows as the SQLite store (:mod:`.store`), the same answers (:class:`.stores.MailboxStore`);
what changes is that other processes write too:

- A put locks its mailbox row first (``SELECT ... FOR UPDATE``), then looks for the names: two
  processes storing the same name at once see each other's commit, and the mailbox's seq count
  stays gapless and in commit order.
- Every put that stored something, and every deleted mailbox, sends ``NOTIFY trustvault_relay``
  with ``"<mailbox> <author>"`` in its own transaction, so it is delivered exactly when the rows
  are visible; :meth:`PostgresStore.follow` (one listening connection per process) wakes the
  long-polls held here. A long-poll checks the rows and registers its waiter with no await in
  between, and a notification is acted on only after the commit it follows, so no put is missed.
- ``total_bytes`` (the relay-wide cap) is this process's view: read at start and at each sweep,
  plus its own writes. Other processes' puts since the last sweep are not in it, so the cap can
  be passed by what they stored in one sweep interval (a minute by default).

Calls are synchronous, and the relay makes them from a pool of :attr:`PostgresStore.threads`
threads, never on its event loop: a round trip to the server (~0.1 ms on a quiet local socket,
far more when the server's processes wait for a core) then holds one thread, not every request
of the process. Each thread has its own connection (psycopg runs one query at a time on a
connection). Round trips still cost a thread switch each, so a batch is one transaction sent as
a pipeline (a put-many in two round trips), a delete-many one statement, and a listing one round
trip. Puts running at once in two threads read the same ``total_bytes``, so the relay-wide cap
can also be passed by what the threads store at one moment (at most one batch each).

Deleted envelopes are not overwritten on disk: PostgreSQL keeps dead rows until
VACUUM and reuses, not zeroes, their space, and its WAL holds them until recycled (docs/relay.md,
"Backups"). :meth:`scrub` runs VACUUM on the blobs after deletions so the space is reused soon.
"""

import asyncio
import logging
import threading
from collections.abc import Sequence
from typing import Any

import psycopg

from trustvault.clock import Clock, system_clock
from trustvault.relay.stores import (
    INVITER,
    JOINER,
    Mailbox,
    PutResult,
    StoreBase,
    StoredBlob,
    Wake,
    plan_puts,
)

__all__ = ["CHANNEL", "PostgresStore"]

log = logging.getLogger("trustvault.relay")

CHANNEL = "trustvault_relay"
# Store calls at once per relay process, each on its own connection. In bench.relay_load (two
# relay processes, a busy machine) 2 threads cost ~10% more CPU per request; 4 and 8 measured alike.
THREADS = 4
_LATEST = "SELECT coalesce(max(mailbox_seq), 0) FROM blobs WHERE mailbox = %s AND author = %s"
_LOCK = 0x7472_7573  # advisory lock id: one process at a time creates or upgrades the tables

_SCHEMA: tuple[str, ...] = (
    """
    CREATE TABLE mailboxes (
        id            text PRIMARY KEY,
        inviter_hash  bytea NOT NULL,
        join_hash     bytea NOT NULL,
        joiner_hash   bytea,
        created_at    double precision NOT NULL,
        joined_at     double precision,
        touched_at    double precision NOT NULL,
        used_bytes    bigint NOT NULL DEFAULT 0,
        blob_count    integer NOT NULL DEFAULT 0,
        last_seq      bigint NOT NULL DEFAULT 0
    );
    CREATE INDEX mailboxes_by_touch ON mailboxes (touched_at);
    CREATE TABLE blobs (
        mailbox       text NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
        name          text NOT NULL,
        author        smallint NOT NULL,
        digest        bytea NOT NULL,
        size          integer NOT NULL,
        created_at    double precision NOT NULL,
        data          bytea NOT NULL,
        mailbox_seq   bigint NOT NULL,
        PRIMARY KEY (mailbox, name)
    );
    CREATE INDEX blobs_by_author ON blobs (mailbox, author, mailbox_seq);
    """,
)


def _partner(reader: int) -> int:
    return JOINER if reader == INVITER else INVITER


class PostgresStore(StoreBase):
    """Mailboxes and blobs in the database ``dsn`` names (a libpq connection string or URL)."""

    _P = "%s"

    def __init__(
        self,
        dsn: str,
        *,
        touch_every: float = 60.0,
        clock: Clock = system_clock,
        threads: int = THREADS,
    ) -> None:
        super().__init__(touch_every=touch_every, clock=clock)
        self.dsn = dsn
        self.threads = threads
        self._local = threading.local()
        self._connections: list[psycopg.Connection[Any]] = []
        self._connections_lock = threading.Lock()
        self._migrate()
        self.total_bytes = self._stored_bytes()

    @property
    def _db(self) -> "psycopg.Connection[Any]":
        """This thread's connection, opened on its first call."""
        db: psycopg.Connection[Any] | None = getattr(self._local, "db", None)
        if db is None:
            db = psycopg.connect(self.dsn, autocommit=True)
            self._local.db = db
            with self._connections_lock:
                self._connections.append(db)
        return db

    def _migrate(self) -> None:
        with self._db.transaction():
            self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            self._db.execute("CREATE TABLE IF NOT EXISTS relay_schema (version integer NOT NULL)")
            row = self._db.execute("SELECT version FROM relay_schema").fetchone()
            version = int(row[0]) if row else 0
            for step in _SCHEMA[version:]:
                self._db.execute(step)
            self._db.execute("DELETE FROM relay_schema")
            self._db.execute("INSERT INTO relay_schema VALUES (%s)", (len(_SCHEMA),))

    def _stored_bytes(self) -> int:
        (total,) = self._one("SELECT coalesce(sum(used_bytes), 0) FROM mailboxes")
        return int(total)

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._db.execute(sql, params).fetchone()

    def close(self) -> None:
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for db in connections:
            db.close()

    def scrub(self) -> bool:
        """After deletions, VACUUM the blobs so their space is marked for reuse (not zeroed)."""
        if not self._scrub_due:
            return False
        self._scrub_due = False  # first: a deletion while this runs asks for the next scrub
        self._db.execute("VACUUM (SKIP_LOCKED) blobs")  # another process vacuuming does ours
        return True

    # -- mailboxes --------------------------------------------------------------------------------

    def mailbox(self, mailbox_id: str) -> Mailbox | None:
        row = self._one(
            "SELECT id, inviter_hash, join_hash, joiner_hash, used_bytes, blob_count "
            "FROM mailboxes WHERE id = %s",
            (mailbox_id,),
        )
        if row is None:
            return None
        joiner = bytes(row[3]) if row[3] is not None else None
        return Mailbox(row[0], bytes(row[1]), bytes(row[2]), joiner, int(row[4]), int(row[5]))

    def mailbox_count(self) -> int:
        return int(self._one("SELECT count(*) FROM mailboxes")[0])

    def usage(self) -> tuple[int, int]:
        used, count = self._one("SELECT coalesce(sum(used_bytes), 0), count(*) FROM mailboxes")
        return int(used), int(count)

    def create_mailbox(self, mailbox_id: str, inviter_hash: bytes, join_hash: bytes) -> bool:
        now = self._now()
        row = self._one(
            "INSERT INTO mailboxes (id, inviter_hash, join_hash, created_at, touched_at) "
            "VALUES (%s,%s,%s,%s,%s) ON CONFLICT (id) DO NOTHING RETURNING id",
            (mailbox_id, inviter_hash, join_hash, now, now),
        )
        return row is not None

    def set_joiner(self, mailbox_id: str, joiner_hash: bytes) -> bool:
        now = self._now()
        cursor = self._db.execute(
            "UPDATE mailboxes SET joiner_hash = %s, joined_at = %s, touched_at = %s "
            "WHERE id = %s AND joiner_hash IS NULL",
            (joiner_hash, now, now, mailbox_id),
        )
        return cursor.rowcount == 1

    def _write_touch(self, mailbox_id: str, now: float) -> None:
        self._db.execute("UPDATE mailboxes SET touched_at = %s WHERE id = %s", (now, mailbox_id))

    def expire(self, unjoined_seconds: float, idle_seconds: float) -> tuple[list[str], list[str]]:
        dropped = super().expire(unjoined_seconds, idle_seconds)
        self.total_bytes = self._stored_bytes()  # other processes' writes, once a sweep
        return dropped

    def _delete_mailboxes(self, where: str, value: object) -> list[tuple[str, int]]:
        """Delete mailboxes (their blobs cascade) and tell the other processes' long-polls."""
        with self._db.transaction():
            rows = self._db.execute(
                f"DELETE FROM mailboxes WHERE {where} RETURNING id, used_bytes",  # noqa: S608  (our own SQL)
                (value,),
            ).fetchall()
            for mailbox_id, _ in rows:
                self._db.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{mailbox_id} 0"))
        return [(str(mailbox_id), int(used)) for mailbox_id, used in rows]

    # -- blobs ------------------------------------------------------------------------------------

    def put_many(
        self,
        mailbox_id: str,
        author: int,
        items: Sequence[tuple[str, bytes]],
        quota_bytes: int,
        quota_blobs: int,
        total_cap: int | None = None,
    ) -> list[tuple[PutResult, int]]:
        # In a pipeline: the lock and the names held go in one round trip, the rows written,
        # the notification and the commit in a second (each round trip holds this store thread).
        with self._db.pipeline(), self._db.transaction():
            locked = self._db.execute(
                "SELECT used_bytes, blob_count, last_seq FROM mailboxes WHERE id = %s FOR UPDATE",
                (mailbox_id,),
            )
            found = self._db.execute(
                "SELECT name, mailbox_seq, digest FROM blobs WHERE mailbox = %s AND name = ANY(%s)",
                (mailbox_id, [name for name, _ in items]),
            )
            usage = locked.fetchone()
            held = {str(n): (int(seq), bytes(d)) for n, seq, d in found.fetchall()}
            outcomes, new = plan_puts(
                items, held, usage, self.total_bytes, quota_bytes, quota_blobs, total_cap
            )
            if new:
                now = self._now()
                with self._db.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO blobs (mailbox, name, author, digest, size, created_at, "
                        "data, mailbox_seq) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
                        [
                            (mailbox_id, b.name, author, b.digest, len(b.data), now, b.data, b.seq)
                            for b in new
                        ],
                    )
                self._db.execute(
                    "UPDATE mailboxes SET used_bytes = used_bytes + %s, "
                    "blob_count = blob_count + %s, last_seq = %s WHERE id = %s",
                    (sum(len(b.data) for b in new), len(new), new[-1].seq, mailbox_id),
                )
                self._db.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{mailbox_id} {author}"))
        self._add_bytes(sum(len(b.data) for b in new))
        return outcomes

    def get_many(self, mailbox_id: str, names: Sequence[str]) -> dict[str, StoredBlob]:
        rows = self._db.execute(
            "SELECT name, mailbox_seq, author, data FROM blobs "
            "WHERE mailbox = %s AND name = ANY(%s)",
            (mailbox_id, list(names)),
        ).fetchall()
        return {str(r[0]): StoredBlob(int(r[1]), int(r[2]), bytes(r[3])) for r in rows}

    def names(self, mailbox_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT name FROM blobs WHERE mailbox = %s ORDER BY mailbox_seq", (mailbox_id,)
        ).fetchall()
        return [str(name) for (name,) in rows]

    def delete_many(self, mailbox_id: str, names: Sequence[str]) -> int:
        # One statement, so one round trip and atomic without a transaction around it.
        count, size = self._one(
            "WITH gone AS (DELETE FROM blobs WHERE mailbox = %s AND name = ANY(%s) "
            "RETURNING size), "
            "total AS (SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM gone), "
            "counted AS (UPDATE mailboxes SET used_bytes = used_bytes - total.bytes, "
            "blob_count = blob_count - total.n FROM total WHERE id = %s AND total.n > 0) "
            "SELECT n, bytes FROM total",
            (mailbox_id, list(names), mailbox_id),
        )
        if count:
            self._add_bytes(-int(size))
            self._scrub_due = True
        return int(count)

    def listing(self, mailbox_id: str, reader: int) -> tuple[list[str], int]:
        with self._db.pipeline():  # both queries in one round trip
            listed = self._db.execute(
                "SELECT name FROM blobs WHERE mailbox = %s ORDER BY mailbox_seq", (mailbox_id,)
            )
            latest = self._db.execute(_LATEST, (mailbox_id, _partner(reader)))
            names = [str(name) for (name,) in listed.fetchall()]
            (seq,) = latest.fetchone() or (0,)
        return names, int(seq)

    def latest_from_partner(self, mailbox_id: str, reader: int) -> int:
        (seq,) = self._one(_LATEST, (mailbox_id, _partner(reader)))
        return int(seq)

    # -- other processes --------------------------------------------------------------------------

    async def follow(self, wake: Wake, ready: asyncio.Event) -> None:
        """LISTEN on its own connection; after every (re)connection wake every long-poll here,
        since a notification sent while not listening is lost (the polls re-check the rows)."""
        delay = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.dsn, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    wake("", 0)
                    ready.set()
                    delay = 0.5
                    async for note in conn.notifies():
                        mailbox_id, _, author = note.payload.partition(" ")
                        wake(mailbox_id, int(author) if author.isdigit() else 0)
            except psycopg.OperationalError as exc:
                log.warning("lost the database's notifications (%s); reconnecting", exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
