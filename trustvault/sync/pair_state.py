"""What this device knows about its pairing, kept in the vault's ``meta`` table (encrypted).

Keys live under ``sync.``; the device key pair under ``identity.``. Everything here is read and
written inside the caller's transaction.
"""

import json
from dataclasses import dataclass
from typing import Any

from crypto.identity import ChannelKeys, KeyPair, channel_keys, generate_keypair, safety_number
from trustvault.storage.connection import Connection

__all__ = ["PairState", "load_identity", "load_pair", "refresh", "save_pair"]


@dataclass
class PairState:
    """The pairing as stored. ``status`` is ``inviting``, ``joining`` or ``paired``."""

    status: str
    role: str
    pair_id: bytes
    transport: dict[str, Any]
    partner_public: bytes = b""
    partner_device: str = ""
    partner_name: str = ""
    verified_public: bytes = b""
    join_secret: bytes = b""
    send_seq: int = 0
    send_chain: bytes = bytes(32)
    packed_seq: int = 0
    recv_seq: int = 0
    recv_chain: bytes = bytes(32)
    confirmed_seq: int = 0
    receipt_name: str = ""
    receipt_blob: bytes = b""
    key_changed: bool = False

    def __repr__(self) -> str:
        """Never the join secret, the receipt or the relay credential inside ``transport``."""
        return (
            f"PairState(status={self.status!r}, role={self.role!r}, pair_id={self.pair_id.hex()})"
        )

    @property
    def paired(self) -> bool:
        return self.status == "paired"

    def keys(self, identity: KeyPair) -> ChannelKeys:
        return channel_keys(identity, self.partner_public)

    def safety_number(self, identity: KeyPair) -> str:
        return safety_number(identity.public, self.partner_public)

    @property
    def verified(self) -> bool:
        return bool(self.verified_public) and self.verified_public == self.partner_public


_BYTES = {
    "pair_id",
    "partner_public",
    "verified_public",
    "join_secret",
    "send_chain",
    "recv_chain",
    "receipt_blob",
}


def load_identity(conn: Connection) -> KeyPair:
    """This device's key pair, made on first use for vaults created before sync existed."""
    rows = dict(
        conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('identity.public', 'identity.secret')"
        ).fetchall()
    )
    if len(rows) == 2:
        return KeyPair(
            bytes.fromhex(rows["identity.public"]), bytes.fromhex(rows["identity.secret"])
        )
    pair = generate_keypair()
    conn.executemany(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        [("identity.public", pair.public.hex()), ("identity.secret", pair.secret.hex())],
    )
    return pair


def load_pair(conn: Connection) -> PairState | None:
    row = conn.execute("SELECT value FROM meta WHERE key = 'sync.pair'").fetchone()
    if row is None:
        return None
    doc: dict[str, Any] = json.loads(row[0])
    for key in _BYTES:
        doc[key] = bytes.fromhex(doc.get(key, ""))
    return PairState(**doc)


def refresh(conn: Connection, state: PairState) -> None:
    """Re-read ``state`` in place, at the start of a transaction that will save it.

    A sync spans several transactions, and another process may write the same vault in between
    (the desktop app syncing while the CLI adds an entry). Saving a copy loaded before that
    would roll the other writer's sequence number back, and its next op would reuse one.
    """
    fresh = load_pair(conn)
    if fresh is not None:
        vars(state).update(vars(fresh))


def save_pair(conn: Connection, state: PairState | None) -> None:
    if state is None:
        conn.execute("DELETE FROM meta WHERE key = 'sync.pair'")
        return
    doc = {k: (v.hex() if k in _BYTES else v) for k, v in vars(state).items()}
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('sync.pair', ?)", (json.dumps(doc),)
    )
