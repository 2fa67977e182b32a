"""The Double Ratchet of protocol v2 (crypto/ratchet.py), between two in-memory parties.

Envelopes here are XChaCha20-Poly1305 records sealed under the message keys, as the v2 body is,
so "opens" means what it means on the wire. Known answers in tests/data/ratchet_vectors.json.
"""

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import nacl.bindings as sodium
import pytest

from crypto.aead import open_sealed, seal
from crypto.errors import AuthenticationError, ParameterError
from crypto.identity import KeyPair, generate_keypair
from crypto.ratchet import (
    NO_PUBLIC,
    Chain,
    RatchetField,
    RatchetState,
    advertised,
    initial_state,
    kdf_chain,
    next_send_key,
    observe,
    receive_key,
    received_through,
)
from tests.ratchet_attacker import stepped_chains

VECTORS = Path(__file__).parent / "data" / "ratchet_vectors.json"
LABEL = b"tv:test-body:v2"


def _pair_from(secret: bytes) -> KeyPair:
    return KeyPair(bytes(sodium.crypto_scalarmult_base(secret)), secret)


@dataclass
class Sealed:
    field: RatchetField
    blob: bytes
    text: bytes


@dataclass
class Party:
    state: RatchetState
    opened: list[bytes] = field(default_factory=list)

    def send(self, text: bytes, fresh: KeyPair | None = None) -> Sealed:
        self.state, key, ratchet = next_send_key(self.state, fresh)
        return Sealed(ratchet, seal(key, text, LABEL, ratchet.pack()), text)

    def receive(self, env: Sealed) -> None:
        """What the receiver does: see the public, take the key, open, keep the state after."""
        self.state = observe(self.state, env.field.public)
        found = receive_key(self.state, env.field)
        assert found is not None, "no key for an envelope in order"
        self.state, key = found
        self.opened.append(open_sealed(key, env.blob, LABEL, env.field.pack()))

    def receipt_public(self) -> bytes:
        self.state, public = advertised(self.state)
        return public


def _couple() -> tuple[Party, Party]:
    client_id, server_id = generate_keypair(), generate_keypair()
    c2s, s2c, pair_id = b"\x01" * 32, b"\x02" * 32, b"\x03" * 16
    client = initial_state(c2s, s2c, pair_id, client_id, server_id.public, is_client=True)
    server = initial_state(c2s, s2c, pair_id, server_id, client_id.public, is_client=False)
    return Party(client), Party(server)


def _keys_from(state: RatchetState, depth: int = 8) -> list[bytes]:
    """Every message key an attacker holding ``state`` can compute without a private key it
    does not hold: each chain in it, ``depth`` steps forward."""
    keys = []
    for chain in (state.sending, *state.receiving):
        key = chain.key
        for _ in range(depth):
            message_key, key = kdf_chain(key)
            keys.append(message_key)
    return keys


def _attacker_keys(stolen: RatchetState, publics: list[bytes]) -> list[bytes]:
    """Every message key reachable from ``stolen`` by two root steps with any DH output the
    attacker can compute (its stolen private with any public the medium carried, either order)."""
    keys = _keys_from(stolen)
    for chain in stepped_chains(stolen.root, stolen.own_secret, publics):
        keys += _keys_from(replace(stolen, sending=Chain(b"", chain, 0)), 4)
    return keys


def _opens_with_any(env: Sealed, keys: list[bytes]) -> bool:
    for key in keys:
        try:
            open_sealed(key, env.blob, LABEL, env.field.pack())
            return True
        except AuthenticationError:
            continue
    return False


def test_chain_keys_are_one_way_steps_with_distinct_outputs() -> None:
    chain = b"\x07" * 32
    first, following = kdf_chain(chain)
    second, _ = kdf_chain(following)
    assert len({chain, first, following, second}) == 4
    assert kdf_chain(chain) == (first, following), "deterministic"


def test_both_directions_agree_through_dh_steps_and_crossing_receipts() -> None:
    client, server = _couple()
    early = server.send(b"server, before any step")
    assert early.field.public == NO_PUBLIC
    first = client.send(b"client one")  # the client's first sealing steps
    assert first.field.public not in (NO_PUBLIC, b"")
    second = client.send(b"client two")
    assert (second.field.public, second.field.index) == (first.field.public, 1)
    client.receive(early)
    server.receive(first)
    server.receive(second)
    # The server's receipt carries its new public before its next envelope exists.
    stepped = server.receipt_public()
    assert stepped != first.field.public and server.state.own_secret
    reply = server.send(b"server, after its step")
    assert (reply.field.public, reply.field.previous, reply.field.index) == (stepped, 1, 0)
    # The client sees the step in the receipt first (the envelope is late), then the envelope.
    client.state = observe(client.state, stepped)
    late_client = client.send(b"client, stepped again")
    assert late_client.field.public not in (first.field.public, stepped)
    client.receive(reply)
    server.receive(late_client)
    assert client.opened == [b"server, before any step", b"server, after its step"]
    assert server.opened == [b"client one", b"client two", b"client, stepped again"]
    # Serialised and read back, a state goes on exactly where it was.
    again = RatchetState.unpack(server.state.pack())
    assert again == server.state and "secret" not in repr(again)


def test_a_receiver_may_open_ahead_without_using_up_the_chain() -> None:
    client, server = _couple()
    one, two = client.send(b"one"), client.send(b"two")
    seen = observe(server.state, one.field.public)
    peek = receive_key(seen, two.field)  # the second, opened before the first is applied
    assert peek is not None
    assert open_sealed(peek[1], two.blob, LABEL, two.field.pack()) == b"two"
    server.receive(one)
    server.receive(two)
    assert server.opened == [b"one", b"two"]


