"""The pairing record (schema 5): who the partner is, the pairing at hand, and pending invites.

Two one-row tables. ``partner`` says who this vault paired with last and which key was verified
last; it outlives an unpairing (old entries keep their author's name; a different key on the
next pairing is flagged). ``pairing`` exists exactly while this vault invites, joins or is
paired. Only :func:`record_partner`, :func:`rename_partner` and :func:`mark_verified` write the
partner's facts.

Plain statements inside the caller's transaction; :mod:`trustvault.sync.pair_state` turns the
pairing row into its dataclass, and :mod:`trustvault.sync.pairing` decides when they run.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from trustvault.storage.connection import Connection

__all__ = [
    "PAIRING_COLUMNS",
    "Partner",
    "PendingInvite",
    "add_invite",
    "forget_pairing",
    "identity",
    "load_pairing",
    "mark_invite_used",
    "mark_verified",
    "partner",
    "pending_invites",
    "record_partner",
    "rename_partner",
    "save_identity",
    "save_pairing",
]


@dataclass(frozen=True)
class Partner:
    """The partner record. Empty values are facts not known (yet): see ``005_pairing.sql``."""

    device: str
    name: str
    public: bytes
    verified_public: bytes
    first_paired: str | None
    last_paired: str | None


def partner(conn: Connection) -> Partner | None:
    row = conn.execute(
        "SELECT device_id, name, public_key, verified_key, first_paired, last_paired FROM partner"
    ).fetchone()
    if row is None:
        return None
    device, name, public, verified, first, last = row
    return Partner(
        device or "", name or "", bytes(public or b""), bytes(verified or b""), first, last
    )


def record_partner(conn: Connection, device: str, name: str, public: bytes, at: str) -> Partner:
    """A pairing completed with ``public``: the verified key stays, to compare with it."""
    conn.execute(
        "INSERT INTO partner (one, device_id, name, public_key, first_paired, last_paired)"
        " VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (one) DO UPDATE SET device_id = excluded.device_id,"
        " name = excluded.name, public_key = excluded.public_key,"
        " last_paired = excluded.last_paired",
        (device, name, public, at, at),
    )
    record = partner(conn)
    assert record is not None
    return record


def rename_partner(conn: Connection, device: str, name: str) -> bool:
    """The partner ``device`` changed its display name; False (nothing written) when the
    partner record is of another device."""
    cursor = conn.execute("UPDATE partner SET name = ? WHERE device_id = ?", (name, device))
    return cursor.rowcount == 1


def mark_verified(conn: Connection, public: bytes) -> None:
    """The person compared the safety number of ``public`` aloud and it matched."""
    conn.execute(
        "INSERT INTO partner (one, verified_key) VALUES (1, ?)"
        " ON CONFLICT (one) DO UPDATE SET verified_key = excluded.verified_key",
        (public,),
    )


PAIRING_COLUMNS = (
    "status",
    "role",
    "pair_id",
    "transport",
    "inviter_public",
    "join_secret",
    "send_seq",
    "send_chain",
    "packed_seq",
    "recv_seq",
    "recv_chain",
    "confirmed_seq",
    "receipt_name",
    "receipt_blob",
    "pake",
    "seal_format",
    "partner_format",
    "v2_from",
    "announce_name",
    "receipt_seq",
)
_BLOBS = {
    "pair_id", "inviter_public", "join_secret", "send_chain", "recv_chain", "receipt_blob", "pake"
}  # fmt: skip


def load_pairing(conn: Connection) -> dict[str, Any] | None:
    """The pairing row by column name (the medium's spec parsed), or None when unpaired."""
    row = conn.execute(f"SELECT {', '.join(PAIRING_COLUMNS)} FROM pairing").fetchone()  # noqa: S608  (constant names)
    if row is None:
        return None
    values = dict(zip(PAIRING_COLUMNS, row, strict=True))
    values["transport"] = json.loads(values["transport"])
    for name in _BLOBS:
        values[name] = bytes(values[name])
    return values


def save_pairing(conn: Connection, values: Mapping[str, Any]) -> None:
    """Write the pairing row; ``values`` has exactly :data:`PAIRING_COLUMNS`."""
    if set(values) != set(PAIRING_COLUMNS):
        raise ValueError(f"pairing columns differ: {sorted(set(values) ^ set(PAIRING_COLUMNS))}")
    row = [json.dumps(values[c]) if c == "transport" else values[c] for c in PAIRING_COLUMNS]
    conn.execute(
        f"INSERT OR REPLACE INTO pairing (one, {', '.join(PAIRING_COLUMNS)})"  # noqa: S608
        f" VALUES (1{', ?' * len(PAIRING_COLUMNS)})",
        row,
    )


def forget_pairing(conn: Connection) -> None:
    """Unpaired: the pairing row, its invites, and everything sent or received under it.

    Entries, the partner record and the delivery record of each entry (``sharing``) stay, so
    "delivered" and "withdrawn" stay true after unpairing; a pairing with a new key clears it.
    """
    for table in ("pairing", "invites", "outbox_ops", "outbox_envelopes", "obsolete_blobs",
                  "received_chain", "received_generation", "rejected_blobs",
                  "ratchet", "ratchet_sent_keys", "ratchet_seen"):  # fmt: skip
        conn.execute(f"DELETE FROM {table}")  # noqa: S608  (constant table names)
    # A cancelled join keeps its ephemeral for a join made again (schema 22); the rest goes.
    conn.execute("DELETE FROM ratchet_seed WHERE purpose != 'join'")


class PendingInvite(NamedTuple):
    """An invite made here, whose secret is kept to open join requests for it."""

    pair_id: bytes
    secret: bytes
    expires: str
    used_at: str | None


def add_invite(conn: Connection, pair_id: bytes, secret: bytes, expires: str) -> None:
    conn.execute(
        "INSERT INTO invites (pair_id, secret, expires) VALUES (?, ?, ?)",
        (pair_id.hex(), secret, expires),
    )


def pending_invites(conn: Connection) -> list[PendingInvite]:
    rows = conn.execute(
        "SELECT pair_id, secret, expires, used_at FROM invites WHERE secret IS NOT NULL"
    ).fetchall()
    return [PendingInvite(bytes.fromhex(p), bytes(s), str(e), u) for p, s, e, u in rows]


def mark_invite_used(conn: Connection, pair_id: bytes, at: str) -> None:
    conn.execute("UPDATE invites SET used_at = ? WHERE pair_id = ?", (at, pair_id.hex()))


def identity(conn: Connection) -> tuple[bytes, bytes] | None:
    """This device's key pair (public, secret), kept in ``meta`` since schema 2."""
    rows = dict(
        conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('identity.public', 'identity.secret')"
        ).fetchall()
    )
    if len(rows) != 2:
        return None
    return bytes.fromhex(rows["identity.public"]), bytes.fromhex(rows["identity.secret"])


def save_identity(conn: Connection, public: bytes, secret: bytes) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        [("identity.public", public.hex()), ("identity.secret", secret.hex())],
    )
