"""The tables of what this device sends: ops (``outbox_ops``), the sealed envelopes that carry
them (``outbox_envelopes``) and the blob names that must leave the transport (``obsolete_blobs``).

Plain statements inside the caller's transaction; :mod:`trustvault.sync.outbox` decides what to
record, seal, redact and retire, and keeps the sequence numbers and the chain.
"""

from trustvault.storage.connection import Connection

__all__ = [
    "EnvelopeRow",
    "OpRow",
    "add_envelope",
    "add_op",
    "add_ops",
    "delete_ops",
    "deleted_here",
    "envelope_names",
    "envelopes",
    "envelopes_with_redacted_ops",
    "forget_obsolete",
    "last_revoke_seq",
    "mark_obsolete",
    "obsolete_names",
    "ops_after",
    "ops_between",
    "put_back_op",
    "redact_ops",
    "retire_confirmed",
    "retire_envelope",
    "rewrite_op",
    "unconfirmed_content_ops",
    "unsealed_ops",
    "unsealed_rows",
]

OpRow = tuple[int, str | None, bytes, bytes]
"""(seq, op text or None once redacted, digest, chain) of one recorded op."""

EnvelopeRow = tuple[str, bytes, int, int]
"""(name, sealed blob, first_seq, last_seq) of one envelope in the transport."""


# -- ops ---------------------------------------------------------------------------------------


def add_op(conn: Connection, seq: int, entry_id: str | None, kind: str, op: str, digest: bytes,
           chain: bytes) -> None:  # fmt: skip
    add_ops(conn, [(seq, entry_id, kind, op, digest, chain)])


OutboxRow = tuple[int, str | None, str, str, bytes, bytes]
"""(seq, entry id, kind, op text, digest, chain) of an op being recorded."""


