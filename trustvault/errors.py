"""The one tree of errors whose message is meant for the person using TrustVault.

    TrustVaultError                 message is one plain line; the CLI prints it, the UI shows it
     +-- WrongPassphrase            exit status 2
     +-- VaultNotFound / VaultExists
     +-- CorruptFile                names the damaged file; nothing is overwritten
     +-- UnsupportedVault           SQLCipher too old, schema from a newer app
     +-- InvalidField               names the field; nothing is stored
     +-- EntryNotFound
     +-- KeychainUnavailable
     +-- SyncError                  pairing and sync problems (see trustvault.sync)
          +-- PairingError
          +-- TransportError

Anything else that escapes is a bug: the CLI logs its traceback (without secrets) and prints a
short apology instead.
"""

__all__ = [
    "CorruptFile",
    "EntryNotFound",
    "InvalidField",
    "KeychainUnavailable",
    "PairingError",
    "SyncError",
    "TransportError",
    "TrustVaultError",
    "UnsupportedVault",
    "VaultExists",
    "VaultNotFound",
    "WrongPassphrase",
]


class TrustVaultError(Exception):
    """An error whose message a person can act on. ``exit_code`` is what the CLI returns."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class WrongPassphrase(TrustVaultError):
    exit_code = 2

    def __init__(self) -> None:
        super().__init__("The passphrase is wrong. Nothing was changed; please try again.")


class VaultNotFound(TrustVaultError):
    pass


class VaultExists(TrustVaultError):
    pass


class CorruptFile(TrustVaultError):
    """A vault file could not be read. The file is left exactly as it was."""

    exit_code = 3

    def __init__(self, path: object, detail: str) -> None:
        super().__init__(
            f"{path} is damaged or not a TrustVault file ({detail}). It was not changed."
        )
        self.path = path


class UnsupportedVault(TrustVaultError):
    exit_code = 3


class InvalidField(TrustVaultError):
    """A field of an entry is invalid; ``field`` names it."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"Invalid {field}: {problem}")
        self.field = field


class EntryNotFound(TrustVaultError):
    def __init__(self, entry_id: str) -> None:
        super().__init__(f"No entry with id {entry_id!r} in this vault.")
        self.entry_id = entry_id


class KeychainUnavailable(TrustVaultError):
    pass


class SyncError(TrustVaultError):
    pass


class PairingError(SyncError):
    pass


class TransportError(SyncError):
    pass
