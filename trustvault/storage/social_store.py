"""The tables of what passes between the partners about entries: answers, comments, acceptances,
tombstones, and this device's delivery record of each entry it shared.

Plain statements inside the caller's transaction; the action layer decides when they run and
records the ops that tell the partner in the same transaction.
"""

from trustvault.results import Comment, Response, ResponseState, Withdrawal
from trustvault.storage.connection import Connection

__all__ = [
    "SharingRow",
    "acceptances",
    "add_acceptance",
    "add_comment",
    "add_comment_if_new",
    "add_withdrawal",
    "comments",
    "delete_acceptances_by",
    "delete_comments_by",
    "forget_deliveries",
    "forget_entry",
    "forget_withdrawal",
    "is_deleted",
    "mark_delivered",
    "mark_sent",
    "mark_withdrawn",
    "own_acceptances",
    "own_comments",
    "remember_shared",
    "renumber_sharing",
    "responses",
    "restore_sharing",
    "set_response",
    "shared_before",
    "sharing_record",
    "sharing_row",
    "withdrawal",
]

SharingRow = tuple[str | None, str | None]
"""(delivered_at, withdrawn_at) of an entry this device shared; absent when never shared."""


def responses(conn: Connection, entry_id: str) -> list[Response]:
    rows = conn.execute(
        "SELECT person, state, at FROM responses WHERE entry_id = ? ORDER BY at", (entry_id,)
    )
    return [Response(str(p), ResponseState(s), str(a)) for p, s, a in rows]


def set_response(conn: Connection, entry_id: str, person: str, state: str, at: str) -> None:
    """A person's latest word on an entry replaces the earlier one."""
    conn.execute(
        "INSERT OR REPLACE INTO responses (entry_id, person, state, at) VALUES (?, ?, ?, ?)",
        (entry_id, person, state, at),
    )


def comments(conn: Connection, entry_id: str) -> list[Comment]:
    rows = conn.execute(
        "SELECT id, person, text, at FROM comments WHERE entry_id = ? ORDER BY at, id",
        (entry_id,),
    )
    return [Comment(str(i), str(p), str(t), str(a)) for i, p, t, a in rows]


def own_comments(conn: Connection, entry_id: str, person: str) -> list[Comment]:
    return [c for c in comments(conn, entry_id) if c.person == person]


def add_comment(conn: Connection, comment_id: str, entry_id: str, person: str, text: str,
                at: str) -> None:  # fmt: skip
    conn.execute(
        "INSERT INTO comments (id, entry_id, person, text, at) VALUES (?, ?, ?, ?, ?)",
        (comment_id, entry_id, person, text, at),
    )


def add_comment_if_new(conn: Connection, comment_id: str, entry_id: str, person: str, text: str,
                       at: str) -> None:  # fmt: skip
    """A partner's comment; one already held (the same id) is left as it is."""
    conn.execute(
        "INSERT OR IGNORE INTO comments (id, entry_id, person, text, at) VALUES (?, ?, ?, ?, ?)",
        (comment_id, entry_id, person, text, at),
    )


def delete_comments_by(conn: Connection, entry_id: str, person: str) -> int:
    """What ``person`` wrote about the entry (it goes when they withdraw the entry); returns
    how many comments were deleted."""
    cur = conn.execute("DELETE FROM comments WHERE entry_id = ? AND person = ?", (entry_id, person))
    return int(cur.rowcount)


def add_acceptance(conn: Connection, entry_id: str, digest: str, person: str, at: str) -> bool:
    """Record an acceptance of one wording; False when it was recorded already."""
    cur = conn.execute(
        "INSERT OR IGNORE INTO acceptances (entry_id, digest, person, accepted_at)"
        " VALUES (?, ?, ?, ?)",
        (entry_id, digest, person, at),
    )
    return cur.rowcount > 0


def acceptances(conn: Connection, entry_id: str) -> list[tuple[str, str, str]]:
    """(digest, person, accepted_at) of every acceptance of any wording, oldest first."""
    rows = conn.execute(
        "SELECT digest, person, accepted_at FROM acceptances WHERE entry_id = ?"
        " ORDER BY accepted_at, person",
        (entry_id,),
    )
    return [(str(d), str(p), str(a)) for d, p, a in rows]


