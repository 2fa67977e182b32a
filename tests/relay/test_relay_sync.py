"""Two real vaults pairing and syncing through a real relay process on loopback."""

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers import NO_HOLD
from tests.relay.relay_fixture import RelayServer
from trustvault.actions import Actions
from trustvault.entries.parsing import MAX_TEXT
from trustvault.errors import PairingError, TransportError
from trustvault.queries import Queries
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

PASSPHRASE = "correct horse battery"
StartRelay = Callable[..., RelayServer]
EMOJI = "\N{GRINNING FACE}"  # one character, four bytes of UTF-8


@pytest.fixture
def vaults(tmp_path: Path) -> Iterator[tuple[Vault, Vault]]:
    alex = Vault.create(tmp_path / "alex", PASSPHRASE, "Alex", kdf_profile="interactive")
    sam = Vault.create(tmp_path / "sam", PASSPHRASE, "Sam", kdf_profile="interactive")
    for vault in (alex, sam):
        Actions(vault).set_send_hold(NO_HOLD)  # shares leave at the next sync
    yield alex, sam
    alex.close()
    sam.close()


def pair_through(relay: RelayServer, alex: Vault, sam: Vault) -> tuple[SyncService, SyncService]:
    inviter, joiner = SyncService(alex), SyncService(sam)
    code = inviter.invite({"type": "relay", "url": relay.url})
    joiner.join(code)
    assert inviter.sync().paired_now
    assert joiner.sync().paired_now
    return inviter, joiner


def test_pair_and_sync_entries_through_the_relay(
    relay: RelayServer, vaults: tuple[Vault, Vault]
) -> None:
    alex, sam = vaults
    inviter, joiner = pair_through(relay, alex, sam)
    a_info, s_info = inviter.partner(), joiner.partner()
    assert a_info and s_info and a_info.name == "Sam" and s_info.name == "Alex"
    assert a_info.safety_number == s_info.safety_number

    shared = alex.entries.add(
        "disclosure", {"title": "The whole story", "body": "Details.", "occurred_on": "2026-10-01"}
    )
    private = alex.entries.add(
        "disclosure", {"title": "Draft, not yet", "occurred_on": "2026-10-02"}, visibility="private"
    )
    inviter.sync()
    received = joiner.sync()
    assert received.received >= 1 and received.rejected == 0
    assert [e.fields["title"] for e in sam.entries.all("disclosure")] == ["The whole story"]

    joiner.ack(shared.id)
    comment = joiner.comment(shared.id, "Thank you for telling me.")
    joiner.sync()
    inviter.sync()
    assert [c.id for c in Queries(alex).comments(shared.id)] == [comment]
    assert Queries(alex).responses(shared.id)[0].state == "read"

    inviter.revoke(shared.id)
    inviter.sync()
    joiner.sync()
    assert sam.entries.get(shared.id).visibility == "withdrawn"
    assert private.id not in {e.id for e in sam.entries.all("disclosure")}


def test_a_second_joiner_is_refused_by_the_relay(
    relay: RelayServer, vaults: tuple[Vault, Vault], tmp_path: Path
) -> None:
    alex, sam = vaults
    code = SyncService(alex).invite({"type": "relay", "url": relay.url})
    SyncService(sam).join(code)
    third = Vault.create(tmp_path / "third", PASSPHRASE, "Eve", kdf_profile="interactive")
    try:
        with pytest.raises(PairingError, match="already used by another device"):
            SyncService(third).join(code)
    finally:
        third.close()


def test_sync_resumes_after_the_relay_restarts(
    start_relay: StartRelay, vaults: tuple[Vault, Vault]
) -> None:
    server = start_relay()
    alex, sam = vaults
    inviter, joiner = pair_through(server, alex, sam)
    for i in range(5):
        alex.entries.add("disclosure", {"title": f"Entry {i}", "occurred_on": "2026-10-03"})
    inviter.sync()
    server.kill()
    server.start()
    joiner.sync()
    titles = sorted(e.fields["title"] for e in sam.entries.all("disclosure"))
    assert titles == [f"Entry {i}" for i in range(5)]
    inviter.sync()  # receipts flow back; confirmed envelopes leave the relay
    joiner.sync()
    inviter.sync()
    assert inviter.sync().pending == 0


def test_unpairing_deletes_the_pairs_mailbox_on_the_relay(
    relay: RelayServer, vaults: tuple[Vault, Vault]
) -> None:
    """The operator's store (and its backups from then on) keeps nothing of the pair, and the
    partner's device is told the pairing was removed instead of syncing into the void."""
    alex, sam = vaults
    inviter, joiner = pair_through(relay, alex, sam)
    alex.entries.add("milestone", {"title": "Before we paused"})
    inviter.sync()
    inviter.unpair()
    with pytest.raises(TransportError, match="the pairing was removed there"):
        joiner.sync()


