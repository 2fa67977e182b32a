"""Fuzz target for the key file beside the database (``trustvault.keyfile``) and the unlock that
reads it.

Inputs are a real key file (interactive KDF profile) with fields replaced, dropped, added or
re-typed, its bytes flipped or cut, or arbitrary bytes; and what stands at the key file's path:
a regular file, a symlink to ``/dev/zero``, a named pipe, a folder, a symlink loop, nothing. Reading
must give parameters inside their accepted range or a one-line ``CorruptFile``, at once (never a
hang on a pipe, never reading a device whole); an unlock with the right passphrase must give the
key or a one-line ``TrustVaultError``.
"""

import base64
import json
import os
import shutil
import time
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from crypto.kdf import PROFILES
from tests.fuzz.framework import Finding, Target, one_line_error
from tests.fuzz.op_inputs import json_values
from tests.fuzz.scratch import scratch
from tests.helpers import PASSPHRASE
from trustvault.errors import TrustVaultError
from trustvault.keyfile import read_key_file
from trustvault.paths import KEY_NAME
from trustvault.vault import Vault

__all__ = ["KEYFILE"]

_QUICK_SECONDS = 5.0
"""Reading a key file is one bounded read: anything slower is a hang (unlock adds Argon2id)."""


_CHEAP = PROFILES["interactive"]


@cache
def _real_key_file() -> dict[str, Any]:
    folder = scratch("keyfile-template") / "vault"
    Vault.create(folder, PASSPHRASE, "Alex", kdf_profile="interactive").close()
    doc: dict[str, Any] = json.loads((folder / KEY_NAME).read_text())
    return doc


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


_binary = st.sampled_from(["", "====", "not base64!", _b64(b"x"), _b64(bytes(16)), _b64(bytes(64))])
_numbers = st.sampled_from([0, 1, 2, 3, 10, 11, -1, 2**31, 2**63, 2**70, 67108864, 1.0, True, "2"])
_FIELDS = {
    "format": st.sampled_from(["trustvault-key", "TRUSTVAULT-KEY", ""]) | json_values,
    "version": st.sampled_from([1, 2, 0, 1.0, True, "1"]) | json_values,
    "kdf": json_values,
    "kdf.algorithm": st.sampled_from(["argon2id13", "argon2i13", "scrypt"]) | json_values,
    "kdf.opslimit": _numbers | json_values,
    "kdf.memlimit": _numbers | json_values,
    "kdf.salt": _binary | json_values,
    "key_check": _binary | json_values,
    "wrapped_key": _binary | json_values,
}
_edits = st.lists(
    st.tuples(
        st.sampled_from(sorted(_FIELDS)),
        st.sampled_from(["replace", "replace", "drop"]),
    ).flatmap(lambda fe: _FIELDS[fe[0]].map(lambda v: [fe[0], fe[1], v])),
    max_size=3,
)
_contents = st.one_of(
    st.fixed_dictionaries(
        {"edits": _edits, "ascii": st.booleans(), "tail": st.sampled_from(["", "\n", "x", "{}"])}
    ),
    st.fixed_dictionaries(
        {"flips": st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), max_size=3)}
    ),
    st.binary(max_size=300).map(lambda b: {"raw": b}),
    st.just({"raw": b"x" * 5000}),
    json_values.map(lambda v: {"raw": json.dumps(v).encode()}),
)
_inputs = st.fixed_dictionaries(
    {
        "at_path": st.sampled_from(["file"] * 6 + ["dev-zero", "fifo", "folder", "loop", "none"]),
        "content": _contents,
        "unlock": st.integers(0, 3).map(lambda n: n == 0),
    }
)


def _content(spec: dict[str, Any]) -> bytes:
    if "raw" in spec:
        raw: bytes = spec["raw"]
        return raw
    doc = json.loads(json.dumps(_real_key_file()))
    if "flips" in spec:
        data = bytearray(json.dumps(doc, indent=2).encode())
        for at, byte in spec["flips"]:
            data[at % len(data)] = byte
        return bytes(data)
    for name, edit, value in spec["edits"]:
        holder, key = (doc, name) if "." not in name else (doc.get("kdf"), name.split(".")[1])
        if not isinstance(holder, dict):
            continue
        if edit == "drop":
            holder.pop(key, None)
        else:
            holder[key] = value
    return (json.dumps(doc, ensure_ascii=spec["ascii"]) + spec["tail"]).encode(
        "utf-8", "surrogatepass"
    )


def _place(path: Path, at_path: str, data: bytes) -> None:
    if at_path == "file":
        path.write_bytes(data)
    elif at_path == "dev-zero":
        path.symlink_to("/dev/zero")
    elif at_path == "fifo":
        os.mkfifo(path)
    elif at_path == "folder":
        path.mkdir()
    elif at_path == "loop":
        path.symlink_to(path)


def check_keyfile(value: dict[str, Any]) -> None:
    folder = scratch("keyfile")
    path = folder / KEY_NAME
    _place(path, value["at_path"], _content(value["content"]))
    started = time.monotonic()
    try:
        wrapped = read_key_file(path)
    except TrustVaultError as exc:
        one_line_error(exc)
        wrapped = None
    finally:
        if time.monotonic() - started > _QUICK_SECONDS:
            raise Finding(f"reading a key file took longer than {_QUICK_SECONDS:.0f} s")
    try:
        if wrapped is not None:
            wrapped.params.check()  # read_key_file promises parameters in range
            cheap = wrapped.params.memlimit <= _CHEAP[1] and wrapped.params.opslimit <= 3
            if value["unlock"] and cheap:  # never Argon2id over a gigabyte on a shared machine
                _unlock(folder)
    finally:
        shutil.rmtree(folder)


def _unlock(folder: Path) -> None:
    try:
        Vault.unwrap_key(folder, PASSPHRASE)
    except TrustVaultError as exc:
        one_line_error(exc)


KEYFILE = Target("keyfile", lambda: _inputs, check_keyfile, brief=20)