def own_acceptances(conn: Connection, entry_id: str, person: str) -> list[tuple[str, str]]:
    """(digest, accepted_at) of every wording ``person`` accepted."""
    rows = conn.execute(
        "SELECT digest, accepted_at FROM acceptances WHERE entry_id = ? AND person = ?",
        (entry_id, person),
    )
    return [(str(d), str(a)) for d, a in rows]


def withdrawal(conn: Connection, entry_id: str) -> Withdrawal | None:
    row = conn.execute(
        "SELECT author, at, reason FROM withdrawals WHERE entry_id = ?", (entry_id,)
    ).fetchone()
    return None if row is None else Withdrawal(str(row[0]), str(row[1]), str(row[2]))


def add_withdrawal(
    conn: Connection, entry_id: str, author: str, at: str, reason: str = "withdrawn"
) -> None:
    """The partner's entry became a tombstone: keep who, when and why (``withdrawn``,
    ``deleted`` or ``closed``: schema 9)."""
    conn.execute(
        "INSERT OR REPLACE INTO withdrawals (entry_id, author, at, reason) VALUES (?, ?, ?, ?)",
        (entry_id, author, at, reason),
    )


def is_deleted(conn: Connection, entry_id: str) -> bool:
    """Whether the entry's tombstone says its author deleted it (it can never come back)."""
    row = conn.execute("SELECT reason FROM withdrawals WHERE entry_id = ?", (entry_id,)).fetchone()
    return bool(row and row[0] in ("deleted", "closed"))


def delete_acceptances_by(conn: Connection, entry_id: str, person: str) -> None:
    """What ``person`` accepted of the entry (it goes when they delete the entry)."""
    conn.execute("DELETE FROM acceptances WHERE entry_id = ? AND person = ?", (entry_id, person))


def forget_entry(conn: Connection, entry_id: str) -> None:
    """Everything said about an entry its author deleted here: both persons' comments,
    answers and acceptances, its share floor. Its delivery record (``sharing``) stays while a
    delete is on its way: unpairing waits for it as for a withdrawal."""
    for table in (
        "comments",
        "responses",
        "acceptances",
        "withdrawals",
        "share_floor",
        "shared_before",
        "homework_done",
    ):
        conn.execute(f"DELETE FROM {table} WHERE entry_id = ?", (entry_id,))  # noqa: S608


def forget_withdrawal(conn: Connection, entry_id: str) -> None:
    """The partner shared the withdrawn entry again."""
    conn.execute("DELETE FROM withdrawals WHERE entry_id = ?", (entry_id,))


def sharing_row(conn: Connection, entry_id: str) -> SharingRow | None:
    row = conn.execute(
        "SELECT delivered_at, withdrawn_at FROM sharing WHERE entry_id = ?", (entry_id,)
    ).fetchone()
    return None if row is None else (row[0], row[1])


def sharing_record(conn: Connection, entry_id: str) -> tuple[int, str | None, str | None] | None:
    """(last_seq, delivered_at, withdrawn_at) of the entry's delivery record, if it has one."""
    row = conn.execute(
        "SELECT last_seq, delivered_at, withdrawn_at FROM sharing WHERE entry_id = ?",
        (entry_id,),
    ).fetchone()
    return None if row is None else (int(row[0]), row[1], row[2])


def restore_sharing(
    conn: Connection, entry_id: str, record: tuple[int, str | None, str | None] | None
) -> None:
    """Put back the delivery record a share replaced (None: the entry had none)."""
    conn.execute("DELETE FROM sharing WHERE entry_id = ?", (entry_id,))
    if record is not None:
        conn.execute(
            "INSERT INTO sharing (entry_id, last_seq, delivered_at, withdrawn_at)"
            " VALUES (?, ?, ?, ?)",
            (entry_id, *record),
        )