def test_the_longest_emoji_entries_arrive_and_so_do_later_ones(
    relay: RelayServer, vaults: tuple[Vault, Vault]
) -> None:
    """Sealed, 60,000 emoji took 720 KB (escaped to twelve bytes each) and the longest body an
    entry may hold 1.2 MB: over the relay's 1 MiB, refused, and every sync after failed on it."""
    alex, sam = vaults
    inviter, joiner = pair_through(relay, alex, sam)
    for count in (60_000, MAX_TEXT):
        fields = {"title": f"{count} emoji", "body": EMOJI * count, "occurred_on": "2026-10-01"}
        alex.entries.add("disclosure", fields)
    alex.entries.add("disclosure", {"title": "Later", "occurred_on": "2026-10-02"})
    inviter.sync()
    assert joiner.sync().rejected == 0
    bodies = {e.fields["title"]: e.fields.get("body", "") for e in sam.entries.all("disclosure")}
    expected = {f"{n} emoji": EMOJI * n for n in (60_000, MAX_TEXT)}
    assert bodies == {**expected, "Later": ""}
    alex.entries.add("disclosure", {"title": "Later still", "occurred_on": "2026-10-03"})
    inviter.sync()
    joiner.sync()
    assert inviter.sync().pending == 0
    assert len(sam.entries.all("disclosure")) == 4


def test_an_envelope_over_the_relays_limit_is_reported_and_the_sync_goes_on(
    start_relay: StartRelay, vaults: tuple[Vault, Vault]
) -> None:
    """The relay refuses one envelope for good (413): each sync says so in one line and does
    the rest. The partner applies in order, so what follows it waits, until the entry is
    withdrawn (re-sealed small) or the operator raises the limit."""
    server = start_relay("--max-envelope", str(100 * 1024))
    alex, sam = vaults
    inviter, joiner = pair_through(server, alex, sam)
    day = {"occurred_on": "2026-10-01"}
    alex.entries.add("disclosure", {"title": "Before", **day})
    long = alex.entries.add("disclosure", {"title": "Long", "body": EMOJI * 30_000, **day})
    alex.entries.add("disclosure", {"title": "After", **day})
    sam.entries.add("disclosure", {"title": "From Sam", **day})

    first = inviter.sync()
    host = server.url.removeprefix("http://")
    assert first.problems == [
        f"The relay at {host} refuses envelopes over 100 KB; this one is 129 KB. Your partner's"
        " device gets nothing you share after it until the relay's operator raises that limit"
        " or you withdraw the entry with the longest text."
    ]
    received = joiner.sync()
    assert {e.fields["title"] for e in sam.entries.all("disclosure")} == {"From Sam", "Before"}
    assert received.waiting == 1  # "After" is on the relay, behind the gap
    again = inviter.sync()  # Sam's entry and receipt come in; the refusal is said once again
    assert {e.fields["title"] for e in alex.entries.all("disclosure")} >= {"From Sam"}
    # Pending: "Long" and "After", and Alex's word that Sam's entry arrived (received, §6a).
    assert again.problems == first.problems and again.pending == 3

    inviter.revoke(long.id)
    assert inviter.sync().problems == []
    joiner.sync()
    titles = {e.fields["title"] for e in sam.entries.all("disclosure")}
    assert titles == {"From Sam", "Before", "After"}  # "Long" never reached it: nothing to show
    joiner.sync()
    assert inviter.sync().pending == 0


def test_a_sync_round_moves_envelopes_in_batches(
    start_relay: StartRelay, vaults: tuple[Vault, Vault], tmp_path: Path
) -> None:
    (tmp_path / "metrics-token").write_text("metrics-token-0123456789abcdef")
    relay = start_relay("--metrics-token-file", str(tmp_path / "metrics-token"))
    alex, sam = vaults
    inviter, joiner = pair_through(relay, alex, sam)

    def counts() -> dict[str, int]:
        auth = {"Authorization": "Bearer metrics-token-0123456789abcdef"}
        page = httpx.get(f"{relay.url}/metrics", headers=auth).text
        found: dict[str, int] = {}
        for line in page.splitlines():
            if line.startswith("trustvault_relay_requests_total{"):
                route = line.split('route="')[1].split('"')[0].rsplit("/", 1)[-1]
                method = line.split('method="')[1].split('"')[0]
                key = f"{method} {route}"
                found[key] = found.get(key, 0) + int(line.split()[-1])
        return found

    for i in range(6):
        alex.entries.add("disclosure", {"title": f"Part {i}", "occurred_on": "2026-10-01"})
    before = counts()
    assert inviter.sync().sent >= 6
    after_put = counts()
    assert joiner.sync().received >= 6
    after_get = counts()

    def grew(a: dict[str, int], b: dict[str, int], key: str) -> int:
        return b.get(key, 0) - a.get(key, 0)

    assert grew(before, after_put, "POST put-many") >= 1
    assert grew(before, after_put, "PUT {name}") <= 2  # the receipt and the day's heartbeat
    assert grew(after_put, after_get, "POST get-many") >= 1
    assert grew(after_put, after_get, "GET {name}") == 0  # never one request per envelope
    titles = sorted(e.fields["title"] for e in sam.entries.all("disclosure"))
    assert titles == [f"Part {i}" for i in range(6)]
