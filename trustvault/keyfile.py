"""The small key file beside the database: KDF parameters, key-check value, wrapped database key.

Format (JSON, UTF-8)::

    {"format": "trustvault-key", "version": 1,
     "kdf": {"algorithm": "argon2id13", "opslimit": 3, "memlimit": 268435456, "salt": "<b64>"},
     "key_check": "<b64>", "wrapped_key": "<b64>"}

Nothing in it is secret on its own; it is still written 0600 and atomically.
"""

import base64
import binascii
import json
from pathlib import Path
from typing import Any

from crypto.errors import ParameterError
from crypto.kdf import ALGORITHM, KdfParams
from crypto.keywrap import WrappedKey
from trustvault.atomic import atomic_write
from trustvault.bounded_read import FileTooLarge, read_regular_file
from trustvault.errors import CorruptFile

__all__ = ["read_key_file", "write_key_file"]

_FORMAT = "trustvault-key"
_VERSION = 1
_MAX_SIZE = 4096


def write_key_file(path: Path, wrapped: WrappedKey) -> None:
    doc = {
        "format": _FORMAT,
        "version": _VERSION,
        "kdf": {
            "algorithm": ALGORITHM,
            "opslimit": wrapped.params.opslimit,
            "memlimit": wrapped.params.memlimit,
            "salt": _b64(wrapped.params.salt),
        },
        "key_check": _b64(wrapped.key_check),
        "wrapped_key": _b64(wrapped.sealed_key),
    }
    atomic_write(path, (json.dumps(doc, indent=2) + "\n").encode())


def read_key_file(path: Path) -> WrappedKey:
    """Parse and check the key file; :class:`CorruptFile` naming it on any problem."""
    try:
        raw = read_regular_file(path, _MAX_SIZE)
    except FileNotFoundError:
        raise CorruptFile(path, "the key file is missing") from None
    except FileTooLarge:
        raise CorruptFile(path, "the key file is too large") from None
    except OSError as exc:
        raise CorruptFile(path, f"cannot be read: {exc.strerror}") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
            raise ValueError("not a TrustVault key file")
        if doc.get("version") != _VERSION:
            raise ValueError(f"unsupported key file version {doc.get('version')!r}")
        kdf = doc["kdf"]
        if not isinstance(kdf, dict):
            raise ValueError("the field kdf is not an object")
        if kdf.get("algorithm") != ALGORITHM:
            raise ValueError("unknown key-derivation algorithm")
        params = KdfParams(_int(kdf["opslimit"]), _int(kdf["memlimit"]), _unb64(kdf["salt"]))
        params.check()
        wrapped = WrappedKey(params, _unb64(doc["key_check"]), _unb64(doc["wrapped_key"]))
    except (ValueError, KeyError, TypeError, AttributeError, ParameterError) as exc:
        raise CorruptFile(path, _reason(exc)) from None
    return wrapped


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"the field {exc.args[0]} is missing"
    if isinstance(exc, UnicodeDecodeError | json.JSONDecodeError):
        return "the key file is not valid JSON"
    return str(exc) or type(exc).__name__


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("a KDF parameter is not a whole number")
    return value


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("a binary field is not base64 text")
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ValueError("a binary field is not valid base64") from None
