"""The tables of what this device received: the partner's hash chain (``received_chain``), the
highest generation seen of each envelope (``received_generation``) and the blobs it refused
(``rejected_blobs``).

Plain statements inside the caller's transaction; :mod:`trustvault.sync.inbox` computes the chain
and decides what to refuse.
"""

from collections.abc import Sequence

from trustvault.storage.connection import Connection

__all__ = [
    "add_chain_steps",
    "chain_at",
    "generations",
    "raise_generations",
    "rejected_names",
    "remember_rejected",
]


def add_chain_steps(conn: Connection, steps: Sequence[tuple[int, bytes]]) -> None:
    """Store the chain value after each (seq, chain) of the partner's ops, in one statement."""
    conn.executemany("INSERT OR REPLACE INTO received_chain (seq, chain) VALUES (?, ?)", steps)


def chain_at(conn: Connection, seq: int) -> bytes | None:
    """The partner's chain after op ``seq``, if it is still kept."""
    row = conn.execute("SELECT chain FROM received_chain WHERE seq = ?", (seq,)).fetchone()
    return None if row is None else bytes(row[0])


def generations(conn: Connection) -> dict[int, int]:
    """The highest generation seen above 0, by the envelope's first sequence number."""
    rows = conn.execute("SELECT seq, generation FROM received_generation")
    return {int(seq): int(generation) for seq, generation in rows}


def raise_generations(conn: Connection, seen: Sequence[tuple[int, int]]) -> None:
    """Record each (first seq, generation) seen; a stored generation is never lowered."""
    conn.executemany(
        "INSERT INTO received_generation (seq, generation) VALUES (?, ?)"
        " ON CONFLICT (seq) DO UPDATE SET generation = MAX(generation, excluded.generation)",
        [(seq, generation) for seq, generation in seen if generation > 0],
    )


def remember_rejected(conn: Connection, name: str, reason: str) -> None:
    """Remember a refused blob by ``name`` (its name and digest), so it is counted once."""
    conn.execute(
        "INSERT OR IGNORE INTO rejected_blobs (name, reason) VALUES (?, ?)", (name, reason)
    )


def rejected_names(conn: Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM rejected_blobs")}
