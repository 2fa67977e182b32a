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

Calls are synchronous on one connection, made from the event loop like the SQLite store's: each
costs the loop a round trip to the server (~0.1 ms on a local socket), which is why batches are
one transaction. Deleted envelopes are not overwritten on disk: PostgreSQL keeps dead rows until
VACUUM and reuses, not zeroes, their space, and its WAL holds them until recycled (docs/relay.md,
"Backups"). :meth:`scrub` runs VACUUM on the blobs after deletions so the space is reused soon.
"""

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import psycopg

from trustvault.clock import Clock, system_clock
from trustvault.relay.stores import INVITER, JOINER, Mailbox, PutResult, StoredBlob, Wake, plan_puts

__all__ = ["CHANNEL", "PostgresStore"]

log = logging.getLogger("trustvault.relay")

CHANNEL = "trustvault_relay"
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


class PostgresStore:
    """Mailboxes and blobs in the database ``dsn`` names (a libpq connection string or URL)."""

    def __init__(self, dsn: str, *, touch_every: float = 60.0, clock: Clock = system_clock) -> None:
        self.dsn = dsn
        self.touch_every = touch_every
        self._clock = clock
        self._touched: dict[str, float] = {}
        self._scrub_due = False
        self._db = psycopg.connect(dsn, autocommit=True)
        self._migrate()
        self.total_bytes = self._stored_bytes()

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

    def _now(self) -> float:
        return self._clock().timestamp()

    def close(self) -> None:
        self._db.close()

    def scrub(self) -> bool:
        """After deletions, VACUUM the blobs so their space is marked for reuse (not zeroed)."""
        if not self._scrub_due:
            return False
        self._db.execute("VACUUM (SKIP_LOCKED) blobs")  # another process vacuuming does ours
        self._scrub_due = False
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

    def touch(self, mailbox_id: str) -> None:
        now = self._now()
        if now - self._touched.get(mailbox_id, 0.0) < self.touch_every:
            return
        self._db.execute("UPDATE mailboxes SET touched_at = %s WHERE id = %s", (now, mailbox_id))
        self._touched[mailbox_id] = now

    def delete_mailbox(self, mailbox_id: str) -> None:
        self._drop("DELETE FROM mailboxes WHERE id = %s RETURNING id, used_bytes", (mailbox_id,))

    def expire(self, unjoined_seconds: float, idle_seconds: float) -> tuple[list[str], list[str]]:
        now = self._now()
        unjoined = self._drop(
            "DELETE FROM mailboxes WHERE joiner_hash IS NULL AND created_at < %s "
            "RETURNING id, used_bytes",
            (now - unjoined_seconds,),
        )
        idle = self._drop(
            "DELETE FROM mailboxes WHERE touched_at < %s RETURNING id, used_bytes",
            (now - idle_seconds,),
        )
        self._touched = {k: t for k, t in self._touched.items() if now - t < self.touch_every}
        self.total_bytes = self._stored_bytes()  # other processes' writes, once a sweep
        return unjoined, idle

    def _drop(self, sql: str, params: tuple[object, ...]) -> list[str]:
        """Delete mailboxes (their blobs cascade) and tell the other processes' long-polls."""
        with self._db.transaction():
            rows = self._db.execute(sql, params).fetchall()
            for mailbox_id, _ in rows:
                self._db.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{mailbox_id} 0"))
        for mailbox_id, used in rows:
            self.total_bytes -= int(used)
            self._touched.pop(mailbox_id, None)
        self._scrub_due = self._scrub_due or bool(rows)
        return [str(mailbox_id) for mailbox_id, _ in rows]

    # -- blobs ------------------------------------------------------------------------------------

    def put(
        self,
        mailbox_id: str,
        name: str,
        author: int,
        data: bytes,
        quota_bytes: int,
        quota_blobs: int,
        total_cap: int | None = None,
    ) -> tuple[PutResult, int]:
        (outcome,) = self.put_many(
            mailbox_id, author, [(name, data)], quota_bytes, quota_blobs, total_cap
        )
        return outcome

    def put_many(
        self,
        mailbox_id: str,
        author: int,
        items: Sequence[tuple[str, bytes]],
        quota_bytes: int,
        quota_blobs: int,
        total_cap: int | None = None,
    ) -> list[tuple[PutResult, int]]:
        with self._db.transaction():
            usage = self._one(
                "SELECT used_bytes, blob_count, last_seq FROM mailboxes WHERE id = %s FOR UPDATE",
                (mailbox_id,),
            )
            rows = self._db.execute(
                "SELECT name, mailbox_seq, digest FROM blobs WHERE mailbox = %s AND name = ANY(%s)",
                (mailbox_id, [name for name, _ in items]),
            ).fetchall()
            held = {str(n): (int(seq), bytes(d)) for n, seq, d in rows}
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
        self.total_bytes += sum(len(b.data) for b in new)
        return outcomes

    def get(self, mailbox_id: str, name: str) -> StoredBlob | None:
        return self.get_many(mailbox_id, [name]).get(name)

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

    def delete(self, mailbox_id: str, name: str) -> bool:
        return self.delete_many(mailbox_id, [name]) == 1

    def delete_many(self, mailbox_id: str, names: Sequence[str]) -> int:
        with self._db.transaction():
            count, size = self._one(
                "WITH gone AS (DELETE FROM blobs WHERE mailbox = %s AND name = ANY(%s) "
                "RETURNING size) SELECT count(*), coalesce(sum(size), 0) FROM gone",
                (mailbox_id, list(names)),
            )
            if count:
                self._db.execute(
                    "UPDATE mailboxes SET used_bytes = used_bytes - %s, "
                    "blob_count = blob_count - %s WHERE id = %s",
                    (size, count, mailbox_id),
                )
        if count:
            self.total_bytes -= int(size)
            self._scrub_due = True
        return int(count)

    def latest_from_partner(self, mailbox_id: str, reader: int) -> int:
        (seq,) = self._one(
            "SELECT coalesce(max(mailbox_seq), 0) FROM blobs WHERE mailbox = %s AND author = %s",
            (mailbox_id, JOINER if reader == INVITER else INVITER),
        )
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
