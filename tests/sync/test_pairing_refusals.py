"""Pairing messages no honest device sends, and stale ones left in the medium (PROTOCOL.md §3).

A join request with an unusable key is refused and counted, and the inviter still answers a good
joiner; an invite code with such a key is refused in one line; a malformed answer is a one-line
refusal, not a traceback; a request or answer of a join that was cancelled never wedges a sync.
"""

import json
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

import pytest

from crypto.envelope import Header, seal_envelope
from crypto.invite import join_key
from tests.helpers import ManualClock
from tests.sync.sync_helpers import Couple, make_couple
from trustvault.errors import PairingError
from trustvault.sync import pairing
from trustvault.sync.folder_transport import FolderTransport
from trustvault.sync.invite_code import Invite, decode_invite, encode_invite
from trustvault.sync.pair_state import load_identity
from trustvault.sync.service import SyncService
from trustvault.sync.transports import folder_spec

LOW_ORDER = [
    pytest.param("00" * 32, id="zero"),
    pytest.param("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", id="order-8"),
    pytest.param("ee" + "ff" * 30 + "7f", id="non-canonical p+1"),
]
MALLORY_DEVICE = "ab" * 16


class CancelledFirst(FolderTransport):
    """A medium that lists some names before the others (a folder's order is arbitrary)."""

    first: ClassVar[set[str]] = set()

    def names(self) -> list[str]:
        return sorted(super().names(), key=lambda n: n not in self.first)


def _put_request(c: Couple, code: str, doc: object, public: bytes) -> None:
    """A join request for ``code`` sealed by someone holding it, with ``doc`` inside."""
    invite = decode_invite(code)
    blob = seal_envelope(
        join_key(invite.secret), Header(b"J", invite.pair_id, 2, 0), json.dumps(doc).encode()
    )
    name = pairing._join_blob_name(invite.secret, b"J", public)
    FolderTransport(c.folder).put(name, blob)


def _pair_now(c: Couple) -> None:
    c.sa.sync()
    c.sb.sync()
    assert c.sa.status() == c.sb.status() == "paired"
    entry = c.a.entries.add("milestone", {"title": "We are paired"})
    c.settle(2)
    assert c.b.entries.get(entry.id).title == "We are paired", "the channel works"


@pytest.mark.parametrize("hex_key", LOW_ORDER)
def test_a_join_request_with_a_low_order_key_is_refused_and_a_good_joiner_still_pairs(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, hex_key: str
) -> None:
    c = make_couple(tmp_path, tmp_path_factory)
    code = c.sa.invite(folder_spec(c.folder))
    bad = bytes.fromhex(hex_key)
    _put_request(c, code, {"public": bad.hex(), "device": MALLORY_DEVICE, "name": "M"}, bad)
    result = c.sa.sync()
    assert (result.status, result.rejected, result.paired_now) == ("inviting", 1, False)
    assert c.sa.sync().rejected == 0, "counted once: the request was deleted"
    c.sb.join(code, folder_spec(c.folder))
    _pair_now(c)
    c.close()


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param(["not", "an", "object"], id="a list"),
        pytest.param({"public": "ab" * 16, "device": MALLORY_DEVICE, "name": "M"}, id="short key"),
        pytest.param({"public": "zz" * 32, "device": MALLORY_DEVICE, "name": "M"}, id="not hex"),
        pytest.param({"public": "11" * 32, "device": 7, "name": "M"}, id="device not text"),
    ],
)
def test_a_malformed_join_request_is_refused_and_counted(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, doc: object
) -> None:
    c = make_couple(tmp_path, tmp_path_factory)
    code = c.sa.invite(folder_spec(c.folder))
    _put_request(c, code, doc, bytes(32))
    result = c.sa.sync()
    assert (result.status, result.rejected) == ("inviting", 1)
    c.sb.join(code, folder_spec(c.folder))
    _pair_now(c)
    c.close()


def test_a_paired_sync_with_a_stale_request_in_the_medium_still_does_its_work(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = make_couple(tmp_path, tmp_path_factory)
    code = c.sa.invite(folder_spec(c.folder))
    c.sb.join(code, folder_spec(c.folder))
    _pair_now(c)
    bad = bytes(32)
    _put_request(c, code, {"public": bad.hex(), "device": MALLORY_DEVICE, "name": "M"}, bad)
    entry = c.a.entries.add("milestone", {"title": "after the stale request"})
    result = c.sa.sync()
    assert (result.status, result.rejected, result.sent) == ("paired", 1, 1)
    c.settle(2)
    assert c.b.entries.get(entry.id).title == "after the stale request"
    c.close()


@pytest.mark.parametrize("hex_key", LOW_ORDER)
def test_an_invite_code_with_a_low_order_key_is_refused_in_one_line(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, hex_key: str
) -> None:
    c = make_couple(tmp_path, tmp_path_factory)
    real = decode_invite(c.sa.invite(folder_spec(c.folder)))
    forged = encode_invite(Invite(bytes.fromhex(hex_key), real.secret, real.pair_id, real.expires))
    with pytest.raises(PairingError, match="usable device key") as refused:
        c.sb.join(forged, folder_spec(c.folder))
    assert "\n" not in str(refused.value)
    assert c.sb.status() == "unpaired"
    assert list(c.folder.iterdir()) == [], "no request was sent"
    c.close()


def test_an_authentic_but_malformed_answer_is_a_one_line_refusal(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c = make_couple(tmp_path, tmp_path_factory)
    code = c.sa.invite(folder_spec(c.folder))
    c.sb.join(code, folder_spec(c.folder))
    invite = decode_invite(code)
    answer = seal_envelope(
        join_key(invite.secret), Header(b"W", invite.pair_id, 0, 0), b'{"accepted": true}'
    )
    sam = load_identity(c.b.conn).public
    FolderTransport(c.folder).put(pairing._join_blob_name(invite.secret, b"W", sam), answer)
    with pytest.raises(PairingError, match="cannot read") as refused:
        c.sb.sync()
    assert "\n" not in str(refused.value)
    assert c.sb.status() == "unpaired"
    c.close()


@pytest.mark.parametrize("first_code_expired", [False, True])
def test_the_request_and_answer_of_a_cancelled_join_never_wedge_the_next_one(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, first_code_expired: bool
) -> None:
    """Sam joins with a code, cancels (its request stays in the medium), joins with a second
    code; Alex answers both. The answer to the cancelled join is ignored, and the pairing works
    whichever request Alex read first."""
    c = make_couple(tmp_path, tmp_path_factory, clock=ManualClock())
    first = c.sa.invite(folder_spec(c.folder), ttl=timedelta(hours=1))
    c.sb.join(first, folder_spec(c.folder))
    c.sb.unpair()  # cancel the join
    if first_code_expired:
        c.clock.advance(hours=1, seconds=1)
    second = c.sa.invite(folder_spec(c.folder))
    c.sb.join(second, folder_spec(c.folder))
    sam = load_identity(c.b.conn).public
    CancelledFirst.first = {pairing._join_blob_name(decode_invite(first).secret, b"J", sam)}
    c.sa = SyncService(c.a, CancelledFirst(c.folder))  # Alex reads the cancelled request first
    _pair_now(c)
    for result in c.settle(2):
        assert result.rejected == 0, result.problems
    c.close()
