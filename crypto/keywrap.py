"""Wrapping the vault's random database key under a passphrase-derived key.

Changing the passphrase re-wraps this 32-byte key and leaves the database as it is; re-keying
wraps a new key from :func:`new_vault_key` and the database is re-encrypted under it (by
``trustvault.vault``). A short key-check value, derived from the passphrase key under its own
label, tells a wrong passphrase apart from a damaged key file: if the check matches but the
wrapped key fails to open, the file was altered.
"""

from dataclasses import dataclass

from crypto.aead import KEY_BYTES, open_sealed, seal
from crypto.errors import AuthenticationError
from crypto.hashing import constant_time_equal, derive_subkey
from crypto.kdf import KdfParams, derive_key
from crypto.random import random_bytes

__all__ = [
    "WrappedKey",
    "WrongPassphraseError",
    "new_vault_key",
    "unwrap_vault_key",
    "wrap_vault_key",
]

_LABEL = b"tv:vault-key:v1"
CHECK_BYTES = 16


class WrongPassphraseError(AuthenticationError):
    """The passphrase's key-check value does not match."""


@dataclass(frozen=True)
class WrappedKey:
    """Everything the key file stores: KDF parameters, key-check value and the sealed key."""

    params: KdfParams
    key_check: bytes
    sealed_key: bytes

    def header(self) -> bytes:
        """The bytes bound as associated data: parameters cannot be swapped without detection."""
        p = self.params
        return b"|".join(
            [_LABEL, str(p.opslimit).encode(), str(p.memlimit).encode(), p.salt, self.key_check]
        )


def new_vault_key() -> bytes:
    """A fresh random 256-bit database key."""
    return random_bytes(KEY_BYTES)


def wrap_vault_key(passphrase: str, vault_key: bytes, params: KdfParams) -> WrappedKey:
    """Seal ``vault_key`` under a key derived from ``passphrase`` (runs Argon2id)."""
    wrap_key, check = _derive(passphrase, params)
    unsealed = WrappedKey(params, check, b"")
    return WrappedKey(params, check, seal(wrap_key, vault_key, _LABEL, unsealed.header()))


def unwrap_vault_key(passphrase: str, wrapped: WrappedKey) -> bytes:
    """Recover the database key; :class:`WrongPassphraseError` if the passphrase is wrong,
    :class:`AuthenticationError` if the key file was damaged.

    The key comes back as ``bytes``, as PyNaCl returns it: immutable, so it cannot be zeroed,
    and it lingers in freed memory until reused. The caller copies it into a buffer it owns and
    zeroes (``trustvault.vault.Vault``) and drops this one at once; so are the derived wrapping
    keys here, which are ``bytes`` too."""
    wrap_key, check = _derive(passphrase, wrapped.params)
    if not constant_time_equal(check, wrapped.key_check):
        raise WrongPassphraseError("the passphrase does not match this vault")
    key = open_sealed(wrap_key, wrapped.sealed_key, _LABEL, wrapped.header())
    if len(key) != KEY_BYTES:
        raise AuthenticationError("the wrapped key has the wrong length")
    return key


def _derive(passphrase: str, params: KdfParams) -> tuple[bytes, bytes]:
    master = derive_key(passphrase, params)
    return (
        derive_subkey(master, b"tv:wrap:v1"),
        derive_subkey(master, b"tv:key-check:v1", CHECK_BYTES),
    )
