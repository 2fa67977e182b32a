"""Remembering a vault's database key in the OS keychain ("remember on this device").

Only a real OS keychain is accepted (Secret Service, macOS Keychain, Windows Credential Locker).
The fail and null backends, and the plaintext or weakly-obscured file keyrings of ``keyrings.alt``,
are refused: on a headless Linux without a keychain the app says so and stays passphrase-only.
The caller passes the key in; storage never reads the keychain itself.
"""

import binascii
import contextlib

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

__all__ = [
    "SERVICE",
    "forget_key",
    "keychain_available",
    "keychain_name",
    "recall_key",
    "remember_key",
]

SERVICE = "TrustVault"
_REFUSED_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def _backend() -> KeyringBackend | None:
    """The real keychain to use, or None. In a chain of backends the first acceptable one is
    picked and used directly: asking the chain would write to its first member, which may be a
    plaintext file."""
    backend = keyring.get_keyring()
    candidates = getattr(backend, "backends", [backend])
    usable = [b for b in candidates if not type(b).__module__.startswith(_REFUSED_MODULES)]
    return usable[0] if usable else None


def keychain_available() -> bool:
    """True when a real OS keychain can hold the key."""
    return _backend() is not None


def keychain_name() -> str:
    """The keychain's human name, for 'Remember on this device (in …)'."""
    backend = _backend()
    return getattr(backend, "name", type(backend).__name__) if backend else "no keychain"


def remember_key(vault_id: str, key: bytes) -> bool:
    """Store the key; False (and nothing stored anywhere) when no real keychain exists."""
    backend = _backend()
    if backend is None:
        return False
    try:
        backend.set_password(SERVICE, vault_id, key.hex())
    except keyring.errors.KeyringError:
        return False
    return True


def recall_key(vault_id: str) -> bytes | None:
    """The remembered key, or None when absent, unreadable or no keychain exists."""
    backend = _backend()
    if backend is None:
        return None
    try:
        text = backend.get_password(SERVICE, vault_id)
    except keyring.errors.KeyringError:
        return None
    if not text:
        return None
    try:
        key = bytes.fromhex(text)
    except (ValueError, binascii.Error):
        return None
    return key if len(key) == 32 else None


def forget_key(vault_id: str) -> None:
    """Remove the remembered key, if any."""
    backend = _backend()
    if backend is None:
        return
    with contextlib.suppress(keyring.errors.KeyringError):
        backend.delete_password(SERVICE, vault_id)
