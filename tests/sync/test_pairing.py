"""Pairing two real vaults through a real folder: the happy path, then every way a code goes wrong.

Each failure must say so in one plain line (a :class:`PairingError`), leave nothing half-paired,
and never let a second device take the partner's place.
"""

import base64
import hashlib
import json
import math
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crypto.identity import generate_keypair, safety_number
from tests.helpers import ManualClock
from tests.sync.sync_helpers import Couple, blank_vault, make_couple
from trustvault.errors import PairingError
from trustvault.sync import pairing
from trustvault.sync.invite_code import decode_invite
from trustvault.sync.service import SyncService
from trustvault.sync.transports import folder_spec

SAFETY = re.compile(r"^\d{5}( \d{5})+$")


def test_pairing_shows_the_same_safety_number_and_verify_is_per_device(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    code = couple.sa.invite(folder_spec(couple.folder))
    assert code.startswith("tv1-")
    assert len(decode_invite(code).secret) * 8 >= 128
    assert couple.sa.partner() is None and couple.sa.status() == "inviting"
    joined = couple.sb.join(code, folder_spec(couple.folder))
    assert joined.status == "joining"

    first = couple.sa.sync()
    assert first.paired_now and first.status == "paired"
    assert couple.sb.sync().paired_now

    alex_sees, sam_sees = couple.sa.partner(), couple.sb.partner()
    assert alex_sees is not None and sam_sees is not None
    assert (alex_sees.name, sam_sees.name) == ("Sam", "Alex")
    assert (alex_sees.device, sam_sees.device) == (couple.b.device_id, couple.a.device_id)
    assert alex_sees.safety_number == sam_sees.safety_number == joined.safety_number
    assert SAFETY.fullmatch(alex_sees.safety_number)
    groups = alex_sees.safety_number.split()
    assert len(groups) * math.log2(10 ** len(groups[0])) >= 100
    assert not alex_sees.verified and not sam_sees.verified and not alex_sees.key_changed

    assert couple.sb.verify().verified
    assert couple.sb.partner().verified  # type: ignore[union-attr]
    assert not couple.sa.partner().verified  # type: ignore[union-attr]  # each device decides
    assert couple.sa.verify().verified
    couple.close()


def test_a_joiner_may_verify_the_codes_key_before_the_inviter_answers(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The joiner knows the inviter's key from the code: the CLI offers 'verify' right after
    'join'. The verification is kept when the pairing completes."""
    couple = make_couple(tmp_path, tmp_path_factory)
    joined = couple.sb.join(
        couple.sa.invite(folder_spec(couple.folder)), folder_spec(couple.folder)
    )
    early = couple.sb.verify()
    assert early.status == "joining" and early.verified and not early.key_changed
    pair_up_after_join(couple)
    sam_sees = couple.sb.partner()
    assert sam_sees is not None and sam_sees.name == "Alex"
    assert sam_sees.verified and not sam_sees.key_changed
    assert sam_sees.safety_number == joined.safety_number
    couple.close()


def test_safety_number_is_order_free_and_tells_keys_apart() -> None:
    one, two, three = (generate_keypair().public for _ in range(3))
    assert safety_number(one, two) == safety_number(two, one)
    assert safety_number(one, two) != safety_number(one, three)


def test_sync_or_join_twice_before_pairing_says_so(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    with pytest.raises(PairingError, match="not paired"):
        couple.sb.sync()
    code = couple.sa.invite(folder_spec(couple.folder))
    couple.sb.join(code, folder_spec(couple.folder))
    with pytest.raises(PairingError, match="already paired"):
        couple.sb.join(code, folder_spec(couple.folder))
    pair_up_after_join(couple)
    couple.close()


def pair_up_after_join(couple: Couple) -> None:
    couple.sa.sync()
    couple.sb.sync()
    assert couple.sa.status() == couple.sb.status() == "paired"


def _mistype(code: str) -> str:
    i = len(code) // 2
    while code[i] == "-":
        i += 1
    swapped = "b" if code[i] != "b" else "c"
    return code[:i] + swapped + code[i + 1 :]


def _checksummed(body: bytes) -> str:
    """A code with a valid checksum around ``body`` (as a newer or foreign app might make)."""
    check = hashlib.blake2b(body, digest_size=3, person=b"tv-invite").digest()
    text = base64.b32encode(body + check).decode().rstrip("=").lower()
    return "tv1-" + "-".join(text[i : i + 4] for i in range(0, len(text), 4))


@pytest.mark.parametrize(
    ("make_bad", "message"),
    [
        (_mistype, "mistyped"),
        (lambda code: code[: len(code) * 2 // 3], "mistyped"),
        (lambda code: code + "q", "mistyped"),
        (lambda code: "hello partner", "not a TrustVault invite code"),
        (lambda code: "7-guitarist-revenge", "not a TrustVault invite code"),
        (lambda code: "", "not a TrustVault invite code"),
        (lambda code: "tv1-", "mistyped"),
        (lambda code: "tv1-0189-!!!!", "mistyped"),
        (lambda code: _checksummed(b"not json at all"), "incompatible"),
        (lambda code: _checksummed(json.dumps({"k": "AAAA"}).encode()), "incompatible"),
    ],
)
def test_bad_codes_fail_with_a_clear_line_and_store_nothing(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    make_bad: Callable[[str], str],
    message: str,
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    code = couple.sa.invite(folder_spec(couple.folder))
    with pytest.raises(PairingError, match=message) as caught:
        couple.sb.join(make_bad(code), folder_spec(couple.folder))
    assert "\n" not in str(caught.value)
    assert couple.sb.status() == "unpaired"
    assert list(couple.folder.iterdir()) == []
    # The real code still works afterwards.
    couple.sb.join(code, folder_spec(couple.folder))
    pair_up_after_join(couple)
    couple.close()


def test_expired_code_is_refused_by_the_joiner(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    code = couple.sa.invite(folder_spec(couple.folder))
    couple.clock.advance(hours=24)
    couple.clock.advance(seconds=pairing.CLOCK_TOLERANCE.total_seconds() + 1)
    with pytest.raises(PairingError, match="expired"):
        couple.sb.join(code, folder_spec(couple.folder))
    assert couple.sb.status() == "unpaired"
    assert list(couple.folder.iterdir()) == []
    couple.close()


class _AheadClock:
    """Sam's clock, running ``minutes`` ahead of Alex's."""

    def __init__(self, base: ManualClock, minutes: int) -> None:
        self.base, self.ahead = base, timedelta(minutes=minutes)

    def __call__(self) -> datetime:
        return self.base() + self.ahead


def _skewed_couple(root: Path, factory: pytest.TempPathFactory, minutes: int) -> Couple:
    clock = ManualClock()
    folder = root / "sync-folder"
    folder.mkdir(parents=True)
    alex = blank_vault(factory, root / "alex", "Alex", clock)
    sam = blank_vault(factory, root / "sam", "Sam", _AheadClock(clock, minutes))
    return Couple(alex, sam, folder, clock)


def test_a_joiner_clock_a_little_fast_still_pairs_with_a_fresh_code(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Ten minutes fast on Sam's side, a code with five minutes left on Alex's clock works:
    the inviter's clock decides."""
    couple = _skewed_couple(tmp_path, tmp_path_factory, minutes=10)
    code = couple.sa.invite(folder_spec(couple.folder))
    couple.clock.advance(hours=23, minutes=55)
    couple.sb.join(code, folder_spec(couple.folder))
    pair_up_after_join(couple)
    couple.close()


def test_an_expired_code_names_the_clock_as_a_possible_cause(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = _skewed_couple(tmp_path, tmp_path_factory, minutes=60)
    code = couple.sa.invite(folder_spec(couple.folder))
    couple.clock.advance(hours=23, minutes=30)
    with pytest.raises(PairingError, match="expired") as caught:
        couple.sb.join(code, folder_spec(couple.folder))
    assert "clock" in str(caught.value) and "date or time here is wrong" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert couple.sb.status() == "unpaired"
    couple.close()


def test_code_that_expires_before_the_inviter_answers_is_refused(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    code = couple.sa.invite(folder_spec(couple.folder))
    couple.clock.advance(hours=23)
    couple.sb.join(code, folder_spec(couple.folder))
    couple.clock.advance(hours=1, minutes=30)
    assert couple.sa.sync().status == "inviting"  # answered "expired", within ANSWER_GRACE
    with pytest.raises(PairingError, match="expired"):
        couple.sb.sync()
    # The refusal is remembered: no silent "joining" forever, and a fresh code pairs.
    assert couple.sb.status() == "unpaired"
    assert couple.sa.status() == "inviting"
    fresh = couple.sa.invite(folder_spec(couple.folder))
    couple.sb.join(fresh, folder_spec(couple.folder))
    pair_up_after_join(couple)
    couple.close()


def test_an_inviter_whose_codes_all_expired_stops_inviting(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Nobody used the codes: past their expiry (and the grace for late requests) the vault is
    unpaired again, says why, and a new code works."""
    couple = make_couple(tmp_path, tmp_path_factory)
    couple.sa.invite(folder_spec(couple.folder), ttl=timedelta(hours=1))
    couple.sa.invite(folder_spec(couple.folder), ttl=timedelta(hours=2))
    couple.clock.advance(hours=2, minutes=1)  # the first code expired over an hour ago
    assert couple.sa.sync().status == "inviting"  # the second code is within its grace
    couple.clock.advance(hours=1)
    result = couple.sa.sync()
    assert result.status == "unpaired" and result.problems == [pairing.EXPIRED_NOTE]
    assert couple.sa.status() == "unpaired"
    with pytest.raises(PairingError, match="not paired"):
        couple.sa.sync()
    code = couple.sa.invite(folder_spec(couple.folder))
    couple.sb.join(code, folder_spec(couple.folder))
    pair_up_after_join(couple)
    couple.close()


def test_reused_code_never_replaces_the_partner(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    code = couple.sa.invite(folder_spec(couple.folder))
    couple.sb.join(code, folder_spec(couple.folder))
    couple.settle(1)
    third = blank_vault(tmp_path_factory, tmp_path / "kim", "Kim", couple.clock)
    sk = SyncService(third)
    sk.join(code, folder_spec(couple.folder))
    couple.sa.sync()
    with pytest.raises(PairingError, match="already used"):
        sk.sync()
    assert sk.status() == "unpaired"
    alex_sees = couple.sa.partner()
    assert alex_sees is not None and alex_sees.device == couple.b.device_id
    assert alex_sees.name == "Sam"

    # The pair still works, and nothing reaches the third device.
    entry = couple.a.entries.add("milestone", {"title": "Still us"})
    couple.settle(2)
    assert couple.b.entries.get(entry.id).fields["title"] == "Still us"
    assert third.entries.count() == 0
    third.close()
    couple.close()


def test_two_joiners_racing_one_code_exactly_one_wins(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    code = couple.sa.invite(folder_spec(couple.folder))
    third = blank_vault(tmp_path_factory, tmp_path / "kim", "Kim", couple.clock)
    sk = SyncService(third)
    couple.sb.join(code, folder_spec(couple.folder))
    sk.join(code, folder_spec(couple.folder))
    couple.sa.sync()
    outcomes = {}
    for name, service in (("Sam", couple.sb), ("Kim", sk)):
        try:
            service.sync()
            outcomes[name] = service.status()
        except PairingError as exc:
            assert "already used" in str(exc)
            outcomes[name] = "refused"
    assert sorted(outcomes.values()) == ["paired", "refused"]
    winner = next(n for n, o in outcomes.items() if o == "paired")
    alex_sees = couple.sa.partner()
    assert alex_sees is not None and alex_sees.name == winner
    third.close()
    couple.close()


def test_joining_ones_own_code_is_refused(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    couple = make_couple(tmp_path, tmp_path_factory)
    code = couple.sa.invite(folder_spec(couple.folder))
    with pytest.raises(PairingError, match="made on this device"):
        couple.sa.join(code, folder_spec(couple.folder))
    assert couple.sa.status() == "inviting"
    couple.sb.join(code, folder_spec(couple.folder))
    pair_up_after_join(couple)
    couple.close()


def test_code_of_another_inviter_never_pairs_with_this_one(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A code made by some other device (whose folder this is not) is not answered here: the
    joiner stays waiting, the inviter of this folder is unaffected and can still pair."""
    couple = make_couple(tmp_path, tmp_path_factory)
    other_folder = tmp_path / "elsewhere"
    other_folder.mkdir()
    stranger = blank_vault(tmp_path_factory, tmp_path / "stranger", "Stranger", ManualClock())
    foreign = SyncService(stranger).invite(folder_spec(other_folder))
    own = couple.sa.invite(folder_spec(couple.folder))
    third = blank_vault(tmp_path_factory, tmp_path / "kim", "Kim", couple.clock)
    sk = SyncService(third)
    sk.join(foreign, folder_spec(couple.folder))
    assert couple.sa.sync().status == "inviting"
    assert sk.sync().status == "joining"
    couple.sb.join(own, folder_spec(couple.folder))
    pair_up_after_join(couple)
    alex_sees = couple.sa.partner()
    assert alex_sees is not None and alex_sees.device == couple.b.device_id
    stranger.close()
    third.close()
    couple.close()


def test_an_older_code_of_the_same_inviter_still_pairs_a_working_channel(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Someone makes a code, then another (the first seemed lost); the partner types the first.
    Either the first is refused with a clear line, or the pairing must really work."""
    couple = make_couple(tmp_path, tmp_path_factory)
    first = couple.sa.invite(folder_spec(couple.folder))
    couple.sa.invite(folder_spec(couple.folder))
    couple.sb.join(first, folder_spec(couple.folder))
    couple.sa.sync()
    try:
        couple.sb.sync()
    except PairingError:
        assert couple.sb.status() == "unpaired"
        return
    assert couple.sa.status() == couple.sb.status() == "paired"
    entry = couple.a.entries.add("milestone", {"title": "through the first code"})
    reply = couple.b.entries.add("milestone", {"title": "and back"})
    results = couple.settle()
    assert all(r.rejected == 0 for r in results), [r.problems for r in results]
    assert couple.b.entries.get(entry.id).fields["title"] == "through the first code"
    assert couple.a.entries.get(reply.id).fields["title"] == "and back"
    couple.close()


def test_a_join_made_again_that_cannot_reach_the_first_yes_is_refused_plainly(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Sam joins Alex's code, and Alex says yes (its first ratchet state is seeded from Sam's
    ephemeral); Sam cancels before reading it, joins someone else's code, cancels that too, then
    types Alex's code again, now with another ephemeral. A yes would leave the two on different
    ratchets, every envelope refused for good: Alex says the code is used instead."""
    couple = make_couple(tmp_path, tmp_path_factory)
    code = couple.sa.invite(folder_spec(couple.folder))
    couple.sb.join(code, folder_spec(couple.folder))
    couple.sa.sync()
    assert couple.sa.status() == "paired"
    couple.sb.unpair()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    jordan = blank_vault(tmp_path_factory, tmp_path / "jordan", "Jordan", couple.clock)
    couple.sb.join(SyncService(jordan).invite(folder_spec(elsewhere)), folder_spec(elsewhere))
    couple.sb.unpair()
    couple.sb.join(code, folder_spec(couple.folder))
    couple.sa.sync()
    with pytest.raises(PairingError, match="used"):
        couple.sb.sync()
    assert couple.sb.status() == "unpaired"
    jordan.close()
    couple.close()
