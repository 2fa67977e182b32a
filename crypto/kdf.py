"""Argon2id passphrase derivation, with parameters stored beside the salt and capped when read.

Parameters read from disk are checked against a floor (no silent downgrade to a trivial cost) and a
ceiling (a tampered key file cannot make the app allocate gigabytes or spin for minutes).
"""

import unicodedata
from dataclasses import dataclass

import nacl.pwhash

from crypto.errors import ParameterError
from crypto.random import random_bytes

__all__ = ["ALGORITHM", "PROFILES", "SALT_BYTES", "KdfParams", "derive_key"]

SALT_BYTES = nacl.pwhash.argon2id.SALTBYTES
ALGORITHM = "argon2id13"  # the name key files record for these parameters

_MIN_OPS = nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE
_MIN_MEM = nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE
_MAX_OPS = 10
_MAX_MEM = nacl.pwhash.argon2id.MEMLIMIT_SENSITIVE


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost and salt; serialised in the key file and bound into its header."""

    opslimit: int
    memlimit: int
    salt: bytes

    def check(self) -> None:
        """Refuse parameters outside the floor and the ceiling."""
        if not _MIN_OPS <= self.opslimit <= _MAX_OPS:
            raise ParameterError(f"Argon2id opslimit {self.opslimit} is outside the accepted range")
        if not _MIN_MEM <= self.memlimit <= _MAX_MEM:
            raise ParameterError(f"Argon2id memlimit {self.memlimit} is outside the accepted range")
        if len(self.salt) != SALT_BYTES:
            raise ParameterError("Argon2id salt has the wrong length")

    @classmethod
    def new(cls, profile: str = "moderate") -> "KdfParams":
        """Fresh parameters with a random salt, at one of :data:`PROFILES`."""
        try:
            ops, mem = PROFILES[profile]
        except KeyError:
            raise ParameterError(f"unknown key-derivation profile {profile!r}") from None
        return cls(ops, mem, random_bytes(SALT_BYTES))


PROFILES: dict[str, tuple[int, int]] = {
    "interactive": (_MIN_OPS, _MIN_MEM),
    "moderate": (
        nacl.pwhash.argon2id.OPSLIMIT_MODERATE,
        nacl.pwhash.argon2id.MEMLIMIT_MODERATE,
    ),
    "sensitive": (
        nacl.pwhash.argon2id.OPSLIMIT_SENSITIVE,
        nacl.pwhash.argon2id.MEMLIMIT_SENSITIVE,
    ),
}


def derive_key(passphrase: str, params: KdfParams) -> bytes:
    """Derive a 32-byte key from a passphrase; slow on purpose (never call it on a UI thread).

    The passphrase is taken in Unicode NFC form: macOS keyboards and others may send "ü" as one
    code point or as "u" plus a combining mark, and the same words must open the vault anywhere.
    """
    params.check()
    return bytes(
        nacl.pwhash.argon2id.kdf(
            32,
            unicodedata.normalize("NFC", passphrase).encode("utf-8"),
            params.salt,
            opslimit=params.opslimit,
            memlimit=params.memlimit,
        )
    )
