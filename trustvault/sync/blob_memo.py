"""The key a refused blob is remembered by: its name and a digest of its bytes.

A blob refused once is counted once (``inbox_store.remember_rejected``), yet a blob repaired under
the same name (put again by the partner, fixed by the file-sync tool) is read afresh. The key is
worked out only where it is needed, a refusal or a name refused before: hashing every blob of a
listing cost 2% of applying 10,000 changes.
"""

from crypto import hashing

__all__ = ["memo_key", "names_of"]


def memo_key(name: str, blob: bytes) -> str:
    return f"{name}#{hashing.digest(blob, b'tv:rejected-blob:v1', 16).hex()}"


def names_of(keys: set[str]) -> set[str]:
    """The blob names among remembered keys (a name never holds ``#``: names are hex)."""
    return {key.partition("#")[0] for key in keys}
