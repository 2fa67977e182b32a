"""What this device knows about its pairing: the ``pairing`` row, with the partner record.

Both are stored by :mod:`trustvault.storage.pairing_store` (schema 5), as is the device key pair.
Everything here is read and written inside the caller's transaction.
"""

from dataclasses import dataclass, field, fields
from typing import Any

from crypto.identity import ChannelKeys, KeyPair, channel_keys, generate_keypair, safety_number
from trustvault.storage import pairing_store
from trustvault.storage.connection import Connection
from trustvault.storage.pairing_store import Partner

__all__ = ["PairState", "load_identity", "load_pair", "refresh", "save_pair"]


@dataclass
class PairState:
    """The pairing as stored: ``status`` is ``inviting``, ``joining`` or ``paired``; a new
    ``PairState()`` stands for ``unpaired`` (no row) until an event moves it.

    ``status`` changes only through :func:`trustvault.sync.pair_machine.advance`. ``partner`` is
    the partner record, read with the state and never saved through it: only completing a
    pairing and verifying the key change it (see :mod:`.pairing_store`).
    """

    status: str = "unpaired"
    role: str = ""
    pair_id: bytes = b""
    transport: dict[str, Any] = field(default_factory=dict)
    inviter_public: bytes = b""
    join_secret: bytes = b""
    send_seq: int = 0
    send_chain: bytes = bytes(32)
    packed_seq: int = 0
    recv_seq: int = 0
    recv_chain: bytes = bytes(32)
    confirmed_seq: int = 0
    receipt_name: str = ""
    receipt_blob: bytes = b""
    pake: bytes = b""  # a short code's exchange in progress (:mod:`.pake_pairing`), else empty
    seal_format: int = 1  # 2 once the partner reads v2 envelopes (:mod:`.migration`)
    partner_format: int = 1  # 2 once an authentic v2 blob of the partner's arrived
    v2_from: int = 0  # first seq of the partner's first v2 ops envelope applied here, else 0
    announce_name: str = ""  # this device's "V" announcement on the medium, while it is out
    receipt_seq: int = 0  # what the receipt out confirms
    partner: Partner | None = None

    def __repr__(self) -> str:
        """Never the join secret, the PAKE progress, the receipt or the relay credential."""
        return (
            f"PairState(status={self.status!r}, role={self.role!r}, pair_id={self.pair_id.hex()})"
        )

    @property
    def paired(self) -> bool:
        return self.status == "paired"

    @property
    def partner_public(self) -> bytes:
        """The key this pairing is with: the partner's once paired, the code's while joining."""
        if self.paired:
            return self.partner.public if self.partner is not None else b""
        return self.inviter_public

    @property
    def partner_device(self) -> str:
        return self.partner.device if self.paired and self.partner is not None else ""

    @property
    def partner_name(self) -> str:
        return self.partner.name if self.paired and self.partner is not None else ""

    def keys(self, identity: KeyPair) -> ChannelKeys:
        return channel_keys(identity, self.partner_public)

    def safety_number(self, identity: KeyPair) -> str:
        return safety_number(identity.public, self.partner_public)

    @property
    def verified(self) -> bool:
        return bool(self._verified_public) and self._verified_public == self.partner_public

    @property
    def key_changed(self) -> bool:
        """A key was verified before and this pairing is with another: shown loudly until the
        person verifies the new one. Derived, never stored, so it cannot go stale."""
        verified = self._verified_public
        return bool(verified) and bool(self.partner_public) and verified != self.partner_public

    @property
    def _verified_public(self) -> bytes:
        return self.partner.verified_public if self.partner is not None else b""


def load_identity(conn: Connection) -> KeyPair:
    """This device's key pair, made on first use for vaults created before sync existed."""
    stored = pairing_store.identity(conn)
    if stored is not None:
        return KeyPair(*stored)
    pair = generate_keypair()
    pairing_store.save_identity(conn, pair.public, pair.secret)
    return pair


def load_pair(conn: Connection) -> PairState | None:
    values = pairing_store.load_pairing(conn)
    if values is None:
        return None
    return PairState(**values, partner=pairing_store.partner(conn))


def refresh(conn: Connection, state: PairState) -> None:
    """Re-read ``state`` in place, at the start of a transaction that will save it.

    A sync spans several transactions, and another process may write the same vault in between
    (the desktop app syncing while the CLI adds an entry). Saving a copy loaded before that
    would roll the other writer's sequence number back, and its next op would reuse one.
    """
    fresh = load_pair(conn)
    if fresh is not None:
        vars(state).update(vars(fresh))


def save_pair(conn: Connection, state: PairState) -> None:
    """Write the pairing row (never the partner record). Unpaired has no row: the machine's
    ``forget`` effect deleted it, and saving an unpaired state is a bug."""
    if state.status == "unpaired":
        raise ValueError("an unpaired state is not saved")
    values = {f.name: getattr(state, f.name) for f in fields(state) if f.name != "partner"}
    pairing_store.save_pairing(conn, values)
