"""Fuzz target for pairing: the invite code a person pastes, and what the other device answers.

Three kinds of input, each run against real vaults and a real sync folder copied per input:

- ``code``: text pasted as an invite code (arbitrary text, a real code mistyped, or a code with
  a valid checksum around an arbitrary JSON document, as a modified client could make), then
  ``join`` on a fresh vault; relay addresses in it point at a real relay on loopback, or are
  malformed (never a host that needs the network);
- ``request``: a join request sealed with a real code's join key (a holder of a leaked code can
  write anything inside), then the inviter's sync;
- ``answer``: an answer sealed with that key, then the joiner's sync.

Each may end only in success or a one-line ``TrustVaultError``.
"""

import base64
import json
import shutil
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from crypto.envelope import Header, seal_envelope
from crypto.invite import join_key
from tests.fuzz.framework import Target, one_line_error
from tests.fuzz.op_inputs import json_values
from tests.fuzz.scratch import Factory, scratch
from tests.helpers import ManualClock
from tests.relay.relay_fixture import RelayServer
from tests.sync.sync_helpers import blank_vault
from trustvault.errors import TrustVaultError
from trustvault.sync import pairing
from trustvault.sync.folder_transport import SUFFIX, FolderTransport
from trustvault.sync.invite_code import PREFIX, _checksum, decode_invite
from trustvault.sync.pair_state import load_identity
from trustvault.sync.service import SyncService
from trustvault.sync.transports import folder_spec
from trustvault.vault import Vault

__all__ = ["INVITE"]


@cache
def _relay() -> str:
    """A real relay process on loopback, started the first time an input names it."""
    import atexit

    server = RelayServer(scratch("relay") / "data").start()
    atexit.register(server.stop)
    return server.url


@cache
def _template() -> tuple[Path, dict[str, bytes], str]:
    """Alex inviting through a folder, Sam joined with that code (waiting for the answer), and
    Kim, never paired; their keys; the code."""
    root, factory, clock = scratch("pairing"), Factory(), ManualClock()
    folder = root / "sync-folder"
    folder.mkdir()
    vaults = {
        name: blank_vault(factory, root / name.lower(), name, clock)  # type: ignore[arg-type]
        for name in ("Alex", "Sam", "Kim")
    }
    code = SyncService(vaults["Alex"]).invite(folder_spec(folder))
    SyncService(vaults["Sam"]).join(code, folder_spec(folder))
    keys = {name: vault.key for name, vault in vaults.items()}
    for vault in vaults.values():
        vault.close()
    return root, keys, code


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _code_of(doc: Any) -> str:
    """A code with a valid checksum around any JSON document."""
    body = json.dumps(doc).encode()
    text = base64.b32encode(body + _checksum(body)).decode().rstrip("=").lower()
    return PREFIX + "-".join(text[i : i + 4] for i in range(0, len(text), 4))


_B32 = "abcdefghijklmnopqrstuvwxyz234567"
_keys = st.sampled_from([_b64(bytes(32)), _b64(b"\x01" * 32), _b64(b"k" * 32), "@REAL"])
_relays = st.sampled_from(
    [
        "@RELAY",
        "@RELAY/",
        "@RELAY/v1/",
        " @RELAY ",
        "@RELAY?x=1#y",
        "ftp://127.0.0.1/",
        "http://[::1",
        "http://127.0.0.1:99999",
        "http://127.0.0.1:abc/",
        "http:///",
        "://",
        "relay.example",
        "\ud800",
        "",
    ]
) | st.text(max_size=30).filter(lambda t: ":" not in t)
_docs = st.fixed_dictionaries(
    {
        "k": st.just("@REAL") | _keys | json_values,
        "s": st.just("@REAL") | _keys | json_values,
        "p": st.just("@REAL") | st.just(_b64(bytes(16))) | json_values,
        "e": st.sampled_from([4_102_444_800, 0, -1, 2**40, 10**30, 1.5e300, "4102444800", None])
        | json_values,
    },
    optional={
        "r": _relays | json_values,
        "m": st.sampled_from(["A" * 22, "@REAL", "../../health", "a/b?c", ""]) | json_values,
    },
).flatmap(lambda doc: st.sets(st.sampled_from(sorted(doc))).map(lambda drop: _without(doc, drop)))


def _without(doc: dict[str, Any], drop: set[str]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in drop or len(drop) > 2}


