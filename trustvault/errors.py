"""The one tree of errors whose message is meant for the person using TrustVault.

    TrustVaultError                 message is one plain line; the CLI prints it, the UI shows it
     +-- WrongPassphrase            exit status 2
     |    +-- PassphraseReplaced    the old one, after a re-key that a crash interrupted
     +-- VaultNotFound / VaultExists
     +-- VaultLocked                the vault was closed (locked); unlock it again
     +-- CorruptFile                names the damaged file; nothing is overwritten
     +-- StorageError               the disk or the file system, not the file, said no
     |    +-- DiskFull              exit 74: free space, then try again
     |    +-- VaultReadOnly         exit 77: the folder or disk refuses writes
     |    +-- VaultBusy             exit 75: another program holds the vault; try again
     +-- UnsupportedVault           SQLCipher too old, schema from a newer app
     +-- InvalidField               names the field; nothing is stored
     +-- EntryNotFound
     +-- AmbiguousId                a short id that more than one entry starts with; names them
     +-- EditConflict               the entry changed since the edit began; nothing was saved
     +-- KeychainUnavailable
     +-- SyncError                  pairing and sync problems (see trustvault.sync)
          +-- PairingError
          +-- TransportError
               +-- EnvelopeTooLarge  the medium refuses this blob for its size, every time
               +-- MediumFull        exit 75: the folder or mailbox is full until the partner reads

Anything else that escapes is a bug: the CLI logs its traceback (without secrets) and prints a
short apology instead.
"""

__all__ = [
    "AmbiguousId",
    "CorruptFile",
    "DiskFull",
    "EditConflict",
    "EntryNotFound",
    "EnvelopeTooLarge",
    "InvalidField",
    "KeychainUnavailable",
    "MediumFull",
    "PairingError",
    "PassphraseReplaced",
    "StorageError",
    "SyncError",
    "TransportError",
    "TrustVaultError",
    "UnsupportedVault",
    "VaultBusy",
    "VaultExists",
    "VaultLocked",
    "VaultNotFound",
    "VaultReadOnly",
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


class PassphraseReplaced(WrongPassphrase):
    """The passphrase opens the old key file, but the database is already re-encrypted under
    the new key (a re-key was interrupted before its last step): the new passphrase opens it."""

    def __init__(self) -> None:
        TrustVaultError.__init__(
            self,
            "This vault was re-encrypted for your new passphrase, so the old one no longer opens"
            " it. Unlock with the new passphrase; nothing was lost.",
        )


class VaultNotFound(TrustVaultError):
    pass


class VaultLocked(TrustVaultError):
    """The vault was used after :meth:`~trustvault.vault.Vault.close` (the app locks by
    closing): its key is gone from this object."""

    def __init__(self) -> None:
        super().__init__("This vault is locked. Unlock it again to go on.")


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


class StorageError(TrustVaultError):
    """Reading or writing the vault failed for a reason outside the file: never "damaged",
    since a person told their vault is damaged may delete it. Nothing was changed."""

    exit_code = 74


class DiskFull(StorageError):
    def __init__(self, path: object) -> None:
        super().__init__(
            f"The disk holding {path} is full, so nothing was saved. Free some space and try"
            " again; the vault itself is fine."
        )


class VaultReadOnly(StorageError):
    exit_code = 77

    def __init__(self, path: object) -> None:
        super().__init__(
            f"{path} cannot be written: its folder or disk is read-only (or not yours). Nothing"
            " was changed; the vault itself is fine."
        )


class VaultBusy(StorageError):
    exit_code = 75

    def __init__(self, path: object) -> None:
        super().__init__(
            f"Another program is using {path} (another TrustVault window, the command line, or a"
            " backup tool) and did not let go within a few seconds. Nothing was changed; try"
            " again in a moment."
        )


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


class AmbiguousId(TrustVaultError):
    """More than one entry's id starts with ``prefix`` (ids begin with their creation time, so
    entries made close together share their first digits). ``matches`` holds the first few ids
    (a face lists them so the person can pick one); ``total`` how many there are."""

    def __init__(self, prefix: str, matches: tuple[str, ...], total: int) -> None:
        super().__init__(
            f"The id {prefix!r} is ambiguous: {total} entries start with it. Give more of its"
            " digits; it could be:"
        )
        self.prefix = prefix
        self.matches = matches
        self.total = total


class EditConflict(TrustVaultError):
    """An edit begun on revision ``base`` of an entry now at ``current`` (the partner edited it,
    or another window did): saving it would silently undo the newer version, so nothing is."""

    def __init__(self, entry_id: str, base: int, current: int) -> None:
        super().__init__(
            f"This entry changed while you were editing it (revision {base} is now {current});"
            " nothing was saved. Read the newer version and make your change again."
        )
        self.entry_id = entry_id
        self.base = base
        self.current = current


class KeychainUnavailable(TrustVaultError):
    pass


class SyncError(TrustVaultError):
    pass


class PairingError(SyncError):
    pass


class TransportError(SyncError):
    pass


class EnvelopeTooLarge(TransportError):
    """The relay refused an envelope for its size (413). Retrying cannot help, so a sync goes on
    with everything else and reports this once."""


class MediumFull(TransportError):
    """The sync folder's disk or the relay mailbox has no room now. It is temporary: the
    partner's device reads, its receipt lets this device delete what was confirmed, and the
    rest goes. ``medium`` names the place in words a person knows ("The sync folder ...")."""

    exit_code = 75

    def __init__(self, message: str, medium: str) -> None:
        super().__init__(message)
        self.medium = medium
