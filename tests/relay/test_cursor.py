"""What a device learns from the relay's cursor (``names`` and ``wait``): how far its own
mailbox has come, and nothing about the relay's other pairs: how many there are, how busy, when.
"""

import sqlite3
from pathlib import Path

import pytest

from tests.relay.local_relay import Device, LocalRelay, local_relay
from trustvault.relay.store import _SCHEMA, INVITER, JOINER, RelayStore

Seen = tuple[int, int, bool]


async def look(relay: LocalRelay, device: Device, after: int) -> Seen:
    """The cursor as a client sees it: in a listing, and in a long-poll answer after ``after``."""
    listed = (await relay.names(device)).json()["cursor"]
    params = {"after": after, "timeout": 0}
    waited = (await relay.call(device, "GET", "/wait", params=params)).json()
    return listed, waited["cursor"], waited["changed"]


async def what_a_pair_sees(relay: LocalRelay, neighbours_busy: bool) -> list[Seen]:
    """One pair's exchange, while another pair on the relay is busy or quiet."""
    me, partner = await relay.pair()
    other, other_partner = await relay.pair()
    count = 0

    async def neighbours() -> None:
        nonlocal count
        if not neighbours_busy:
            return
        for device in (other, other_partner, other):
            count += 1
            assert (await relay.put(device, f"n{count}", b"theirs")).status_code == 201
        assert (await relay.call(other_partner, "DELETE", f"/blobs/n{count}")).status_code == 204

    seen: list[Seen] = []
    after = 0
    for i in range(3):
        await neighbours()
        assert (await relay.put(partner, f"p{i}", b"partner's")).status_code == 201
        await neighbours()
        seen.append(await look(relay, me, after))
        after = seen[-1][1]
        assert (await relay.put(me, f"m{i}", b"mine")).status_code == 201
        await neighbours()
        seen.append(await look(relay, me, after))
        assert (await relay.call(me, "DELETE", f"/blobs/m{i}")).status_code == 204
    return seen


@pytest.mark.anyio
async def test_another_pairs_activity_does_not_move_a_pairs_cursor(tmp_path: Path) -> None:
    async with local_relay(tmp_path / "quiet") as relay:
        quiet = await what_a_pair_sees(relay, neighbours_busy=False)
    async with local_relay(tmp_path / "busy") as relay:
        busy = await what_a_pair_sees(relay, neighbours_busy=True)
    assert busy == quiet
    assert [changed for _, _, changed in quiet] == [True, False] * 3, "the cursor still works"


def test_upgrading_keeps_every_cursor_a_client_holds_behind_the_next_envelope(
    tmp_path: Path,
) -> None:
    """Cursors from before counted relay-wide; a device still running holds one, and the next
    envelope of its partner must come after it, or its long-polls would not wake for it."""
    path = tmp_path / "relay.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(f"{_SCHEMA[0]}; {_SCHEMA[1]}; PRAGMA user_version=2;")
        for mailbox in ("a" * 22, "b" * 22):
            old.execute(
                "INSERT INTO mailboxes (id, inviter_hash, join_hash, joiner_hash, created_at)"
                " VALUES (?,?,?,?,0)",
                (mailbox, bytes(32), bytes(32), bytes(32)),
            )
        for i, mailbox in enumerate(["a" * 22] * 3 + ["b" * 22] * 4):
            old.execute(
                "INSERT INTO blobs (mailbox, name, author, digest, size, created_at, data)"
                " VALUES (?,?,?,?,1,0,x'00')",
                (mailbox, f"e{i}", JOINER, bytes(32)),
            )
        old.execute("DELETE FROM blobs WHERE name = 'e6'")  # seq 7 was handed out, then fetched
        old.commit()
    old.close()
    store = RelayStore(path)
    try:
        assert store.names("a" * 22) == ["e0", "e1", "e2"]
        assert store.latest_from_partner("a" * 22, INVITER) == 3  # what a client saw: kept
        assert store.latest_from_partner("b" * 22, INVITER) == 6
        for mailbox in ("a" * 22, "b" * 22):
            store.put(mailbox, "next", JOINER, b"1", 10**6, 100)
            assert store.latest_from_partner(mailbox, INVITER) == 8  # after all of them
        store.put("b" * 22, "then", JOINER, b"1", 10**6, 100)
        assert store.latest_from_partner("a" * 22, INVITER) == 8
        assert store.names("b" * 22) == ["e3", "e4", "e5", "next", "then"]
    finally:
        store.close()
