"""put-many and get-many: what one request per envelope did, in few requests, with the same
answers (held names, conflicts, sizes, full mailboxes), on both stores."""

from collections.abc import Callable

import httpx
import pytest

from tests.relay.relay_fixture import RelayServer, make_pair
from tests.relay.test_server import bearer
from trustvault.errors import EnvelopeTooLarge, MediumFull, TransportError
from trustvault.sync.relay_transport import RelayCredentials, RelayTransport

Pair = tuple[RelayCredentials, RelayCredentials]
Connect = Callable[..., RelayTransport]


def test_put_many_and_get_many_round_trip(connect: Connect, relay: RelayServer, pair: Pair) -> None:
    a, b = connect(pair[0]), connect(pair[1])
    items = [(f"env-{i:03d}", bytes([i]) * (i + 1)) for i in range(120)]
    assert a.put_many(items) == [None] * 120
    assert a.put_many(items[:3]) == [None] * 3  # a retried batch: held, same bytes
    assert b.names() == [name for name, _ in items]  # in the order they were stored
    assert b.get_many([*reversed(b.names()), "gone"]) == dict(items)
    with pytest.raises(TransportError, match="different envelope by that name"):
        a.put_many([("env-new", b"x"), ("env-000", b"other bytes")])
    assert b.get("env-000") == items[0][1]
    assert b.get("env-new") == b"x"  # before the conflict: stored
    b.delete_many([name for name, _ in items[:100]] + ["never-there"])
    assert a.names() == [*(name for name, _ in items[100:]), "env-new"]


def test_a_batch_answers_per_envelope_and_ends_at_a_full_mailbox(
    start_relay: Callable[..., RelayServer], connect: Connect
) -> None:
    server = start_relay("--max-envelope", "1000", "--quota-blobs", "4")
    pair = make_pair(server.url)
    a = connect(pair[0])
    outcomes = a.put_many(
        [("a", b"1"), ("big", b"x" * 1001), ("b", b"2"), ("c", b"3"), ("d", b"4"), ("e", b"5")]
    )
    assert [type(o) for o in outcomes] == [
        type(None), EnvelopeTooLarge, type(None), type(None), type(None), MediumFull,
    ]  # fmt: skip
    assert "refuses envelopes over 1000 bytes" in str(outcomes[1])
    assert "mailbox is full" in str(outcomes[5])
    assert sorted(a.names()) == ["a", "b", "c", "d"]


def test_batches_are_bounded_and_checked(relay: RelayServer, pair: Pair) -> None:
    url = f"{relay.url}/v1/mailboxes/{pair[0].mailbox_id}"
    with httpx.Client(headers=bearer(pair[0])) as client:
        too_many = client.post(f"{url}/get-many", json={"names": ["n"] * 501})
        assert too_many.status_code == 413 and "500" in too_many.json()["error"]
        bad = client.post(f"{url}/put-many", json={"envelopes": [{"name": "UP", "data": ""}]})
        assert bad.status_code == 400 and "names" in bad.json()["error"]
        not_b64 = client.post(f"{url}/put-many", json={"envelopes": [{"name": "n", "data": 3}]})
        assert not_b64.status_code == 400 and "base64url" in not_b64.json()["error"]
        assert client.post(f"{url}/get-many", content=b"[").status_code == 400
        bad_delete = client.post(f"{url}/delete-many", json={"names": ["a/b"]})
        assert bad_delete.status_code == 400
        stranger = client.post(f"{url}/get-many", json={"names": []}, headers={"Authorization": ""})
        assert stranger.status_code == 401
    other = make_pair(relay.url)  # a credential counts only for its own mailbox
    answer = httpx.post(f"{url}/get-many", json={"names": []}, headers=bearer(other[0]))
    assert answer.status_code == 401