def renumber_sharing(conn: Connection, moves: list[tuple[int, int]]) -> None:
    """Unsealed ops moved from old to new seqs (ascending, each to a lower number)."""
    conn.executemany(
        "UPDATE sharing SET last_seq = ? WHERE last_seq = ?", [(new, old) for old, new in moves]
    )


def mark_withdrawn(conn: Connection, entry_id: str, at: str, seq: int | None) -> None:
    """This device withdrew its entry; ``seq`` is the revoke op's, when one was sent."""
    if seq is None:
        conn.execute("UPDATE sharing SET withdrawn_at = ? WHERE entry_id = ?", (at, entry_id))
    else:
        conn.execute(
            "UPDATE sharing SET withdrawn_at = ?, last_seq = ? WHERE entry_id = ?",
            (at, seq, entry_id),
        )


def mark_sent(conn: Connection, entry_id: str, seq: int) -> None:
    """This device sent a version of its entry in op ``seq``: pending again, not withdrawn."""
    conn.execute(
        "INSERT INTO sharing (entry_id, last_seq) VALUES (?, ?) ON CONFLICT (entry_id)"
        " DO UPDATE SET last_seq = excluded.last_seq, delivered_at = NULL,"
        " withdrawn_at = NULL",
        (entry_id, seq),
    )


def withdrawals_unconfirmed(conn: Connection, confirmed_seq: int) -> int:
    """How many of this device's withdrawals the partner's device has not confirmed yet."""
    row = conn.execute(
        "SELECT count(*) FROM sharing WHERE withdrawn_at IS NOT NULL AND last_seq > ?",
        (confirmed_seq,),
    ).fetchone()
    return int(row[0])


def withdrawal_confirmed(conn: Connection, entry_id: str, confirmed_seq: int) -> bool:
    row = conn.execute(
        "SELECT last_seq <= ? FROM sharing WHERE entry_id = ?", (confirmed_seq, entry_id)
    ).fetchone()
    return bool(row and row[0])


def share_floor(conn: Connection, entry_id: str) -> int:
    """The first revision the partner may receive (1: every version)."""
    row = conn.execute(
        "SELECT revision FROM share_floor WHERE entry_id = ?", (entry_id,)
    ).fetchone()
    return int(row[0]) if row else 1


def set_share_floor(conn: Connection, entry_id: str, revision: int) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO share_floor (entry_id, revision) VALUES (?, ?)",
        (entry_id, revision),
    )


def unsent_shared(conn: Connection, device: str) -> int:
    """How many of ``device``'s shared entries have no delivery record (never sent)."""
    row = conn.execute(
        "SELECT count(*) FROM entries e WHERE e.author = ? AND e.visibility = 'shared'"
        " AND NOT EXISTS (SELECT 1 FROM sharing s WHERE s.entry_id = e.id)",
        (device,),
    ).fetchone()
    return int(row[0])


def forget_deliveries(conn: Connection) -> None:
    """A pairing with a new partner starts: what the earlier one received says nothing now
    (what it was sent is kept apart: :func:`remember_shared`)."""
    conn.execute("DELETE FROM sharing")


def remember_shared(conn: Connection, partner: str) -> None:
    """The pairing with ``partner`` (its device) ends: keep which entries it was sent
    (``shared_before``, schema 14), since its device keeps them after the delivery records
    start afresh with the next pairing."""
    conn.execute(
        "INSERT OR REPLACE INTO shared_before (entry_id, partner) SELECT entry_id, ? FROM sharing",
        (partner,),
    )


def shared_before(conn: Connection, entry_id: str) -> str | None:
    """The device of an earlier pairing this device sent the entry to, if any."""
    row = conn.execute(
        "SELECT partner FROM shared_before WHERE entry_id = ?", (entry_id,)
    ).fetchone()
    return None if row is None else str(row[0])


def mark_delivered(conn: Connection, through: int, day: str) -> None:
    """The partner confirmed every op up to ``through``: the entries last sent in them arrived.

    Only the day is kept (``YYYY-MM-DD``): when a receipt came is when the partner's device was
    online.
    """
    conn.execute(
        "UPDATE sharing SET delivered_at = ? WHERE delivered_at IS NULL AND last_seq <= ?",
        (day[:10], through),
    )
