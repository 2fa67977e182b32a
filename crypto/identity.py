"""Device key pairs, channel keys between the two partners, and the safety number.

Each device has one X25519 key pair made at ``init``; the secret key lives only inside the
encrypted vault. The two partners derive their channel keys with libsodium's ``crypto_kx``; the
client and server roles are fixed by comparing public keys, so both sides agree without talking.
Authentication is by these shared keys alone: there are no long-term signatures, so nothing an
envelope carries proves authorship to a third party.

A partner's public key arrives from outside (an invite code, a join request), so it is checked by
:func:`check_public_key` before any key is derived from it: a point of small order would make the
shared secret a constant anyone can compute (libsodium refuses the all-zero result, but only
deep inside ``crypto_kx``, as an exception no caller expects).
"""

from dataclasses import dataclass

import nacl.bindings as sodium
import nacl.exceptions

from crypto.errors import ParameterError
from crypto.hashing import derive_subkey, digest

__all__ = [
    "PUBLIC_KEY_BYTES",
    "ChannelKeys",
    "KeyPair",
    "channel_keys",
    "check_public_key",
    "generate_keypair",
    "safety_number",
]

PUBLIC_KEY_BYTES = sodium.crypto_kx_PUBLIC_KEY_BYTES
SAFETY_GROUPS = 8
SAFETY_GROUP_DIGITS = 5
_P = 2**255 - 19
# The X25519 points of order 1, 2, 4 and 8 with a canonical encoding (u < p, top bit clear):
# 0, 1, the two points of order 8, and p - 1 (order 2). The list libsodium keeps in
# crypto_scalarmult/curve25519/ref10/x25519_ref10.c (has_small_order); the other entries there
# (p, p + 1, and the same values with the top bit set) are non-canonical and refused as such.
_SMALL_ORDER = frozenset(
    bytes.fromhex(h)
    for h in (
        "00" * 32,
        "01" + "00" * 31,
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ec" + "ff" * 30 + "7f",
    )
)
_PROBE = bytes(range(1, 33))  # any scalar: clamped, it is a multiple of 8


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


def check_public_key(public: bytes) -> None:
    """Refuse, with :class:`ParameterError`, a public key no honest device makes.

    Every key ``generate_keypair`` makes is 32 bytes, canonical (``u < p``, so the top bit is
    clear) and of large order. Refused: any other length; a non-canonical encoding (two spellings
    of one point would give two safety numbers for one key); a point of small order, whose shared
    secret with any key is the same known value. The explicit list names the known points; the
    probe (a scalar multiple of 8, which maps every small-order point to zero, which libsodium
    refuses) catches any the list might miss.
    """
    if len(public) != PUBLIC_KEY_BYTES:
        raise ParameterError("a public key is 32 bytes")
    if public[-1] & 0x80 or int.from_bytes(public, "little") >= _P:
        raise ParameterError("a public key must be a canonical X25519 point")
    if public in _SMALL_ORDER:
        raise ParameterError("a public key of small order is refused")
    try:
        sodium.crypto_scalarmult(_PROBE, public)
    except nacl.exceptions.CryptoError:
        raise ParameterError("a public key of small order is refused") from None


def channel_keys(own: KeyPair, partner_public: bytes) -> ChannelKeys:
    """Derive this device's channel keys with the partner (the lower public key is the client).

    :class:`ParameterError` if the partner's key is refused by :func:`check_public_key`."""
    check_public_key(partner_public)
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
