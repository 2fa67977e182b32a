"""Pairing two real vaults by a short spoken code (SPAKE2), through a real folder and a relay.

What must hold: the same words pair (and the long-term keys and names move only after both
confirmations); a wrong code burns the invitation and both devices say so plainly; a third
device that knows the channel but not the words cannot pair, and burns the invitation trying.
"""

from pathlib import Path

import pytest

from crypto.pake import Side
from tests.relay.relay_fixture import RelayServer
from tests.sync.sync_helpers import Couple, blank_vault, make_couple
from trustvault.actions import Actions
from trustvault.errors import PairingError
from trustvault.medium import relay_spec
from trustvault.sync import pgp_words
from trustvault.sync.folder_transport import FolderTransport
from trustvault.sync.pake_pairing import WRONG_CODE, blob_name
from trustvault.sync.short_code import parse_code
from trustvault.sync.transports import folder_spec


@pytest.fixture(scope="module")
def relay(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    server = RelayServer(tmp_path_factory.mktemp("relay") / "data").start()
    yield server
    server.stop()


def _other_code(code: str) -> str:
    """The same channel and first word, another second word: a guess off by one word."""
    parsed = parse_code(code)
    index = pgp_words.ODD.index(parsed.second)
    return f"{parsed.channel}-{parsed.first}-{pgp_words.ODD[(index + 1) % 256]}"


def _folder(couple: Couple) -> dict[str, object]:
    return folder_spec(couple.folder)


def _blob_texts(folder: Path) -> list[bytes]:
    transport = FolderTransport(folder)
    return [transport.get(n) or b"" for n in transport.names()]


def test_the_same_words_pair_through_a_folder(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    alex, sam = Actions(couple.a), Actions(couple.b)
    code = alex.invite_by_words(_folder(couple))
    assert parse_code(code).text == code and len(code.split("-")) == 3
    joining = sam.join_by_words(code.upper().replace("-", " "), _folder(couple))
    assert joining.status == "joining" and joining.safety_number == ""  # no key has moved
    with pytest.raises(PairingError, match="no safety number to compare yet"):
        sam.verify()
    # Before the inviter confirmed, no name and no long-term key is in the folder.
    held = b"".join(_blob_texts(couple.folder))
    assert b"Sam" not in held and couple.b.device_id.encode() not in held
    assert alex.sync().status == "inviting"  # its confirmation and sealed keys go out
    assert sam.sync().status == "paired"
    assert alex.sync().status == "paired"
    a, b = alex.queries.partner(), sam.queries.partner()
    assert a is not None and b is not None
    assert (a.name, b.name) == ("Sam", "Alex")
    assert (a.device, b.device) == (couple.b.device_id, couple.a.device_id)
    assert a.safety_number == b.safety_number and not a.verified
    # The exchange's blobs are gone, and the pair now syncs: an entry crosses, nothing rejected.
    channel = parse_code(code).channel
    exchange = {blob_name(channel, k, s) for k in ("msg", "confirm", "keys") for s in Side}
    assert exchange.isdisjoint(FolderTransport(couple.folder).names())
    entry = couple.a.entries.add("milestone", {"title": "Still us"})
    results = couple.settle(2)
    assert couple.b.entries.get(entry.id).fields["title"] == "Still us"
    assert all(r.rejected == 0 and not r.problems for r in results)
    couple.close()


def test_a_wrong_code_burns_the_invitation_on_both_devices(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    alex, sam = Actions(couple.a), Actions(couple.b)
    code = alex.invite_by_words(_folder(couple))
    sam.join_by_words(_other_code(code), _folder(couple))
    with pytest.raises(PairingError) as inviter_saw:
        alex.sync()
    with pytest.raises(PairingError) as joiner_saw:
        sam.sync()
    assert inviter_saw.value.message == joiner_saw.value.message == WRONG_CODE
    assert alex.queries.pair_status() == sam.queries.pair_status() == "unpaired"
    # Burned: the right words no longer work on that invitation.
    sam.join_by_words(code, _folder(couple))
    assert sam.sync().status == "joining"
    assert alex.queries.pair_status() == "unpaired"
    couple.close()


def test_a_third_device_knowing_the_channel_but_not_the_words_cannot_pair(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Kim watches the folder and sees the channel (it is public); guessing the words, Kim
    gets one try, learns no name or key, and burns the invitation for everyone."""
    couple = make_couple(tmp_path, tmp_path_factory)
    alex, sam = Actions(couple.a), Actions(couple.b)
    code = alex.invite_by_words(_folder(couple))
    kim_vault = blank_vault(tmp_path_factory, tmp_path / "kim", "Kim", couple.clock)
    kim = Actions(kim_vault)
    kim.join_by_words(_other_code(code), _folder(couple))
    with pytest.raises(PairingError, match="someone tried to guess it"):
        alex.sync()
    with pytest.raises(PairingError, match="someone tried to guess it"):
        kim.sync()
    assert kim.queries.partner() is None and alex.queries.partner() is None
    assert not any(b"Alex" in blob for blob in _blob_texts(couple.folder))
    # Sam, with the right words, comes too late: the invitation is gone, nothing pairs.
    sam.join_by_words(code, _folder(couple))
    assert sam.sync().status == "joining" and alex.queries.pair_status() == "unpaired"
    kim_vault.close()
    couple.close()


def test_the_same_words_pair_through_a_loopback_relay(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, relay: RelayServer
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    alex, sam = Actions(couple.a), Actions(couple.b)
    code = alex.invite_by_words(relay_spec(relay.url))
    sam.join_by_words(code, relay_spec(relay.url))
    alex.sync()
    sam.sync()
    alex.sync()
    a, b = alex.queries.partner(), sam.queries.partner()
    assert a is not None and b is not None and (a.name, b.name) == ("Sam", "Alex")
    assert a.safety_number == b.safety_number
    entry = couple.b.entries.add("milestone", {"title": "by relay"})
    sam.sync()
    alex.sync()
    assert couple.a.entries.get(entry.id).fields["title"] == "by relay"
    # A second invitation on the same relay finds a free channel; a typed-in number with no
    # invitation behind it is told plainly.
    kim_vault = blank_vault(tmp_path_factory, tmp_path / "kim", "Kim", couple.clock)
    with pytest.raises(PairingError, match="no open invitation on channel"):
        Actions(kim_vault).join_by_words(code, relay_spec(relay.url))
    kim_vault.close()
    couple.close()
