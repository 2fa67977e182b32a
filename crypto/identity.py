"""Device key pairs, channel keys between the two partners, and the safety number.

Each device has one X25519 key pair made at ``init``; the secret key lives only inside the
encrypted vault. The two partners derive their channel keys with libsodium's ``crypto_kx``; the
client and server roles are fixed by comparing public keys, so both sides agree without talking.
Authentication is by these shared keys alone: there are no long-term signatures, so nothing an
envelope carries proves authorship to a third party.
"""

from dataclasses import dataclass

import nacl.bindings as sodium

from crypto.errors import ParameterError
from crypto.hashing import derive_subkey, digest

__all__ = [
    "PUBLIC_KEY_BYTES",
    "ChannelKeys",
    "KeyPair",
    "channel_keys",
    "generate_keypair",
    "safety_number",
]

PUBLIC_KEY_BYTES = sodium.crypto_kx_PUBLIC_KEY_BYTES
SAFETY_GROUPS = 8
SAFETY_GROUP_DIGITS = 5


@dataclass(frozen=True, repr=False)
class KeyPair:
    """A device's X25519 key pair; ``repr`` never shows the secret."""

    public: bytes
    secret: bytes

    def __repr__(self) -> str:
        return f"KeyPair(public={self.public.hex()[:16]}…)"


@dataclass(frozen=True, repr=False)
class ChannelKeys:
    """Keys one device uses with its partner: ``send`` seals what it writes, ``receive`` opens
    what the partner wrote; ``send_names``/``receive_names`` make opaque blob names."""

    send: bytes
    receive: bytes
    send_names: bytes
    receive_names: bytes
    is_client: bool

    def __repr__(self) -> str:
        return f"ChannelKeys(is_client={self.is_client})"


def generate_keypair() -> KeyPair:
    public, secret = sodium.crypto_kx_keypair()
    return KeyPair(bytes(public), bytes(secret))


def channel_keys(own: KeyPair, partner_public: bytes) -> ChannelKeys:
    """Derive this device's channel keys with the partner (the lower public key is the client)."""
    if len(partner_public) != PUBLIC_KEY_BYTES:
        raise ParameterError("a partner public key is 32 bytes")
    if partner_public == own.public:
        raise ParameterError("the partner's key equals this device's own key")
    is_client = own.public < partner_public
    if is_client:
        rx, tx = sodium.crypto_kx_client_session_keys(own.public, own.secret, partner_public)
    else:
        rx, tx = sodium.crypto_kx_server_session_keys(own.public, own.secret, partner_public)
    rx, tx = bytes(rx), bytes(tx)
    return ChannelKeys(
        send=derive_subkey(tx, b"tv:envelope:v1"),
        receive=derive_subkey(rx, b"tv:envelope:v1"),
        send_names=derive_subkey(tx, b"tv:names:v1"),
        receive_names=derive_subkey(rx, b"tv:names:v1"),
        is_client=is_client,
    )


def safety_number(public_a: bytes, public_b: bytes) -> str:
    """Forty digits in eight groups of five (~132 bits), the same on both devices.

    Both keys are sorted first, so the number does not depend on who computes it.
    """
    low, high = sorted((public_a, public_b))
    raw = digest(low + high, b"tv:safety-number:v1", size=SAFETY_GROUPS * 5)
    groups = []
    for i in range(SAFETY_GROUPS):
        chunk = int.from_bytes(raw[i * 5 : i * 5 + 5], "big") % 10**SAFETY_GROUP_DIGITS
        groups.append(f"{chunk:0{SAFETY_GROUP_DIGITS}d}")
    return " ".join(groups)