def add_ops(conn: Connection, rows: list[OutboxRow]) -> None:
    conn.executemany(
        "INSERT INTO outbox_ops (seq, entry_id, kind, op, digest, chain) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def ops_after(conn: Connection, seq: int, limit: int, before: int | None = None) -> list[OpRow]:
    """Up to ``limit`` ops after ``seq`` (and before ``before``, if given), in order: the next
    ones to seal."""
    rows: list[OpRow] = conn.execute(
        "SELECT seq, op, digest, chain FROM outbox_ops WHERE seq > ? AND seq < ?"
        " ORDER BY seq LIMIT ?",
        (seq, 2**63 - 1 if before is None else before, limit),
    ).fetchall()
    return rows


def unsealed_ops(conn: Connection, after: int) -> list[tuple[int, str | None, str | None, bytes]]:
    """(seq, entry_id, op text or None if redacted, digest) of every op after ``after``, in
    order: the caller passes a seq no envelope reaches past, so none of these is sealed."""
    rows: list[tuple[int, str | None, str | None, bytes]] = conn.execute(
        "SELECT seq, entry_id, op, digest FROM outbox_ops WHERE seq > ? ORDER BY seq", (after,)
    ).fetchall()
    return rows


def unsealed_rows(
    conn: Connection, after: int
) -> list[tuple[int, str | None, str, str | None, bytes]]:
    """(seq, entry_id, kind, op text or None, digest) of every op after ``after``, in order;
    as :func:`unsealed_ops`, for ops taken out and put back under new numbers."""
    rows: list[tuple[int, str | None, str, str | None, bytes]] = conn.execute(
        "SELECT seq, entry_id, kind, op, digest FROM outbox_ops WHERE seq > ? ORDER BY seq",
        (after,),
    ).fetchall()
    return rows


def put_back_op(conn: Connection, seq: int, entry_id: str | None, kind: str, op: str | None,
                digest: bytes, chain: bytes) -> None:  # fmt: skip
    """Insert an unsealed op taken out by :func:`unsealed_rows` under its new number (its text
    None when redacted)."""
    conn.execute(
        "INSERT INTO outbox_ops (seq, entry_id, kind, op, digest, chain) VALUES (?, ?, ?, ?, ?, ?)",
        (seq, entry_id, kind, op, digest, chain),
    )


def delete_ops(conn: Connection, seqs: list[int]) -> None:
    """Forget unsealed ops (a share undone before it left): nothing of them was ever sent."""
    conn.executemany("DELETE FROM outbox_ops WHERE seq = ?", [(s,) for s in seqs])


def rewrite_op(conn: Connection, old: int, seq: int, op: str | None, digest: bytes,
               chain: bytes) -> None:  # fmt: skip
    """Move an unsealed op to ``seq`` with its new text, digest and chain value. Callers move
    ops in ascending order to lower numbers, so the target is always free."""
    conn.execute(
        "UPDATE outbox_ops SET seq = ?, op = ?, digest = ?, chain = ? WHERE seq = ?",
        (seq, op, digest, chain, old),
    )


def ops_between(conn: Connection, first: int, last: int) -> list[OpRow]:
    """The ops ``first`` to ``last`` inclusive, in order (one envelope's, to re-seal it)."""
    rows: list[OpRow] = conn.execute(
        "SELECT seq, op, digest, chain FROM outbox_ops WHERE seq BETWEEN ? AND ? ORDER BY seq",
        (first, last),
    ).fetchall()
    return rows


def unconfirmed_content_ops(conn: Connection, entry_id: str, confirmed: int) -> list[int]:
    """Seqs of the entry's unredacted ``version``, ``comment`` and ``accept`` ops after
    ``confirmed``."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT seq FROM outbox_ops WHERE entry_id = ?"
            " AND kind IN ('version', 'comment', 'accept') AND op IS NOT NULL"
            " AND seq > ?",
            (entry_id, confirmed),
        )
    ]


def redact_ops(conn: Connection, seqs: list[int]) -> None:
    """Drop the text of these ops; their digest and chain stay, so the chain still verifies."""
    conn.executemany("UPDATE outbox_ops SET op = NULL WHERE seq = ?", [(s,) for s in seqs])


def deleted_here(conn: Connection, entry_id: str) -> bool:
    """Whether this device deleted the entry under this pairing (it sent a delete op)."""
    row = conn.execute(
        "SELECT 1 FROM outbox_ops WHERE kind = 'delete' AND entry_id = ? LIMIT 1", (entry_id,)
    ).fetchone()
    return row is not None


def last_revoke_seq(conn: Connection, entry_id: str) -> int | None:
    """The seq of this device's latest withdrawal of the entry, if it ever withdrew it."""
    row = conn.execute(
        "SELECT max(seq) FROM outbox_ops WHERE kind = 'revoke' AND entry_id = ?", (entry_id,)
    ).fetchone()
    return None if row[0] is None else int(row[0])


# -- envelopes ---------------------------------------------------------------------------------


def add_envelope(conn: Connection, first: int, last: int, generation: int, name: str,
                 blob: bytes, bucket: int = 0) -> None:  # fmt: skip
    """``bucket`` is the padded size of the envelope's first sealing (schema 19)."""
    conn.execute(
        "INSERT INTO outbox_envelopes (first_seq, last_seq, generation, name, blob, bucket)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (first, last, generation, name, blob, bucket),
    )


def forget_bucket(conn: Connection, name: str) -> None:
    """The medium refused the envelope ``name`` for its size: a re-seal may then shrink it."""
    conn.execute("UPDATE outbox_envelopes SET bucket = 0 WHERE name = ?", (name,))


def envelopes(conn: Connection) -> list[EnvelopeRow]:
    """Every envelope still in the transport, in sequence order."""
    rows: list[EnvelopeRow] = conn.execute(
        "SELECT name, blob, first_seq, last_seq FROM outbox_envelopes ORDER BY first_seq"
    ).fetchall()
    return rows


def envelope_names(conn: Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM outbox_envelopes")}


def envelopes_with_redacted_ops(
    conn: Connection, entry_id: str
) -> list[tuple[int, int, int, str, int]]:
    """(first_seq, last_seq, generation, name, bucket) of each envelope holding a redacted op of
    the entry: they must be sealed again without its content, at least as large as before."""
    rows: list[tuple[int, int, int, str, int]] = conn.execute(
        "SELECT DISTINCT e.first_seq, e.last_seq, e.generation, e.name, e.bucket"
        " FROM outbox_envelopes e"
        " JOIN outbox_ops o ON o.seq BETWEEN e.first_seq AND e.last_seq WHERE o.entry_id = ?"
        " AND o.op IS NULL",
        (entry_id,),
    ).fetchall()
    return rows


def retire_envelope(conn: Connection, first: int, name: str) -> None:
    """Forget the envelope starting at ``first``; its blob ``name`` must leave the transport."""
    mark_obsolete(conn, name)
    conn.execute("DELETE FROM outbox_envelopes WHERE first_seq = ?", (first,))


def retire_confirmed(conn: Connection, through: int) -> None:
    """The partner applied every op up to ``through``: retire their envelopes and content ops."""
    conn.execute(
        "INSERT OR IGNORE INTO obsolete_blobs (name)"
        " SELECT name FROM outbox_envelopes WHERE last_seq <= ?",
        (through,),
    )
    conn.execute("DELETE FROM outbox_envelopes WHERE last_seq <= ?", (through,))
    # Revoke and delete ops stay (no content, a few bytes): applying the partner's edits of our
    # events needs to know when we last withdrew each one (see apply._made_before_withdrawal),
    # and the partner's answers to an entry deleted here are dropped, not refused.
    conn.execute(
        "DELETE FROM outbox_ops WHERE seq <= ? AND kind NOT IN ('revoke', 'delete')", (through,)
    )


# -- blobs to delete from the transport --------------------------------------------------------


def mark_obsolete(conn: Connection, name: str) -> None:
    conn.execute("INSERT OR IGNORE INTO obsolete_blobs (name) VALUES (?)", (name,))


def obsolete_names(conn: Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM obsolete_blobs").fetchall()]


def forget_obsolete(conn: Connection, name: str) -> None:
    """The blob ``name`` has left the transport."""
    conn.execute("DELETE FROM obsolete_blobs WHERE name = ?", (name,))
