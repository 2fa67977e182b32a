"""Invite codes crafted to break the parser fail with the same plain line; state never leaks."""

import base64
import hashlib
import json

import pytest

from trustvault.errors import PairingError
from trustvault.sync.invite_code import decode_invite
from trustvault.sync.pair_state import PairState


def _craft(doc: dict[str, object]) -> str:
    """A code with a valid checksum (anyone can make one: it is not a MAC)."""
    body = json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()
    check = hashlib.blake2b(body, digest_size=3, person=b"tv-invite").digest()
    text = base64.b32encode(body + check).decode().rstrip("=").lower()
    return "tv1-" + text


def _b64(n: int) -> str:
    return base64.urlsafe_b64encode(bytes(n)).decode().rstrip("=")


@pytest.mark.parametrize("expiry", [10**30, -(10**30), 2**63])
def test_absurd_expiry_is_an_incompatible_code_not_a_crash(expiry: int) -> None:
    code = _craft({"k": _b64(32), "s": _b64(32), "p": _b64(16), "e": expiry})
    with pytest.raises(PairingError, match="incompatible"):
        decode_invite(code)


def test_pair_state_repr_shows_no_secret() -> None:
    secret = bytes(range(32))
    state = PairState(
        status="joining",
        role="joiner",
        pair_id=bytes(16),
        transport={"type": "relay", "credentials": "device-credential-text"},
        join_secret=secret,
        receipt_blob=b"sealed receipt bytes",
    )
    text = repr(state)
    assert secret.hex() not in text and "device-credential-text" not in text
    assert "sealed" not in text and "joining" in text