_edits = st.just([]) | st.lists(
    st.tuples(st.integers(0, 200), st.sampled_from(["", " ", "-", "a", "Z", "0"])), max_size=3
)
_codes = st.one_of(
    st.text(max_size=80),
    st.text(_B32 + "-", max_size=80).map(lambda t: PREFIX + t),
    st.fixed_dictionaries({"real": _edits}),
    st.fixed_dictionaries({"doc": _docs, "edits": _edits}),
)
_sealed = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["J", "W", "E"]),
        "pair": st.sampled_from(["ours", "ours", "other"]),
        "sender": st.sampled_from([0, 1, 2, 255]),
        "seq": st.sampled_from([0, 0, 1, 2**64 - 1]),
        "payload": st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "public": st.sampled_from(["@PUBLIC", "00" * 32, "zz"]) | json_values,
                    "device": st.sampled_from(["@DEVICE", "d" * 32]) | json_values,
                    "name": st.text(max_size=120) | json_values,
                    "accepted": st.booleans() | json_values,
                    "reason": st.sampled_from(["expired", "used"]) | json_values,
                    "pair": st.sampled_from(["@PAIR", "00" * 16]) | json_values,
                    "formats": st.sampled_from([[1, 2], [1], [2], [], [0], [1, 2, 3], "2"])
                    | json_values,
                },
            ).map(lambda doc: json.dumps(doc).encode()),
            json_values.map(lambda v: json.dumps(v).encode()),
            st.binary(max_size=200),
        ),
    }
)
_inputs = st.one_of(
    _codes.map(lambda c: {"code": c}),
    _sealed.map(lambda s: {"request": s}),
    _sealed.map(lambda s: {"answer": s}),
)


def _edited(code: str, edits: list[list[Any]]) -> str:
    for position, text in edits:
        at = position % (len(code) + 1)
        code = code[:at] + text + code[at + 1 :]
    return code


def _real(value: Any, code: str) -> Any:
    """``@REAL`` in a code document: the real code's value for that key, base64 as in a code."""
    invite = decode_invite(code)
    real = {"k": invite.inviter_public, "s": invite.secret, "p": invite.pair_id}
    if isinstance(value, dict):
        return {k: (_b64(real[k]) if v == "@REAL" and k in real else v) for k, v in value.items()}
    return value


def _relay_url(value: Any) -> Any:
    if isinstance(value, str) and "@RELAY" in value:
        return value.replace("@RELAY", _relay())
    return value


def _code_text(spec: Any, code: str) -> str:
    if isinstance(spec, str):
        return spec
    if "real" in spec:
        return _edited(code, spec["real"])
    doc = _real(spec["doc"], code)
    if "r" in doc:
        doc["r"] = _relay_url(doc["r"])
    if doc.get("m") == "@REAL":
        doc["m"] = "A" * 22
    return _edited(_code_of(doc), spec["edits"])


def _seal(spec: dict[str, Any], code: str, vault: Vault) -> bytes:
    invite = decode_invite(code)
    identity = load_identity(vault.conn)
    names = {
        "@PUBLIC": identity.public.hex(),
        "@DEVICE": vault.device_id,
        "@PAIR": invite.pair_id.hex(),
    }
    payload = spec["payload"]
    for name, real in names.items():
        payload = payload.replace(name.encode(), real.encode())
    pair = invite.pair_id if spec["pair"] == "ours" else bytes(16)
    header = Header(spec["kind"].encode(), pair, spec["sender"], spec["seq"])
    return seal_envelope(join_key(invite.secret), header, payload)


def check_invite(value: dict[str, Any]) -> None:
    template, keys, code = _template()
    root = scratch("pair") / "copy"
    shutil.copytree(template, root)
    folder = root / "sync-folder"
    clock = ManualClock()  # the template's time: its code has not expired
    vaults = {
        name: Vault.open_with_key(root / name.lower(), key, clock=clock)
        for name, key in keys.items()
    }
    try:
        _run(value, vaults, folder, code)
    except TrustVaultError as exc:
        one_line_error(exc)
    finally:
        for vault in vaults.values():
            vault.close()
        shutil.rmtree(root.parent)


def _run(value: dict[str, Any], vaults: dict[str, Vault], folder: Path, code: str) -> None:
    transport = FolderTransport(folder)
    if "code" in value:
        text = _code_text(value["code"], code)
        SyncService(vaults["Kim"]).join(text, folder_spec(folder))
    elif "request" in value:
        blob = _seal(value["request"], code, vaults["Kim"])
        (folder / f"fuzz-request{SUFFIX}").write_bytes(blob)
        SyncService(vaults["Alex"], transport).sync()
    else:
        sam = vaults["Sam"]
        blob = _seal(value["answer"], code, vaults["Alex"])
        secret, public = decode_invite(code).secret, load_identity(sam.conn).public
        name = pairing._join_blob_name(secret, b"W", public)
        (folder / f"{name}{SUFFIX}").write_bytes(blob)
        SyncService(sam, transport).sync()


INVITE = Target("invite", lambda: _inputs, check_invite, brief=15)
