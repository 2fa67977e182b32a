"""Remembering a vault's database key in the OS keychain ("remember on this device").

Only an OS keychain is accepted, by an allowlist (Secret Service, KWallet, macOS Keychain,
Windows Credential Locker); another backend only when the person opts in by name
(:data:`ALLOW_ENV`). The fail and null backends and the plaintext or weakly-obscured file
keyrings of ``keyrings.alt`` are never used: on a headless Linux without a keychain the app says
so and stays passphrase-only.
The caller passes the key in; storage never reads the keychain itself.
"""

import binascii
import contextlib
import os

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
OS_KEYCHAINS = (
    "keyring.backends.SecretService",  # GNOME Keyring, KeePassXC and others over Secret Service
    "keyring.backends.kwallet",
    "keyring.backends.macOS",
    "keyring.backends.Windows",  # Windows Credential Locker
)
"""The keychains the key may be given to: the operating systems' own, nothing else."""

ALLOW_ENV = "TRUSTVAULT_ALLOW_KEYRING"
"""Opting in to another keyring backend: its ``module.Class`` names, comma-separated (a person
who runs their own; the tests' in-memory one). Plaintext and "obscured" file keyrings are still
never used: there is no opting in to those."""

_NEVER = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def _acceptable(backend: KeyringBackend) -> bool:
    kind = type(backend)
    module, name = kind.__module__, f"{kind.__module__}.{kind.__qualname__}"
    if module.startswith(_NEVER):
        return False
    if module in OS_KEYCHAINS:
        return True
    chosen = {n.strip() for n in os.environ.get(ALLOW_ENV, "").split(",") if n.strip()}
    return name in chosen


def _backend() -> KeyringBackend | None:
    """The OS keychain to use, or None. In a chain of backends the first acceptable one is
    picked and used directly: asking the chain would write to its first member, which may be a
    plaintext file."""
    backend = keyring.get_keyring()
    candidates = getattr(backend, "backends", [backend])
    usable = [b for b in candidates if _acceptable(b)]
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