def test_using_a_run_of_envelopes_at_once_leaves_the_state_using_each_in_turn_leaves() -> None:
    client, server = _couple()
    sent = [client.send(f"op {n}".encode()) for n in range(5)]
    public = sent[0].field.public
    start = observe(server.state, public)
    skipping = [sent[0], sent[2], sent[3]]  # one lost on the way: its key is skipped
    in_turn = start
    for env in skipping:
        found = receive_key(in_turn, env.field)
        assert found is not None
        in_turn = found[0]
    indexes = [env.field.index for env in skipping]
    assert received_through(start, public, indexes) == in_turn
    walked = in_turn.receiving[0].key
    assert received_through(start, public, indexes, walked) == in_turn
    assert receive_key(in_turn, sent[2].field) is None, "the run's keys are used up"
    assert receive_key(in_turn, sent[4].field) is not None, "the next still opens"


def test_a_run_that_goes_back_or_names_an_unknown_chain_is_refused() -> None:
    client, server = _couple()
    sent = [client.send(f"op {n}".encode()) for n in range(3)]
    public = sent[0].field.public
    start = observe(server.state, public)
    assert received_through(start, public, [0, 2, 1]) is None, "out of order"
    assert received_through(start, public, [1, 1]) is None, "the same envelope twice"
    used = received_through(start, public, [0])
    assert used is not None and received_through(used, public, [0]) is None, "used already"
    assert received_through(start, b"\x07" * 32, [0]) is None, "no such chain"


def test_an_envelope_sealed_before_a_step_no_longer_opens_from_the_state_after_it() -> None:
    client, server = _couple()
    old = client.send(b"before the step")
    server.receive(old)
    assert receive_key(server.state, old.field) is None, "its key is used up once applied"
    client.state = observe(client.state, server.receipt_public())  # the DH step completes
    client.send(b"after")
    for state in (server.state, client.state):
        assert not _opens_with_any(old, _keys_from(state))
        assert receive_key(state, old.field) is None


def test_a_stolen_state_loses_access_after_the_next_dh_step() -> None:
    client, server = _couple()
    server.receive(client.send(b"warm up"))
    client.state = observe(client.state, server.receipt_public())
    stolen = server.state  # an attacker copies the server's whole state (every key in it)
    before_step = client.send(b"sealed while the attacker holds the state")
    # Without a step the attacker reads on: the chain it stole derives this key.
    seen = observe(stolen, before_step.field.public)
    assert _opens_with_any(before_step, _keys_from(seen))
    server.receive(before_step)
    client.state = observe(client.state, server.receipt_public())  # the server steps: fresh key
    after_server = server.send(b"server, after its step")
    after_client = client.send(b"client, after the round trip")
    publics = [before_step.field.public, after_server.field.public, after_client.field.public]
    attempts = _attacker_keys(stolen, publics)
    assert _opens_with_any(before_step, attempts), "the attacker model finds what it can"
    assert not _opens_with_any(after_server, attempts)
    assert not _opens_with_any(after_client, attempts)
    client.receive(after_server)
    server.receive(after_client)
    assert client.opened[-1] == b"server, after its step"


def test_a_partner_that_steps_twice_without_an_answer_is_refused() -> None:
    client, server = _couple()
    server.receive(client.send(b"one"))
    server.receipt_public()
    stranger = generate_keypair().public
    client.state = observe(client.state, server.state.own_public)
    with pytest.raises(ParameterError):
        observe(client.state, stranger)
    with pytest.raises(ParameterError):
        observe(server.state, b"\x01" + bytes(31))  # a point of small order


@pytest.mark.parametrize(
    "raw", [b"", b"\x02" + bytes(300), b"\x01" + bytes(10), b"\x01" + bytes(236)]
)
def test_damaged_stored_states_are_refused(raw: bytes) -> None:
    with pytest.raises(ParameterError):
        RatchetState.unpack(raw)


def test_known_answers() -> None:
    doc = json.loads(VECTORS.read_text(encoding="utf-8"))
    raw = {
        k: bytes.fromhex(v) for k, v in doc.items() if k not in ("source", "ephemerals", "sealed")
    }
    fresh = {k: _pair_from(bytes.fromhex(v)) for k, v in doc["ephemerals"].items()}
    client_id, server_id = _pair_from(raw["client_static"]), _pair_from(raw["server_static"])
    args = (raw["client_to_server"], raw["server_to_client"], raw["pair_id"])
    client = initial_state(*args, client_id, server_id.public, is_client=True)
    server = initial_state(*args, server_id, client_id.public, is_client=False)
    made = []
    server, key, f = next_send_key(server)
    made.append(("server", key, f))
    client, key, f = next_send_key(client, fresh["a1"])
    made.append(("client", key, f))
    client, key, f = next_send_key(client)
    made.append(("client", key, f))
    server = observe(server, fresh["a1"].public)
    server, key, f = next_send_key(server, fresh["b1"])
    made.append(("server", key, f))
    client = observe(client, fresh["b1"].public)
    client, key, f = next_send_key(client, fresh["a2"])
    made.append(("client", key, f))
    expected = [(s["by"], s["message_key"], s["field"]) for s in doc["sealed"]]
    assert [(by, k.hex(), f.pack().hex()) for by, k, f in made] == expected
    assert client.root.hex() == doc["root_after"]
